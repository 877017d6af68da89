// Package accesslog writes a log line about an HTTP request: method, path, status, duration and bytes. Every
// failed request is logged (4xx at info, 5xx at warn), a successful one when it took the slow threshold or
// longer (logging.SuccessLevel), and the rest at debug level, so that LOG_LEVEL=debug shows every request. The
// request_id attribute is added from the request's context by the platform logging handler (adding it here
// too would print it twice). Headers and the query string are never logged, since they may hold tokens.
package accesslog

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/partnerskap/partnerskap/platform/logging"
)

// Middleware logs the requests handled by next to logger once they are answered; slow is the threshold for
// successful ones.
func Middleware(logger *slog.Logger, slow time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &recorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			took := time.Since(start)
			level := logging.SuccessLevel(took, slow)
			switch {
			case rec.status >= 500:
				level = slog.LevelWarn
			case rec.status >= 400:
				level = slog.LevelInfo
			}
			if !logger.Enabled(r.Context(), level) {
				return
			}
			logger.LogAttrs(r.Context(), level, "http request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", rec.status),
				slog.Duration("duration", took),
				slog.Int64("bytes", rec.bytes),
			)
		})
	}
}

// recorder remembers the status and size of the answer written through it.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (for Flush and deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
