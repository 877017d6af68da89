// Package grpcerr is the one place where errors become gRPC statuses.
//
// Domain code returns the plain-Go faults of package fault; this package turns each into a google.rpc.Status
// with the right code and the details a client can act on: BadRequest field violations, PreconditionFailure,
// and always an ErrorInfo whose reason is stable. Any other error becomes INTERNAL with a generic message, so
// SQL text, stack traces and addresses never reach a caller; the cause is logged with the request id instead.
package grpcerr

import (
	"context"
	"errors"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Domain is the ErrorInfo domain of every Partnerskap error.
const Domain = "partnerskap"

// Status converts err to a gRPC status. Errors that already are statuses pass unchanged; faults map to their
// codes (a database fault arrives as a fault.Unavailable, see postgres.AsFault); context errors to CANCELLED
// and DEADLINE_EXCEEDED; anything else to INTERNAL. The cause of an INTERNAL or UNAVAILABLE answer is noted for
// the call's one log line (see WithCause), never sent to the caller.
func Status(ctx context.Context, err error) *status.Status {
	if err == nil {
		return nil
	}
	if s, ok := fromFault(ctx, err); ok {
		return s
	}
	if s, ok := status.FromError(err); ok {
		return s
	}
	// The caller's own deadline or cancellation first: a query cut short by it also looks like a lost
	// connection or a cancelled statement.
	switch {
	case errors.Is(err, context.Canceled) || (ctx.Err() == context.Canceled):
		return withInfo(codes.Canceled, "the request was cancelled", "CANCELLED", nil)
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
		return withInfo(codes.DeadlineExceeded, "the request took longer than its deadline", "DEADLINE_EXCEEDED", nil)
	}
	noteCause(ctx, err)
	return withInfo(codes.Internal, "internal error; the request id in the logs tells operators more", "INTERNAL", nil)
}

// RetryDelay is the wait an UNAVAILABLE answer suggests (google.rpc.RetryInfo; the gateway's Retry-After).
const RetryDelay = time.Second

// Error is Status(ctx, err).Err(): the form a gRPC handler returns.
func Error(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	return Status(ctx, err).Err()
}

func fromFault(ctx context.Context, err error) (*status.Status, bool) {
	var (
		invalid  *fault.Invalid
		precond  *fault.FailedPrecondition
		notFound *fault.NotFound
		conflict *fault.Conflict
		unauth   *fault.Unauthenticated
		denied   *fault.PermissionDenied
		unavail  *fault.Unavailable
	)
	switch {
	case errors.As(err, &invalid):
		br := &errdetails.BadRequest{}
		for _, v := range invalid.Violations {
			br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: v.Field, Description: v.Description})
		}
		return withInfo(codes.InvalidArgument, invalid.Error(), orDefault(invalid.Reason, "INVALID_ARGUMENT"), nil, br), true
	case errors.As(err, &precond):
		pf := &errdetails.PreconditionFailure{}
		for _, v := range precond.Violations {
			pf.Violations = append(pf.Violations, &errdetails.PreconditionFailure_Violation{Type: v.Type, Subject: v.Subject, Description: v.Description})
		}
		return withInfo(codes.FailedPrecondition, precond.Message, orDefault(precond.Reason, "FAILED_PRECONDITION"), nil, pf), true
	case errors.As(err, &notFound):
		meta := map[string]string{"kind": notFound.Kind, "id": notFound.ID}
		return withInfo(codes.NotFound, notFound.Error(), "NOT_FOUND", meta), true
	case errors.As(err, &conflict):
		code := codes.Aborted
		if conflict.AlreadyExists {
			code = codes.AlreadyExists
		}
		var extra []protoadapt.MessageV1
		if conflict.Field != "" {
			extra = append(extra, &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: conflict.Field, Description: conflict.Message}}})
		}
		return withInfo(code, conflict.Message, orDefault(conflict.Reason, "CONFLICT"), nil, extra...), true
	case errors.As(err, &unauth):
		return withInfo(codes.Unauthenticated, unauth.Message, orDefault(unauth.Reason, "UNAUTHENTICATED"), nil), true
	case errors.As(err, &denied):
		return withInfo(codes.PermissionDenied, denied.Message, orDefault(denied.Reason, "PERMISSION_DENIED"), nil), true
	case errors.As(err, &unavail):
		if unavail.Cause != nil {
			noteCause(ctx, unavail.Cause)
		}
		var meta map[string]string
		if unavail.Service != "" {
			meta = map[string]string{"service": unavail.Service}
		}
		return withInfo(codes.Unavailable, unavail.Message, orDefault(unavail.Reason, fault.ServiceUnavailable), meta,
			&errdetails.RetryInfo{RetryDelay: durationpb.New(RetryDelay)}), true
	}
	return nil, false
}

func withInfo(code codes.Code, msg, reason string, meta map[string]string, details ...protoadapt.MessageV1) *status.Status {
	s := status.New(code, msg)
	all := append([]protoadapt.MessageV1{&errdetails.ErrorInfo{Reason: reason, Domain: Domain, Metadata: meta}}, details...)
	if withDetails, err := s.WithDetails(all...); err == nil {
		return withDetails
	}
	return s
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
