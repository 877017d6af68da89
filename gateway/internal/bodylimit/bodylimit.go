// Package bodylimit refuses request bodies larger than a limit before they are read whole.
//
// A declared Content-Length over the limit is refused at once. A body of unknown length is read through a
// counting reader that fails once the limit is passed and marks the request, because the generated gateway
// handlers flatten every decode error into INVALID_ARGUMENT: the mark is how the error handler still knows to
// answer 413, and how the upstream guard knows never to call the service with a truncated request.
package bodylimit

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
)

// ErrTooLarge is the read error of a body that passed the limit.
var ErrTooLarge = errors.New("request body too large")

// TooLargeFunc writes the answer to a request whose declared body is over limit bytes.
type TooLargeFunc func(w http.ResponseWriter, r *http.Request, limit int64)

type key struct{}

// state is shared by the reader, which sets it, and whoever later asks Exceeded.
type state struct {
	limit    int64
	exceeded atomic.Bool
}

// Middleware limits request bodies to limit bytes, or to a route's own limit in routes (by exact path, for
// the routes that take files); tooLarge answers those declared larger.
func Middleware(limit int64, routes map[string]int64, tooLarge TooLargeFunc) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit := limit
			if own, ok := routes[r.URL.Path]; ok {
				limit = own
			}
			if r.ContentLength > limit {
				tooLarge(w, r, limit)
				return
			}
			st := &state{limit: limit}
			r = r.WithContext(context.WithValue(r.Context(), key{}, st))
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = &reader{body: r.Body, left: limit, st: st}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Exceeded reports whether the body of the request that ctx belongs to passed its limit, and the limit.
func Exceeded(ctx context.Context) (limit int64, exceeded bool) {
	st, ok := ctx.Value(key{}).(*state)
	if !ok {
		return 0, false
	}
	return st.limit, st.exceeded.Load()
}

// reader lets exactly left bytes through and fails, marking the request, when there are more.
type reader struct {
	body io.ReadCloser
	left int64
	st   *state
}

func (r *reader) Read(p []byte) (int, error) {
	if r.st.exceeded.Load() {
		return 0, ErrTooLarge
	}
	// Ask for one byte more than is left: getting it is how a body one byte over the limit is noticed.
	if int64(len(p)) > r.left+1 {
		p = p[:r.left+1]
	}
	n, err := r.body.Read(p)
	if int64(n) <= r.left {
		r.left -= int64(n)
		return n, err
	}
	r.st.exceeded.Store(true)
	n, r.left = int(r.left), 0
	return n, ErrTooLarge
}

func (r *reader) Close() error { return r.body.Close() }
