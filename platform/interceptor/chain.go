// Package interceptor holds the gRPC server's interceptor chain: one named link per concern, in an order that
// is fixed here and checked when the chain is built.
package interceptor

import (
	"context"
	"fmt"
	"strings"

	"google.golang.org/grpc"
)

// Link is one named interceptor, for unary and streaming calls.
type Link struct {
	Name   string
	Unary  grpc.UnaryServerInterceptor
	Stream grpc.StreamServerInterceptor
}

// Order is the order of the chain, outermost first. Why each sits where it does:
//
//   - recovery: first, so a panic anywhere below, including in another interceptor, becomes INTERNAL instead
//     of killing the process.
//   - request_id: before logging, so every log line of the call carries the id.
//   - logging: outside metrics and errors, so it sees the final status code and the whole duration.
//   - metrics: outside errors, so codes are counted as the caller sees them.
//   - errors: maps every error below it (faults from auth, validation and handlers) to a google.rpc.Status
//     once, in one place.
//   - authentication: before anything that needs to know who calls; refuses calls without a valid token.
//   - authorization: needs the principal; refuses roles the RPC's proto does not allow before any input is
//     examined, so a caller without rights learns nothing from validation errors.
//   - validation: protovalidate rules of the request, after we know the caller may ask at all.
//   - deadline: so the time budget bounds only the handler's own work (database, other services), retries
//     included.
//   - retry: last, right around the handler, so a read that met a database restart runs again within the one
//     deadline, after authentication and validation, which need no second run.
var Order = []string{"recovery", "request_id", "logging", "metrics", "errors", "authentication", "authorization", "validation", "deadline", "retry"}

// Build checks that links are exactly Order and returns them as server options.
func Build(links []Link) ([]grpc.ServerOption, error) {
	names := make([]string, len(links))
	for i, l := range links {
		names[i] = l.Name
	}
	if strings.Join(names, ",") != strings.Join(Order, ",") {
		return nil, fmt.Errorf("interceptor chain is %v, want %v", names, Order)
	}
	var unary []grpc.UnaryServerInterceptor
	var stream []grpc.StreamServerInterceptor
	for _, l := range links {
		if l.Unary != nil {
			unary = append(unary, l.Unary)
		}
		if l.Stream != nil {
			stream = append(stream, l.Stream)
		}
	}
	return []grpc.ServerOption{grpc.ChainUnaryInterceptor(unary...), grpc.ChainStreamInterceptor(stream...)}, nil
}

// streamWithContext lets a stream interceptor hand a new context to the handler.
type streamWithContext struct {
	grpc.ServerStream
	ctx context.Context
}

// Context returns the replaced context.
func (s *streamWithContext) Context() context.Context { return s.ctx }

// publicMethod reports whether a method is served without a token: health checks and reflection, which
// probes and operators' tools call without credentials (conventions.md, "Who may do what").
func publicMethod(fullMethod string) bool {
	return strings.HasPrefix(fullMethod, "/grpc.health.v1.Health/") ||
		strings.HasPrefix(fullMethod, "/grpc.reflection.")
}

// splitMethod turns "/pkg.Service/Method" into its service and method names, for labels and logs.
func splitMethod(fullMethod string) (service, method string) {
	s := strings.TrimPrefix(fullMethod, "/")
	if i := strings.LastIndex(s, "/"); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "unknown", s
}
