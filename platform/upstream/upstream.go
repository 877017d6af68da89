// Package upstream is how a service calls another service of the suite over gRPC: one lazily connected
// client connection per callee, calls that carry the caller's own bearer token and request id and run under a
// deadline, and the callee's errors turned into this service's faults.
//
// Calls pass the caller's token on, so the callee applies the caller's rights: a member never learns of
// another organisation's partnership through a network or a budget.
//
// The connection retries a call, with backoff and within its deadline, only when it failed with UNAVAILABLE
// (the callee could not be reached or was shutting down), and only for the gRPC services named at Dial. That
// is safe for reads alone: a write retried after an UNAVAILABLE that the callee had in fact applied would be
// applied twice. Name only services whose methods this service calls to read, or give writes an
// idempotency key and their own connection.
package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/requestid"
)

// PartnershipSettings configure a client of the partnership service. A service nests them in its own
// settings, so every client of the partnership service reads the same variables.
type PartnershipSettings struct {
	Addr    string        `env:"PARTNERSHIP_ADDR" help:"gRPC address of the partnership service, which this service reads partnerships and applications from"`
	Timeout time.Duration `env:"PARTNERSHIP_TIMEOUT" help:"deadline of one call to the partnership service, retries included"`
}

// DefaultPartnershipSettings are the local defaults (the partnership service's port in conventions.md).
func DefaultPartnershipSettings() PartnershipSettings {
	return PartnershipSettings{Addr: "127.0.0.1:9091", Timeout: 5 * time.Second}
}

// FinanceSettings say where the finance service is, for a service that reads from it.
type FinanceSettings struct {
	Addr    string        `env:"FINANCE_ADDR" help:"gRPC address of the finance service, which this service reads the financial part of reports from"`
	Timeout time.Duration `env:"FINANCE_TIMEOUT" help:"deadline of one call to the finance service, retries included"`
}

// DefaultFinanceSettings are the local defaults (the finance service's port in conventions.md).
func DefaultFinanceSettings() FinanceSettings {
	return FinanceSettings{Addr: "127.0.0.1:9093", Timeout: 5 * time.Second}
}

// DialFinance prepares a connection to the finance service, retrying reads of FinanceService on UNAVAILABLE.
func DialFinance(s FinanceSettings) (*Conn, error) {
	return Dial("finance", s.Addr, s.Timeout, financepb.FinanceService_ServiceDesc.ServiceName)
}

// The retry policy of the listed gRPC services: up to three attempts, each retry after a random wait below a
// bound that starts at 0.1s and doubles up to 1s, all within the call's deadline.
const (
	maxAttempts       = 3
	initialBackoff    = "0.1s"
	maxBackoff        = "1s"
	backoffMultiplier = 2
)

// Conn is a lazily connected client connection to another service, with the retry policy of the package
// comment (UNAVAILABLE, reads only) on the gRPC services it was dialled with. Build the generated clients on
// ClientConn, and run every call under a context from Outgoing.
type Conn struct {
	conn    *grpc.ClientConn
	name    string
	timeout time.Duration
}

// Dial prepares a connection to the service called name (e.g. "partnership", used in messages) at addr. It
// does not connect: the first call does, so a service starts while the one it calls is down. timeout bounds
// each call, retries included. grpcServices are the fully qualified gRPC services (e.g.
// "partnerskap.partnership.v1.PartnershipService") whose calls are retried on UNAVAILABLE; list only
// services this connection calls to read.
func Dial(name, addr string, timeout time.Duration, grpcServices ...string) (*Conn, error) {
	if name == "" {
		return nil, errors.New("upstream: the service's name is empty")
	}
	if addr == "" {
		return nil, fmt.Errorf("%s service client: the address is empty", name)
	}
	if timeout <= 0 {
		return nil, fmt.Errorf("%s service client: the call timeout must be positive, not %s", name, timeout)
	}
	opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	if len(grpcServices) > 0 {
		config, err := serviceConfig(grpcServices)
		if err != nil {
			return nil, fmt.Errorf("%s service client: %w", name, err)
		}
		opts = append(opts, grpc.WithDefaultServiceConfig(config))
	}
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s service client: %w", name, err)
	}
	return &Conn{conn: conn, name: name, timeout: timeout}, nil
}

// DialPartnership prepares a connection to the partnership service, retrying reads of its three gRPC
// services (PartnershipService, ProgrammeService, CooperationService) on UNAVAILABLE.
func DialPartnership(s PartnershipSettings) (*Conn, error) {
	return Dial("partnership", s.Addr, s.Timeout,
		pb.PartnershipService_ServiceDesc.ServiceName,
		pb.ProgrammeService_ServiceDesc.ServiceName,
		pb.CooperationService_ServiceDesc.ServiceName)
}

// serviceConfig is the gRPC service config that retries the methods of grpcServices on UNAVAILABLE.
func serviceConfig(grpcServices []string) (string, error) {
	type name struct {
		Service string `json:"service"`
	}
	type retryPolicy struct {
		MaxAttempts          int      `json:"maxAttempts"`
		InitialBackoff       string   `json:"initialBackoff"`
		MaxBackoff           string   `json:"maxBackoff"`
		BackoffMultiplier    float64  `json:"backoffMultiplier"`
		RetryableStatusCodes []string `json:"retryableStatusCodes"`
	}
	type methodConfig struct {
		Name        []name      `json:"name"`
		RetryPolicy retryPolicy `json:"retryPolicy"`
	}
	mc := methodConfig{RetryPolicy: retryPolicy{MaxAttempts: maxAttempts, InitialBackoff: initialBackoff,
		MaxBackoff: maxBackoff, BackoffMultiplier: backoffMultiplier, RetryableStatusCodes: []string{"UNAVAILABLE"}}}
	for _, s := range grpcServices {
		if s == "" {
			return "", errors.New("an empty gRPC service name")
		}
		mc.Name = append(mc.Name, name{Service: s})
	}
	data, err := json.Marshal(struct {
		MethodConfig []methodConfig `json:"methodConfig"`
	}{[]methodConfig{mc}})
	return string(data), err
}

// ClientConn is the underlying connection, on which to build generated clients
// (pb.NewPartnershipServiceClient(c.ClientConn())).
func (c *Conn) ClientConn() *grpc.ClientConn { return c.conn }

// Close releases the connection; calls in flight fail with CANCELED.
func (c *Conn) Close() error { return c.conn.Close() }

// Outgoing bounds a call by the connection's timeout (or the caller's own deadline, when that is sooner) and
// passes on who asks: the bearer token of the call being served (its incoming "authorization" metadata) and
// its request id. Call cancel when the call, or the calls made with the context, are done.
func (c *Conn) Outgoing(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	md := metadata.MD{}
	if in, ok := metadata.FromIncomingContext(ctx); ok {
		if v := in.Get("authorization"); len(v) > 0 {
			md.Set("authorization", v[0])
		}
	}
	if id := requestid.From(ctx); id != "" {
		md.Set(requestid.Header, id)
	}
	return metadata.NewOutgoingContext(ctx, md), cancel
}

// Translate turns the called service's answer about the resource kind/id into this service's faults: one
// the caller may not see is NOT_FOUND, exactly as one that does not exist; an unreachable, slow or cancelled
// call is UNAVAILABLE, naming the service; a token the called service refused is UNAUTHENTICATED. Any other
// error is wrapped, its gRPC status kept. nil stays nil.
func (c *Conn) Translate(err error, kind, id string) error {
	if err == nil {
		return nil
	}
	switch status.Code(err) {
	case codes.NotFound, codes.PermissionDenied:
		return &fault.NotFound{Kind: kind, ID: id}
	case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled:
		return &fault.Unavailable{Reason: fault.ServiceUnavailable, Service: c.name,
			Message: "the " + c.name + " service is unavailable; nothing was changed, try again shortly"}
	case codes.Unauthenticated:
		return &fault.Unauthenticated{Reason: "TOKEN_REFUSED_UPSTREAM", Message: "the " + c.name + " service refused the caller's token"}
	}
	return fmt.Errorf("%s service: %w", c.name, err)
}

// NotUpgraded is the answer while the service called is an older version that does not yet send what this
// one needs (during a rollout that updated this service first): UNAVAILABLE, so that clients retry, rather
// than a refusal that blames the request.
func (c *Conn) NotUpgraded(what string) error {
	return &fault.Unavailable{Reason: fault.ServiceUnavailable, Service: c.name,
		Message: "the " + c.name + " service is an older version that does not send " + what + "; nothing was changed, try again once it is upgraded"}
}

// IsUnavailable reports whether err is, or wraps, an UNAVAILABLE fault, as Translate returns for a service
// that could not answer.
func IsUnavailable(err error) bool {
	var u *fault.Unavailable
	return errors.As(err, &u)
}
