package health

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// fixed is a health client that always gives the same answer.
type fixed struct {
	healthpb.HealthClient
	status healthpb.HealthCheckResponse_ServingStatus
	err    error
}

func (f fixed) Check(context.Context, *healthpb.HealthCheckRequest, ...grpc.CallOption) (*healthpb.HealthCheckResponse, error) {
	return &healthpb.HealthCheckResponse{Status: f.status}, f.err
}

func TestReadyIs200OnlyWhenAllServe(t *testing.T) {
	serving := fixed{status: healthpb.HealthCheckResponse_SERVING}
	cases := []struct {
		name    string
		targets []Target
		code    int
	}{
		{"all serving", []Target{{"a", serving}, {"b", serving}}, http.StatusOK},
		{"one not serving", []Target{{"a", serving}, {"b", fixed{status: healthpb.HealthCheckResponse_NOT_SERVING}}}, http.StatusServiceUnavailable},
		{"one unreachable", []Target{{"a", fixed{err: errors.New("dial 10.0.0.1")}}, {"b", serving}}, http.StatusServiceUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			Ready(tc.targets, time.Second)(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
			if w.Code != tc.code {
				t.Fatalf("got %d %s", w.Code, w.Body)
			}
		})
	}
}

func TestCheckReportsEachServiceAndHidesErrors(t *testing.T) {
	rep := Check(context.Background(), []Target{
		{"b", fixed{err: errors.New("dial 10.0.0.1")}},
		{"a", fixed{status: healthpb.HealthCheckResponse_NOT_SERVING}},
		{"c", fixed{status: healthpb.HealthCheckResponse_SERVING}},
	}, time.Second)
	if rep.Status != "NOT_SERVING" || rep.Services["b"] != Unreachable || rep.Services["c"] != "SERVING" {
		t.Fatalf("got %+v", rep)
	}
	if len(rep.NotServing) != 2 || rep.NotServing[0] != "a" || rep.NotServing[1] != "b" {
		t.Fatalf("not serving %v, want [a b]", rep.NotServing)
	}
}
