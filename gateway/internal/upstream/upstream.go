// Package upstream holds the gateway's connections to the four services: plaintext gRPC (the services sit
// on a private network next to the gateway), one connection per service, shared by the REST routes and the
// health checks.
package upstream

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/partnerskap/partnerskap/gateway/internal/bodylimit"
	"github.com/partnerskap/partnerskap/gateway/internal/headers"
)

// RegisterFunc adds a service's generated REST routes to the mux, calling through conn.
type RegisterFunc func(ctx context.Context, mux *runtime.ServeMux, conn *grpc.ClientConn) error

// Service is one backend.
type Service struct {
	// Name is the short name: partnership, network, finance or reporting.
	Name string
	// Addr is the service's gRPC address, host:port.
	Addr string
	// Registers are the generated Register<Service>Handler functions of every gRPC service the binary serves.
	Registers []RegisterFunc
}

// Conn is an open connection to one Service.
type Conn struct {
	Service
	*grpc.ClientConn
}

// Health returns the client for the service's grpc.health.v1 endpoint.
func (c Conn) Health() healthpb.HealthClient { return healthpb.NewHealthClient(c.ClientConn) }

// Dial opens a connection to every service; nothing is sent until the first call, so a service that is down
// does not stop the gateway from starting. Every call is bounded by timeout.
func Dial(services []Service, timeout time.Duration) ([]Conn, error) {
	// Order matters: the body guard first, so an oversized request costs nothing further; the metadata filter
	// next, so no interceptor after it can add an unlisted key; the deadline last, closest to the wire.
	opts := []grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(bodylimit.Guard, headers.Filter, deadline(timeout)),
	}
	conns := make([]Conn, 0, len(services))
	for _, s := range services {
		cc, err := grpc.NewClient(s.Addr, opts...)
		if err != nil {
			_ = Close(conns)
			return nil, fmt.Errorf("connect to the %s service at %s: %w", s.Name, s.Addr, err)
		}
		conns = append(conns, Conn{Service: s, ClientConn: cc})
	}
	return conns, nil
}

// Close closes every connection.
func Close(conns []Conn) error {
	var errs []error
	for _, c := range conns {
		if err := c.ClientConn.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s connection: %w", c.Name, err))
		}
	}
	return errors.Join(errs...)
}

// deadline bounds every call by timeout, so a stuck service ties up no gateway request for longer. A
// shorter deadline already on the context (the client's Grpc-Timeout) still wins.
func deadline(timeout time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}
