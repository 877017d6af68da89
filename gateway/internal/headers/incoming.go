package headers

import (
	"net/http"
	"net/textproto"
	"strings"

	"github.com/partnerskap/partnerskap/platform/requestid"
)

// forwarded is the allow-list of metadata keys a service may receive from the gateway.
var forwarded = map[string]bool{
	"authorization":   true,
	"idempotency-key": true,
	"if-match":        true,
	requestid.Header:  true,
}

// Incoming is the runtime.WithIncomingHeaderMatcher function: an allowed HTTP header becomes the metadata key
// of the same name in lower case; any other header is dropped.
//
// Authorization is allowed but not matched here, because runtime.AnnotateContext always forwards it itself;
// matching it too would send the token twice.
func Incoming(header string) (string, bool) {
	key := strings.ToLower(header)
	if !forwarded[key] || key == "authorization" {
		return "", false
	}
	return key, true
}

// Prepare readies a request's headers before routing. It gives every request a well-formed X-Request-Id (the
// client's when it sent a valid one), puts it in the context for logs and in the response, and turns a quoted
// If-Match entity tag back into the bare etag the services compare.
func Prepare(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := textproto.CanonicalMIMEHeaderKey(requestid.Header)
		id := requestid.OrNew(r.Header.Get(name))
		r.Header.Set(name, id)
		w.Header().Set(name, id)
		if v := r.Header.Get("If-Match"); v != "" {
			r.Header.Set("If-Match", unquoteETag(v))
		}
		next.ServeHTTP(w, r.WithContext(requestid.With(r.Context(), id)))
	})
}

// unquoteETag returns the etag inside one strong entity tag ("abc" -> abc). Weak tags, lists and * pass
// unchanged: If-Match compares strongly, so the service rightly finds them stale.
func unquoteETag(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && !strings.Contains(v[1:len(v)-1], `"`) {
		return v[1 : len(v)-1]
	}
	return v
}
