package server

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/freeport"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/partnerskap/partnerskap/platform/auth"
)

type noVerifier struct{}

func (noVerifier) Verify(context.Context, string) (auth.Principal, error) {
	return auth.Principal{}, errors.New("no tokens in this test")
}

func freeAddr(t *testing.T) string {
	t.Helper()
	addr, err := freeport.Addr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// waitFor polls the health service until it reports want, or fails after ten seconds.
func waitFor(t *testing.T, client healthpb.HealthClient, want healthpb.HealthCheckResponse_ServingStatus) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{})
		if err == nil && resp.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("health never became %v (last %v, %v)", want, resp.GetStatus(), err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHealthFollowsReadinessAndShutdown checks the health contract: NOT_SERVING until ready, SERVING while
// ready, NOT_SERVING when readiness is lost, and a clean return from Run on shutdown.
func TestHealthFollowsReadinessAndShutdown(t *testing.T) {
	var ready atomic.Bool
	settings := DefaultSettings(0)
	settings.GRPCAddr, settings.MetricsAddr = freeAddr(t), freeAddr(t)
	settings.HealthInterval = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Name: "test", Settings: settings, Verifier: noVerifier{}, Register: func(*grpc.Server) error { return nil },
			Ready: func(context.Context) error {
				if ready.Load() {
					return nil
				}
				return errors.New("database unreachable")
			}})
	}()
	conn, err := grpc.NewClient(settings.GRPCAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	health := healthpb.NewHealthClient(conn)

	waitFor(t, health, healthpb.HealthCheckResponse_NOT_SERVING)
	if live, err := health.Check(context.Background(), &healthpb.HealthCheckRequest{Service: LivenessService}); err != nil || live.Status != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("liveness must not follow the database: %v %v", live, err)
	}
	ready.Store(true)
	waitFor(t, health, healthpb.HealthCheckResponse_SERVING)
	ready.Store(false)
	waitFor(t, health, healthpb.HealthCheckResponse_NOT_SERVING)

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v on shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after shutdown")
	}
}
