package gateway

import (
	"net/http"
	"testing"
)

func TestDataAndErrorsAreNoStoreAndNoSniff(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	answers := map[string]answer{
		"created":       call(t, gw, http.MethodPost, "/v1/organizations", text(`{"displayName":"Malmö stad"}`)).must(t, http.StatusCreated),
		"service error": call(t, gw, http.MethodGet, "/v1/organizations/missing", nil).must(t, http.StatusNotFound),
		"unknown route": call(t, gw, http.MethodGet, "/v1/nothing-here", nil).must(t, http.StatusNotFound),
		"service down":  call(t, gw, http.MethodGet, "/v1/networks", nil).must(t, http.StatusServiceUnavailable),
		"wrong method":  call(t, gw, http.MethodPost, "/openapi.json", nil).must(t, http.StatusMethodNotAllowed),
		"readiness":     call(t, gw, http.MethodGet, "/healthz", nil).must(t, http.StatusServiceUnavailable),
	}
	for name, a := range answers {
		if a.header.Get("Cache-Control") != "no-store" || a.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: Cache-Control %q, X-Content-Type-Options %q", name, a.header.Get("Cache-Control"), a.header.Get("X-Content-Type-Options"))
		}
	}
}

func TestOpenAPIDocumentIsCacheableButNotSniffed(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	got := call(t, gw, http.MethodGet, "/openapi.json", nil).must(t, http.StatusOK)
	if got.header.Get("Cache-Control") == "no-store" || got.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("Cache-Control %q, X-Content-Type-Options %q", got.header.Get("Cache-Control"), got.header.Get("X-Content-Type-Options"))
	}
}
