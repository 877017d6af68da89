package httperr

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/partnerskap/partnerskap/gateway/internal/codec"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/grpcerr"
)

// handle runs Handle for err on a request to the given RPC and decodes the answer.
func handle(t *testing.T, rpc string, err error) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/v1/x", nil)
	ctx := r.Context()
	if rpc != "" {
		ctx, _ = runtime.AnnotateContext(ctx, runtime.NewServeMux(), r, rpc)
	}
	w := httptest.NewRecorder()
	Handle(ctx, nil, codec.New(), w, r, err)
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", w.Body, err)
	}
	return w, body
}

func TestUnavailableNamesTheServiceAndNothingElse(t *testing.T) {
	err := status.Error(codes.Unavailable, `connection error: desc = "transport: dial tcp 10.0.0.7:9093: connect: connection refused"`)
	w, body := handle(t, "/partnerskap.finance.v1.FinanceService/ListBudgets", err)
	if w.Code != http.StatusServiceUnavailable || body["message"] != "the finance service is unavailable" {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), "10.0.0.7") {
		t.Fatalf("address leaked: %s", w.Body)
	}
}

func TestNonStatusErrorsAreInternalAndGeneric(t *testing.T) {
	w, body := handle(t, "", errors.New("marshal: secret detail"))
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "secret") || body["code"] != float64(13) {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
}

func TestUnauthenticatedAsksForABearerToken(t *testing.T) {
	w, _ := handle(t, "", status.Error(codes.Unauthenticated, "token missing"))
	if w.Code != http.StatusUnauthorized || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("got %d, WWW-Authenticate %q", w.Code, w.Header().Get("WWW-Authenticate"))
	}
}

func TestStatusWithoutDetailsGetsAReason(t *testing.T) {
	_, body := handle(t, "", status.Error(codes.FailedPrecondition, "no"))
	details, _ := body["details"].([]any)
	if len(details) != 1 || details[0].(map[string]any)["reason"] != "FAILED_PRECONDITION" {
		t.Fatalf("got %v", body)
	}
}

func TestTooLargeAnswers413(t *testing.T) {
	w := httptest.NewRecorder()
	TooLarge(w, httptest.NewRequest(http.MethodPost, "/", nil), 10)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "limit of 10 bytes") {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
}

func TestServiceName(t *testing.T) {
	cases := map[string]string{
		"/partnerskap.partnership.v1.PartnershipService/GetPartnership": "partnership",
		"/partnerskap.reporting.v1.ReportingService/X":                  "reporting",
		"/odd": "upstream",
	}
	for rpc, want := range cases {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		ctx, _ := runtime.AnnotateContext(context.Background(), runtime.NewServeMux(), r, rpc)
		if got := serviceName(ctx); got != want {
			t.Errorf("serviceName(%q) = %q, want %q", rpc, got, want)
		}
	}
	if got := serviceName(context.Background()); got != "upstream" {
		t.Errorf("without an RPC: %q", got)
	}
}

func TestErrorsAreNeverCachedNorSniffed(t *testing.T) {
	w, _ := handle(t, "", status.Error(codes.NotFound, "no"))
	if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("Cache-Control %q, X-Content-Type-Options %q", w.Header().Get("Cache-Control"), w.Header().Get("X-Content-Type-Options"))
	}
}

func TestUnauthenticatedCarriesTheReason(t *testing.T) {
	w := httptest.NewRecorder()
	Unauthenticated(w, httptest.NewRequest(http.MethodPost, "/v1/x", nil), "TOKEN_MISSING", "authorization header is missing")
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	details, _ := body["details"].([]any)
	if w.Code != http.StatusUnauthorized || body["code"] != float64(16) || len(details) != 1 {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	info := details[0].(map[string]any)
	if info["reason"] != "TOKEN_MISSING" || info["domain"] != "partnerskap" || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("got %s, WWW-Authenticate %q", w.Body, w.Header().Get("WWW-Authenticate"))
	}
}

func TestRateLimitedSaysWhenToRetry(t *testing.T) {
	w := httptest.NewRecorder()
	RateLimited(w, httptest.NewRequest(http.MethodGet, "/v1/x", nil), "writes", 1500*time.Millisecond, "too many writes")
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" || body["code"] != float64(8) || body["message"] != "too many writes" {
		t.Fatalf("got %d, Retry-After %q: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if !strings.Contains(w.Body.String(), `"reason":"RATE_LIMITED"`) || !strings.Contains(w.Body.String(), `"retryDelay":"2s"`) {
		t.Fatalf("details missing: %s", w.Body)
	}
}

// A service's UNAVAILABLE with RetryInfo (its database restarting) reaches HTTP clients as 503 with the
// Retry-After header they know, the body unchanged.
func TestServiceRetryInfoBecomesRetryAfter(t *testing.T) {
	err := grpcerr.Error(context.Background(), &fault.Unavailable{Reason: fault.DatabaseUnavailable, Message: "the database is unavailable"})
	w, body := handle(t, "/partnerskap.finance.v1.FinanceService/ListBudgets", err)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("got %d, Retry-After %q: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if !strings.Contains(w.Body.String(), "DATABASE_UNAVAILABLE") || body["code"] != float64(14) {
		t.Fatalf("body %s, want the service's DATABASE_UNAVAILABLE status", w.Body)
	}
}
