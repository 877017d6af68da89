package gateway

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// The console answers at / and under /console/, with the headers every page needs; every other path is the
// API's exactly as before, unknown ones included.
func TestConsoleIsMountedBesideTheAPI(t *testing.T) {
	srv := newGateway(t, startUpstream(t), func(s *Settings) { s.AuthDevKeyFile = filepath.Join(t.TempDir(), "key.pem") })

	page := call(t, srv, http.MethodGet, "/", nil, "Authorization", "").must(t, http.StatusOK)
	if !strings.Contains(page.raw, `<html lang="sv">`) || !strings.Contains(page.raw, `action="/console/sign-in"`) {
		t.Errorf("/ is not the console's sign-in page:\n%.600s", page.raw)
	}
	for name, want := range map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
		"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if got := page.header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if page.header.Get("X-Request-Id") == "" || !strings.Contains(page.header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("headers %v", page.header)
	}
	css := call(t, srv, http.MethodGet, "/console/assets/console.css", nil).must(t, http.StatusOK)
	if !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || css.header.Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("stylesheet headers %v", css.header)
	}
	call(t, srv, http.MethodGet, "/console/nothing-here", nil).must(t, http.StatusNotFound)

	call(t, srv, http.MethodGet, "/nothing-here", nil).must(t, http.StatusNotFound).isStatus(t, 5)
	call(t, srv, http.MethodGet, "/v1/partnerships", nil, "Authorization", "").must(t, http.StatusUnauthorized).isStatus(t, 16)
	call(t, srv, http.MethodGet, "/livez", nil).must(t, http.StatusOK)
	if doc := call(t, srv, http.MethodGet, "/openapi.json", nil).must(t, http.StatusOK); doc.body["openapi"] == nil {
		t.Errorf("/openapi.json is not the OpenAPI document: %.200s", doc.raw)
	}
}

// A gateway in oidc mode offers no development sign-in; OIDC sign-in is still to come.
func TestConsoleSignsNothingOutsideDevelopment(t *testing.T) {
	srv := newGateway(t, startUpstream(t), func(s *Settings) { s.AuthMode = "oidc" })
	call(t, srv, http.MethodGet, "/console/sign-in", nil).must(t, http.StatusNotImplemented)
}
