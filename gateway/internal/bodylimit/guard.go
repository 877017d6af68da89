package bodylimit

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Guard is a gRPC client interceptor that refuses to call a service for a request whose body passed the
// limit. It is needed because the generated handlers ignore read errors while draining the rest of the body
// after a successful decode: a small JSON value followed by a flood of bytes would otherwise reach the service.
func Guard(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if _, over := Exceeded(ctx); over {
		return status.Error(codes.ResourceExhausted, ErrTooLarge.Error())
	}
	return invoker(ctx, method, req, reply, cc, opts...)
}
