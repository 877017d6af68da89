// Package streamerr gives a streamed answer's error the same body as every other error. grpc-gateway writes
// the error of a server-streaming method (the IATI export) as {"error": <Status>}, the form a stream uses for
// an error after its first chunk; before the first byte the client should get the plain Status, with the
// matching HTTP status, as from every unary route. This middleware unwraps exactly that case: an answer whose
// status is 4xx or 5xx is buffered (errors are small) and its "error" member written in its place.
package streamerr

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Middleware unwraps error answers of the routes under prefix.
func Middleware(prefix string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, prefix) {
				next.ServeHTTP(w, r)
				return
			}
			uw := &unwrapper{ResponseWriter: w}
			next.ServeHTTP(uw, r)
			uw.finish()
		})
	}
}

type unwrapper struct {
	http.ResponseWriter
	status int
	failed bool
	body   bytes.Buffer
}

func (u *unwrapper) WriteHeader(code int) {
	u.status = code
	if code >= 400 {
		u.failed = true // hold the header until the body is known
		return
	}
	u.ResponseWriter.WriteHeader(code)
}

func (u *unwrapper) Write(p []byte) (int, error) {
	if u.failed {
		return u.body.Write(p)
	}
	return u.ResponseWriter.Write(p)
}

// Flush passes on the streamed chunks of a successful answer at once.
func (u *unwrapper) Flush() {
	if f, ok := u.ResponseWriter.(http.Flusher); ok && !u.failed {
		f.Flush()
	}
}

func (u *unwrapper) finish() {
	if !u.failed {
		return
	}
	out := u.body.Bytes()
	var wrapped struct {
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(out, &wrapped); err == nil && len(wrapped.Error) > 0 {
		out = wrapped.Error
	}
	u.ResponseWriter.Header().Set("Content-Length", strconv.Itoa(len(out)))
	u.ResponseWriter.WriteHeader(u.status)
	_, _ = u.ResponseWriter.Write(out)
}
