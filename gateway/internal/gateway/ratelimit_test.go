package gateway

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestACallerOverItsWriteLimitGets429WithRetryAfter(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, func(s *Settings) { s.RateLimitWrites, s.RateLimitWritesBurst = 1, 2 })

	for i := 0; i < 2; i++ {
		call(t, gw, http.MethodPost, "/v1/organizations", text(`{"displayName":"Malmö stad"}`)).must(t, http.StatusCreated)
	}
	got := call(t, gw, http.MethodPost, "/v1/organizations", text(`{"displayName":"Malmö stad"}`)).
		must(t, http.StatusTooManyRequests).isStatus(t, 8)
	if got.reason() != "RATE_LIMITED" || !strings.Contains(got.raw, "too many writes from this caller") {
		t.Errorf("unexpected body: %s", got.raw)
	}
	if seconds, err := strconv.Atoi(got.header.Get("Retry-After")); err != nil || seconds < 1 {
		t.Errorf("Retry-After %q", got.header.Get("Retry-After"))
	}
	if got.header.Get("Cache-Control") != "no-store" || got.header.Get("X-Request-Id") == "" {
		t.Errorf("headers %v", got.header)
	}
	if calls, _ := up.seen(); calls != 2 {
		t.Fatalf("the service was called %d times, want the 2 within the limit", calls)
	}
	// Reads have their own bucket, and another caller its own writes.
	call(t, gw, http.MethodGet, "/v1/organizations/missing", nil).must(t, http.StatusNotFound)
	call(t, gw, http.MethodPost, "/v1/organizations", text(`{}`), "Authorization", "Bearer "+jwtShaped(`{"sub":"other"}`)).
		must(t, http.StatusCreated)
}

func TestAReportAskedForAsCSVCountsAsAnExport(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, func(s *Settings) { s.RateLimitExports, s.RateLimitExportsBurst = 1, 1 })

	// The reporting service is down: the first export gets through the limit (and answers 503), the second does not.
	call(t, gw, http.MethodGet, "/v1/reports/portfolio", nil, "Accept", "text/csv").must(t, http.StatusServiceUnavailable)
	call(t, gw, http.MethodGet, "/v1/reports/portfolio", nil, "Accept", "text/csv").must(t, http.StatusTooManyRequests)
	// The JSON report is a read.
	call(t, gw, http.MethodGet, "/v1/reports/portfolio", nil).must(t, http.StatusServiceUnavailable)
}

func TestCallsWithoutATokenAreLimitedPerAddressButProbesNever(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, func(s *Settings) {
		s.RateLimitAnonymous, s.RateLimitAnonymousBurst = 1, 2
		s.TrustedProxies = []string{"127.0.0.1"}
	})

	anonymous := func(client string) answer {
		return call(t, gw, http.MethodGet, "/v1/organizations", nil, "Authorization", "", "X-Forwarded-For", client)
	}
	anonymous("198.51.100.1").must(t, http.StatusUnauthorized)
	anonymous("198.51.100.1").must(t, http.StatusUnauthorized)
	got := anonymous("198.51.100.1").must(t, http.StatusTooManyRequests)
	if !strings.Contains(got.raw, "without a usable token from this address") {
		t.Errorf("unexpected body: %s", got.raw)
	}
	// The test client is the trusted proxy, so X-Forwarded-For names another client with its own bucket.
	anonymous("198.51.100.2").must(t, http.StatusUnauthorized)
	for i := 0; i < 10; i++ {
		call(t, gw, http.MethodGet, "/livez", nil, "Authorization", "", "X-Forwarded-For", "198.51.100.1").must(t, http.StatusOK)
	}
}
