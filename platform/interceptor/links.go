package interceptor

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/partnerskap/partnerskap/platform/grpcerr"
	"github.com/partnerskap/partnerskap/platform/logging"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/requestid"
	"github.com/partnerskap/partnerskap/platform/validation"
)

// Recovery turns a panic into INTERNAL and logs its stack; the caller never sees the stack.
func Recovery() Link {
	recovered := func(ctx context.Context, method string, p any) error {
		slog.ErrorContext(ctx, "panic in handler", "method", method, "panic", p, "stack", string(debug.Stack()))
		return status.Error(codes.Internal, "internal error; the request id in the logs tells operators more")
	}
	return Link{
		Name: "recovery",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (resp any, err error) {
			defer func() {
				if p := recover(); p != nil {
					err = recovered(ctx, info.FullMethod, p)
				}
			}()
			return next(ctx, req)
		},
		Stream: func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = recovered(ss.Context(), info.FullMethod, p)
				}
			}()
			return next(srv, ss)
		},
	}
}

// RequestID takes the caller's x-request-id when it is well formed, or makes one, puts it in the context for
// logs and audit records, and sends it back in the response header.
func RequestID() Link {
	attach := func(ctx context.Context) context.Context {
		var id string
		if md, ok := metadata.FromIncomingContext(ctx); ok {
			if v := md.Get(requestid.Header); len(v) > 0 {
				id = v[0]
			}
		}
		id = requestid.OrNew(id)
		_ = grpc.SetHeader(ctx, metadata.Pairs(requestid.Header, id))
		return requestid.With(ctx, id)
	}
	return Link{
		Name: "request_id",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			return next(attach(ctx), req)
		},
		Stream: func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
			return next(srv, &streamWithContext{ServerStream: ss, ctx: attach(ss.Context())})
		},
	}
}

// Logging writes a line about every call that failed or took slow or longer (logging.SuccessLevel): method,
// code and duration, and for a failure the error mapper hid from the caller (INTERNAL, a database fault) its
// cause. Quick successful calls and health checks are logged at debug level. Calls that failed for want of a
// dependency are logged at warn, bugs at error, the caller's mistakes (invalid input, not found) at info.
func Logging(slow time.Duration) Link {
	log := func(ctx context.Context, method string, start time.Time, err error, cause *grpcerr.Cause) {
		code := status.Code(err)
		took := time.Since(start)
		var level slog.Level
		switch {
		case publicMethod(method):
			level = slog.LevelDebug
		case code == codes.OK:
			level = logging.SuccessLevel(took, slow)
		case code == codes.Internal || code == codes.Unknown || code == codes.DataLoss:
			level = slog.LevelError
		case code == codes.Unavailable || code == codes.DeadlineExceeded:
			level = slog.LevelWarn
		default:
			level = slog.LevelInfo
		}
		if !slog.Default().Enabled(ctx, level) {
			return
		}
		attrs := []any{"method", method, "code", code.String(), "duration_ms", float64(took.Microseconds()) / 1000}
		if err != nil {
			attrs = append(attrs, "error", status.Convert(err).Message())
		}
		if c := cause.String(); c != "" {
			attrs = append(attrs, "cause", c)
		}
		slog.Log(ctx, level, "grpc call", attrs...)
	}
	return Link{
		Name: "logging",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			start := time.Now()
			ctx, cause := grpcerr.WithCause(ctx)
			resp, err := next(ctx, req)
			log(ctx, info.FullMethod, start, err, cause)
			return resp, err
		},
		Stream: func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
			start := time.Now()
			ctx, cause := grpcerr.WithCause(ss.Context())
			err := next(srv, &streamWithContext{ServerStream: ss, ctx: ctx})
			log(ctx, info.FullMethod, start, err, cause)
			return err
		},
	}
}

// Errors maps every error below it to a google.rpc.Status through grpcerr, the one error mapper, after
// naming a database fault for what it is (postgres.AsFault), so that it is a 503, never a 500.
func Errors() Link {
	return Link{
		Name: "errors",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			resp, err := next(ctx, req)
			return resp, grpcerr.Error(ctx, postgres.AsFault(ctx, err))
		},
		Stream: func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
			return grpcerr.Error(ss.Context(), postgres.AsFault(ss.Context(), next(srv, ss)))
		},
	}
}

// Validation checks each request against the protovalidate rules in its proto, for unary calls before the
// handler runs and for streams as each message is received, so that no handler sees a request its proto
// forbids, whichever kind of call it serves.
func Validation() Link {
	return Link{
		Name: "validation",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			if msg, ok := req.(proto.Message); ok {
				if err := validation.Check(msg, ""); err != nil {
					return nil, err
				}
			}
			return next(ctx, req)
		},
		Stream: func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
			return next(srv, validatedStream{ss})
		},
	}
}

// validatedStream checks every message it receives.
type validatedStream struct{ grpc.ServerStream }

func (s validatedStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	if msg, ok := m.(proto.Message); ok {
		return validation.Check(msg, "")
	}
	return nil
}

// Deadline gives a call without a deadline the default budget and shortens one longer than the maximum, so no
// handler runs unbounded.
func Deadline(budget time.Duration) Link {
	bound := func(ctx context.Context) (context.Context, context.CancelFunc) {
		if d, ok := ctx.Deadline(); ok && time.Until(d) <= budget {
			return ctx, func() {}
		}
		return context.WithTimeout(ctx, budget)
	}
	return Link{
		Name: "deadline",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			ctx, cancel := bound(ctx)
			defer cancel()
			return next(ctx, req)
		},
		// Streams (watches) are long-lived by design; their handlers bound each step themselves.
	}
}
