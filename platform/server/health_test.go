package server

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// A service that was not ready is rechecked often, so it is back in rotation about as soon as its database
// is, not a whole HEALTH_CHECK_INTERVAL later.
func TestNotReadyIsRecheckedSoon(t *testing.T) {
	hs := health.NewServer()
	var down atomic.Bool
	down.Store(true)
	ready := func(context.Context) error {
		if down.Load() {
			return errors.New("database unreachable")
		}
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go watchHealth(ctx, hs, []string{""}, ready, time.Hour)

	// status is "" until watchHealth has registered the service.
	status := func() string {
		resp, err := hs.Check(ctx, &healthpb.HealthCheckRequest{})
		if err != nil {
			return ""
		}
		return resp.GetStatus().String()
	}
	waitFor := func(want string, within time.Duration) {
		t.Helper()
		for deadline := time.Now().Add(within); status() != want; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("health is %q after %v, want %s", status(), within, want)
			}
		}
	}
	waitFor("NOT_SERVING", 5*time.Second)
	down.Store(false)
	waitFor("SERVING", 5*time.Second) // far less than the hour between checks while serving
}

// A check that answers slower than a short interval, but within a second, still finds the service ready:
// slowness under load is not an outage.
func TestASlowCheckIsNotAFailure(t *testing.T) {
	hs := health.NewServer()
	ready := func(ctx context.Context) error {
		select {
		case <-time.After(300 * time.Millisecond):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go watchHealth(ctx, hs, []string{""}, ready, 50*time.Millisecond)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		resp, err := hs.Check(ctx, &healthpb.HealthCheckRequest{})
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("a check answering in 300 ms never made the service ready with a 50 ms interval")
		}
	}
}
