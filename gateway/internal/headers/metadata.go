package headers

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// Filter is a gRPC client interceptor that removes every outgoing metadata key not on the allow-list. The
// header matcher alone is not enough: runtime.AnnotateContext adds x-forwarded-for and x-forwarded-host to
// every call whatever the matcher says, and those describe the gateway's network, not the caller.
func Filter(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if md, ok := metadata.FromOutgoingContext(ctx); ok {
		kept := metadata.MD{}
		for k, v := range md {
			if forwarded[k] {
				kept[k] = v
			}
		}
		ctx = metadata.NewOutgoingContext(ctx, kept)
	}
	return invoker(ctx, method, req, reply, cc, opts...)
}
