package httperr

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
)

// fallback is the body when the status itself cannot be marshalled; it is never expected.
const fallback = `{"code":13,"message":"failed to marshal the error"}`

// write sends st as the JSON body with httpStatus.
func write(w http.ResponseWriter, m runtime.Marshaler, httpStatus int, st *status.Status) {
	buf, err := m.Marshal(st.Proto())
	if err != nil {
		slog.Error("marshal error status", "error", err.Error())
		buf, httpStatus = []byte(fallback), http.StatusInternalServerError
	}
	h := w.Header()
	// A failure after a forward began must not leave its trailers or framing behind.
	h.Del("Trailer")
	h.Del("Transfer-Encoding")
	h.Del("ETag")
	h.Set("Content-Type", "application/json")
	// An error is about one caller's request: never cached, never sniffed, whichever path it came from.
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if httpStatus == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="partnerskap"`)
	}
	if d, ok := retryDelay(st); ok && h.Get("Retry-After") == "" {
		// A service's RetryInfo (a database restarting, say) as the header HTTP clients and proxies know.
		h.Set("Retry-After", strconv.FormatInt(int64(math.Ceil(max(d.Seconds(), 1))), 10))
	}
	w.WriteHeader(httpStatus)
	_, _ = w.Write(buf)
}

// retryDelay is the delay of st's RetryInfo, if it has one.
func retryDelay(st *status.Status) (time.Duration, bool) {
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok && ri.GetRetryDelay().IsValid() {
			return ri.GetRetryDelay().AsDuration(), true
		}
	}
	return 0, false
}
