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

	status := func() healthpb.HealthCheckResponse_ServingStatus {
		resp, err := hs.Check(ctx, &healthpb.HealthCheckRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetStatus()
	}
	time.Sleep(50 * time.Millisecond)
	if s := status(); s != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("with the database down: %v", s)
	}
	down.Store(false)
	deadline := time.Now().Add(5 * time.Second) // far less than the hour between checks while serving
	for status() != healthpb.HealthCheckResponse_SERVING {
		if time.Now().After(deadline) {
			t.Fatal("still NOT_SERVING 5 s after the database came back")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
