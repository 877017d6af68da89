// Package health answers the gateway's two probes. /livez says only that the process runs, so a restart is
// never triggered by a service being down. /healthz says whether the whole suite can serve: it asks every
// service's grpc.health.v1 Check in parallel and is 200 only when all four answer SERVING, so a load balancer
// keeps traffic away from a gateway that could not serve it.
package health

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Unreachable is the state reported for a service whose check failed; the failure's text stays in the
// gateway, since it names internal addresses.
const Unreachable = "UNREACHABLE"

// Target is one service to check.
type Target struct {
	// Name is the short service name used in the report.
	Name string
	// Client reaches the service's health endpoint.
	Client healthpb.HealthClient
}

// Report is the body of /healthz.
type Report struct {
	// Status is SERVING when every service is, else NOT_SERVING.
	Status string `json:"status"`
	// Services maps each service name to its state.
	Services map[string]string `json:"services"`
	// NotServing lists, sorted, the services that are not SERVING.
	NotServing []string `json:"notServing,omitempty"`
}

// Live is the /livez handler: 200 as long as the process can answer at all.
func Live(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ALIVE"})
}

// Ready returns the /healthz handler; each check may take at most timeout.
func Ready(targets []Target, timeout time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rep := Check(r.Context(), targets, timeout)
		code := http.StatusOK
		if rep.Status != healthpb.HealthCheckResponse_SERVING.String() {
			code = http.StatusServiceUnavailable
		}
		writeJSON(w, code, rep)
	}
}

// Check asks every target at once and reports their states.
func Check(ctx context.Context, targets []Target, timeout time.Duration) Report {
	states := make([]string, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() { states[i] = checkOne(ctx, t.Client, timeout) })
	}
	wg.Wait()

	rep := Report{Status: healthpb.HealthCheckResponse_SERVING.String(), Services: map[string]string{}}
	for i, t := range targets {
		rep.Services[t.Name] = states[i]
		if states[i] != healthpb.HealthCheckResponse_SERVING.String() {
			rep.NotServing = append(rep.NotServing, t.Name)
		}
	}
	if len(rep.NotServing) > 0 {
		rep.Status = healthpb.HealthCheckResponse_NOT_SERVING.String()
		slices.Sort(rep.NotServing)
	}
	return rep
}

// checkOne asks for the server-wide state (service ""), which each service keeps NOT_SERVING until its
// database is ready.
func checkOne(ctx context.Context, c healthpb.HealthClient, timeout time.Duration) string {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := c.Check(ctx, &healthpb.HealthCheckRequest{Service: ""})
	if err != nil {
		return Unreachable
	}
	return resp.GetStatus().String()
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	// A probe's answer is true only now.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
