package server

import (
	"context"
	"log/slog"
	"time"

	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// notServingInterval bounds the time between checks while the service is not ready.
const notServingInterval = 250 * time.Millisecond

// minCheckTimeout is the least time one readiness check may take before it counts as failed, however short
// the interval: a database that answers slowly under load is still there, and taking every replica out of
// rotation at once because each answered in 300 ms would turn a busy moment into an outage.
const minCheckTimeout = time.Second

// ReadyFunc reports whether the service can do its work now: its database answers and is migrated.
type ReadyFunc func(ctx context.Context) error

// watchHealth sets every given service name to SERVING while ready succeeds and NOT_SERVING while it fails,
// checking every interval until ctx ends. It starts NOT_SERVING: nothing is served before the first check
// passes. While NOT_SERVING it checks every notServingInterval at most, so a database that is back shows as
// ready about as soon as requests succeed again, not a whole interval later.
func watchHealth(ctx context.Context, hs *health.Server, names []string, ready ReadyFunc, interval time.Duration) {
	set := func(st healthpb.HealthCheckResponse_ServingStatus) {
		for _, n := range names {
			hs.SetServingStatus(n, st)
		}
	}
	set(healthpb.HealthCheckResponse_NOT_SERVING)
	last := healthpb.HealthCheckResponse_NOT_SERVING
	timer := time.NewTimer(interval)
	defer timer.Stop()
	for {
		checkCtx, cancel := context.WithTimeout(ctx, max(interval, minCheckTimeout))
		err := ready(checkCtx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		now := healthpb.HealthCheckResponse_SERVING
		if err != nil {
			now = healthpb.HealthCheckResponse_NOT_SERVING
		}
		if now != last {
			if err != nil {
				slog.Warn("not ready", "error", err.Error())
			} else {
				slog.Info("ready")
			}
			set(now)
			last = now
		}
		next := interval
		if last != healthpb.HealthCheckResponse_SERVING {
			next = min(interval, notServingInterval)
		}
		timer.Reset(next)
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
	}
}
