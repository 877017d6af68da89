package gateway

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCallsWithoutAUsableTokenAnswer401WithoutCallingTheService(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	cases := []struct {
		name, authorization, reason string
	}{
		{"no token", "", "TOKEN_MISSING"},
		{"other scheme", "Basic dXNlcjpwYXNz", "TOKEN_MALFORMED"},
		{"not a JWT", "Bearer token-1", "TOKEN_MALFORMED"},
		{"two parts", "Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0", "TOKEN_MALFORMED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The body is broken on purpose: the answer must be about the token, not the body.
			got := call(t, gw, http.MethodPost, "/v1/organizations", text(`{"displayName":`), "Authorization", tc.authorization).
				must(t, http.StatusUnauthorized).isStatus(t, 16)
			if got.reason() != tc.reason || !strings.HasPrefix(got.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("reason %q, WWW-Authenticate %q: %s", got.reason(), got.header.Get("WWW-Authenticate"), got.raw)
			}
			if strings.Contains(got.raw, "JSON") || strings.Contains(got.raw, "partnerskap.partnership") {
				t.Errorf("the answer speaks of the body: %s", got.raw)
			}
		})
	}
	if calls, _ := up.seen(); calls != 0 {
		t.Fatalf("the service was called %d times without a usable token", calls)
	}
}

func TestATokenlessCallsBodyIsNeverRead(t *testing.T) {
	up := startUpstream(t)
	s := DefaultSettings()
	s.PartnershipAddr = up.addr
	h, closeConns, err := NewHandler(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeConns)

	body := &watchedBody{r: strings.NewReader(`{"displayName":"Malmö stad"}`)}
	r := httptest.NewRequest(http.MethodPost, "/v1/organizations", body)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusUnauthorized || body.reads.Load() != 0 {
		t.Fatalf("got %d after %d reads of the body", w.Code, body.reads.Load())
	}
}

func TestProbesAndTheDocumentNeedNoToken(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	call(t, gw, http.MethodGet, "/livez", nil, "Authorization", "").must(t, http.StatusOK)
	call(t, gw, http.MethodGet, "/healthz", nil, "Authorization", "").must(t, http.StatusServiceUnavailable)
	call(t, gw, http.MethodGet, "/openapi.json", nil, "Authorization", "").must(t, http.StatusOK)
	// Routing comes first: a path no route matches answers 404 with or without a token.
	call(t, gw, http.MethodGet, "/v1/nothing-here", nil, "Authorization", "").must(t, http.StatusNotFound)
}

// watchedBody counts the reads of a request body.
type watchedBody struct {
	r     io.Reader
	reads atomic.Int32
}

func (b *watchedBody) Read(p []byte) (int, error) {
	b.reads.Add(1)
	return b.r.Read(p)
}
