package server

import (
	"context"
	"log/slog"
	"time"

	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// ReadyFunc reports whether the service can do its work now: its database answers and is migrated.
type ReadyFunc func(ctx context.Context) error

// watchHealth sets every given service name to SERVING while ready succeeds and NOT_SERVING while it fails,
// checking every interval until ctx ends. It starts NOT_SERVING: nothing is served before the first check
// passes.
func watchHealth(ctx context.Context, hs *health.Server, names []string, ready ReadyFunc, interval time.Duration) {
	set := func(st healthpb.HealthCheckResponse_ServingStatus) {
		for _, n := range names {
			hs.SetServingStatus(n, st)
		}
	}
	set(healthpb.HealthCheckResponse_NOT_SERVING)
	last := healthpb.HealthCheckResponse_NOT_SERVING
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		checkCtx, cancel := context.WithTimeout(ctx, interval)
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
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
