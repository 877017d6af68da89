package httperr

import (
	"context"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// maxEcho bounds how much of a client's path an error message repeats.
const maxEcho = 200

// Routing is the runtime.WithRoutingErrorHandler function: a request no route matches answers 404, a route
// with another method 405, each naming what did not match, through the same Handle as every other error.
func Routing(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, httpStatus int) {
	path := r.URL.Path
	if len(path) > maxEcho {
		path = path[:maxEcho] + "..."
	}
	var st *status.Status
	switch httpStatus {
	case http.StatusNotFound:
		st = withReason(status.Newf(codes.NotFound, "no API route matches the path %q", path), "ROUTE_NOT_FOUND", nil)
	case http.StatusMethodNotAllowed:
		st = withReason(status.Newf(codes.Unimplemented, "the method %s is not allowed on the path %q", r.Method, path), "METHOD_NOT_ALLOWED", nil)
	default:
		st = status.Newf(codes.InvalidArgument, "malformed request path %q", path)
	}
	Handle(ctx, mux, m, w, r, &runtime.HTTPStatusError{HTTPStatus: httpStatus, Err: st.Err()})
}
