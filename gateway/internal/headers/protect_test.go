package headers

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestProtectSetsNoStoreAndNoSniff(t *testing.T) {
	for _, path := range []string{"/v1/partnerships", "/v1/exports/iati", "/healthz", "/anything"} {
		w := httptest.NewRecorder()
		Protect(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("{}")) })).
			ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: Cache-Control %q, X-Content-Type-Options %q", path, w.Header().Get("Cache-Control"), w.Header().Get("X-Content-Type-Options"))
		}
	}
}

func TestProtectLetsTheOpenAPIDocumentBeCached(t *testing.T) {
	w := httptest.NewRecorder()
	Protect(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
	})).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	if w.Header().Get("Cache-Control") != "public, max-age=300" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("Cache-Control %q, X-Content-Type-Options %q", w.Header().Get("Cache-Control"), w.Header().Get("X-Content-Type-Options"))
	}
}
