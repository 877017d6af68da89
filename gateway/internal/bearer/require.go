package bearer

import (
	"net/http"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
)

// RefuseFunc writes the 401 answer for a refusal; the gateway passes its error writer, so the body is the
// usual google.rpc.Status.
type RefuseFunc func(w http.ResponseWriter, r *http.Request, reason, message string)

// Require is a mux middleware that refuses a request under prefix whose token can never be accepted. It
// runs after routing, so an unknown path still answers 404, and before the route's handler, which is what
// reads and decodes the body. Under each of open (a prefix, or a whole path), a request without any
// Authorization header passes (the service serves such callers only what is public, or what a token of its
// own in the query opens); one with a token is checked as anywhere.
func Require(prefix string, refuse RefuseFunc, open ...string) runtime.Middleware {
	return func(next runtime.HandlerFunc) runtime.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
			anonymous := false
			for _, o := range open {
				anonymous = anonymous || strings.HasPrefix(r.URL.Path, o) && r.Header.Get("Authorization") == ""
			}
			if strings.HasPrefix(r.URL.Path, prefix) && !anonymous {
				if _, refusal := FromRequest(r); refusal != nil {
					refuse(w, r, refusal.Reason, refusal.Message)
					return
				}
			}
			next(w, r, params)
		}
	}
}
