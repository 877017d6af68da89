// Package httperr is the gateway's one error handler: every failure, whether a service's status, a body the
// gateway could not decode, an unknown route or an unreachable service, leaves as a google.rpc.Status JSON
// body with the HTTP status that matches its code.
//
// Statuses that come from a service pass with their details, the fields of a refusal renamed as the client
// wrote them (package fieldnames). What only the gateway knows is rewritten:
// an unreachable or slow service gets a generic message naming the service (the transport's own text holds
// internal addresses), and a body over the limit answers 413. A status without details gets an ErrorInfo, so
// that every error carries a machine-readable reason.
package httperr

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/partnerskap/partnerskap/gateway/internal/bodylimit"
	"github.com/partnerskap/partnerskap/gateway/internal/codec"
	"github.com/partnerskap/partnerskap/gateway/internal/fieldnames"
	"github.com/partnerskap/partnerskap/platform/grpcerr"
)

// Handle is the runtime.WithErrorHandler function.
func Handle(ctx context.Context, _ *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	if limit, over := bodylimit.Exceeded(r.Context()); over {
		write(w, m, http.StatusRequestEntityTooLarge, tooLarge(limit))
		return
	}
	httpStatus := 0
	var withStatus *runtime.HTTPStatusError
	if errors.As(err, &withStatus) {
		httpStatus, err = withStatus.HTTPStatus, withStatus.Err
	}
	st := classify(ctx, err, httpStatus)
	pattern, _ := runtime.HTTPPathPattern(ctx)
	st = fieldnames.Rename(st, r, pattern)
	if httpStatus == 0 {
		httpStatus = runtime.HTTPStatusFromCode(st.Code())
	}
	write(w, m, httpStatus, st)
}

// TooLarge answers 413 to a request whose declared body is over limit bytes; it is bodylimit's TooLargeFunc.
func TooLarge(w http.ResponseWriter, _ *http.Request, limit int64) {
	// The body stays unread, so the connection cannot carry another request.
	w.Header().Set("Connection", "close")
	write(w, codec.New(), http.StatusRequestEntityTooLarge, tooLarge(limit))
}

// NotAcceptable answers 406 to a request whose Accept header admits none of the types its route can answer;
// it is negotiate's Refuse. The body is JSON whatever was asked for: it is the one format every error has.
func NotAcceptable(w http.ResponseWriter, _ *http.Request, offered []string) {
	st := status.Newf(codes.InvalidArgument, "this route answers %s; ask for one of them in the Accept header", strings.Join(offered, " or "))
	write(w, codec.New(), http.StatusNotAcceptable, withReason(st, "NOT_ACCEPTABLE", map[string]string{"offered": strings.Join(offered, ",")}))
}

// Unauthenticated answers 401 to a request whose bearer token can never be accepted, with the reason a
// service would give (TOKEN_MISSING or TOKEN_MALFORMED); it is bearer's RefuseFunc.
func Unauthenticated(w http.ResponseWriter, _ *http.Request, reason, message string) {
	write(w, codec.New(), http.StatusUnauthorized, withReason(status.New(codes.Unauthenticated, message), reason, nil))
}

// RateLimited answers 429 to a caller over a rate limit, with Retry-After in whole seconds and the same delay
// as a RetryInfo; it is ratelimit's RefuseFunc.
func RateLimited(w http.ResponseWriter, _ *http.Request, limit string, retryAfter time.Duration, message string) {
	seconds := max(1, int64(math.Ceil(retryAfter.Seconds())))
	w.Header().Set("Retry-After", strconv.FormatInt(seconds, 10))
	st, err := status.New(codes.ResourceExhausted, message).WithDetails(
		&errdetails.ErrorInfo{Reason: "RATE_LIMITED", Domain: grpcerr.Domain, Metadata: map[string]string{"limit": limit}},
		&errdetails.RetryInfo{RetryDelay: durationpb.New(time.Duration(seconds) * time.Second)},
	)
	if err != nil {
		st = withReason(status.New(codes.ResourceExhausted, message), "RATE_LIMITED", map[string]string{"limit": limit})
	}
	write(w, codec.New(), http.StatusTooManyRequests, st)
}

// classify turns err into the status the client sees.
func classify(ctx context.Context, err error, httpStatus int) *status.Status {
	st, ok := status.FromError(err)
	switch {
	case !ok && httpStatus >= 400 && httpStatus < 500:
		// The mux's own complaints about the request (such as a malformed path escape) say nothing internal.
		st = status.New(codes.InvalidArgument, err.Error())
	case !ok:
		slog.ErrorContext(ctx, "gateway error", "error", err.Error())
		st = status.New(codes.Internal, "internal error; the request id in the logs tells operators more")
	case len(st.Details()) > 0:
		// A service's own answer (it always carries an ErrorInfo), e.g. UNAVAILABLE because a service it
		// depends on is down: passed on as the service worded it.
	case st.Code() == codes.Unavailable:
		service := serviceName(ctx)
		slog.WarnContext(ctx, "service unavailable", "upstream", service, "error", st.Message())
		st = replaceMessage(st, "the "+service+" service is unavailable", "SERVICE_UNAVAILABLE", service)
	case st.Code() == codes.DeadlineExceeded:
		service := serviceName(ctx)
		slog.WarnContext(ctx, "service too slow", "upstream", service, "error", st.Message())
		// The same reason as a service's own deadline: for the client it is one condition, a timeout.
		st = replaceMessage(st, "the "+service+" service did not answer in time", "DEADLINE_EXCEEDED", service)
	}
	return withReason(st, reasonFromCode(st.Code()), nil)
}

// tooLarge is the status of a body over limit bytes.
func tooLarge(limit int64) *status.Status {
	st := status.Newf(codes.ResourceExhausted, "the request body is larger than the limit of %d bytes", limit)
	return withReason(st, "BODY_TOO_LARGE", nil)
}

// replaceMessage keeps st's code and details but not its message, which may name internal addresses.
func replaceMessage(st *status.Status, msg, reason, service string) *status.Status {
	p := st.Proto()
	p.Message = msg
	return withReason(status.FromProto(p), reason, map[string]string{"service": service})
}

// withReason adds an ErrorInfo to a status that has no details at all: statuses the gateway or the gRPC
// transport made, never one from a service's error mapper, which always carries its own.
func withReason(st *status.Status, reason string, meta map[string]string) *status.Status {
	if len(st.Proto().GetDetails()) > 0 {
		return st
	}
	if detailed, err := st.WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: grpcerr.Domain, Metadata: meta}); err == nil {
		return detailed
	}
	return st
}

// reasonFromCode is the default reason of a code, spelled like the code (as platform/grpcerr does).
func reasonFromCode(c codes.Code) string {
	var b strings.Builder
	for i, r := range c.String() {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

// serviceName is the short name of the service the failed call went to, taken from the RPC's full name
// ("/partnerskap.finance.v1.FinanceService/ListBudgets" -> "finance").
func serviceName(ctx context.Context) string {
	method, ok := runtime.RPCMethod(ctx)
	if parts := strings.Split(strings.TrimPrefix(method, "/"), "."); ok && len(parts) > 2 {
		return parts[1]
	}
	return "upstream"
}
