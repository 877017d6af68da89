package headers

import "net/http"

// cacheablePaths answer the same bytes to everyone, so shared caches may keep them; each sets its own
// Cache-Control.
var cacheablePaths = map[string]bool{"/openapi.json": true, "/openapi.v2.json": true, "/docs": true, "/docs/redoc.standalone.js": true}

// Protect sets the response headers that keep an answer where it belongs. Every answer gets
// X-Content-Type-Options: nosniff, so a browser never reads a CSV export or an error as HTML or script.
// Every answer but the cacheable documents gets Cache-Control: no-store: the API's answers hold a caller's
// data, which no browser or proxy cache may keep for the next user. The headers are set before the handler
// runs, so a handler that knows better (the OpenAPI document) can still replace them; the error writer sets
// no-store itself, so an error is never cacheable, whatever its path.
func Protect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if !cacheablePaths[r.URL.Path] {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}
