package upstream_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/requestid"
	"github.com/partnerskap/partnerskap/platform/upstream"
)

// partnerships is a partnership service whose answer to GetPartnership depends on the id asked for, and
// which remembers what each call carried.
type partnerships struct {
	pb.UnimplementedPartnershipServiceServer

	mu       sync.Mutex
	attempts map[string]int
	md       metadata.MD   // of the last call
	left     time.Duration // of the last call's deadline on arrival; 0 without one
}

func (p *partnerships) GetPartnership(ctx context.Context, req *pb.GetPartnershipRequest) (*pb.Partnership, error) {
	id := req.GetId()
	p.mu.Lock()
	p.attempts[id]++
	attempt := p.attempts[id]
	p.md, _ = metadata.FromIncomingContext(ctx)
	p.left = 0
	if d, ok := ctx.Deadline(); ok {
		p.left = time.Until(d)
	}
	p.mu.Unlock()
	switch id {
	case "missing":
		return nil, status.Error(codes.NotFound, "no such partnership")
	case "hidden":
		return nil, status.Error(codes.PermissionDenied, "not yours")
	case "refused":
		return nil, status.Error(codes.Unauthenticated, "expired token")
	case "invalid":
		return nil, status.Error(codes.InvalidArgument, "id is not a UUID")
	case "down":
		return nil, status.Error(codes.Unavailable, "shutting down")
	case "flaky":
		if attempt < 3 {
			return nil, status.Error(codes.Unavailable, "shutting down")
		}
	case "slow":
		<-ctx.Done()
		return nil, status.FromContextError(ctx.Err()).Err()
	}
	return &pb.Partnership{Id: id, Title: "Youth and the environment"}, nil
}

func (p *partnerships) attemptsOf(id string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.attempts[id]
}

func (p *partnerships) last() (metadata.MD, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.md, p.left
}

// serve starts a real gRPC server on a loopback port and returns its address.
func serve(t *testing.T) (*partnerships, string) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	impl := &partnerships{attempts: map[string]int{}}
	s := grpc.NewServer()
	pb.RegisterPartnershipServiceServer(s, impl)
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	return impl, lis.Addr().String()
}

func dial(t *testing.T, addr string, timeout time.Duration) *upstream.Conn {
	t.Helper()
	conn, err := upstream.DialPartnership(upstream.PartnershipSettings{Addr: addr, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// get reads partnership id through conn as the call being served in ctx, and translates the answer.
func get(ctx context.Context, conn *upstream.Conn, id string) (*pb.Partnership, error) {
	ctx, cancel := conn.Outgoing(ctx)
	defer cancel()
	p, err := pb.NewPartnershipServiceClient(conn.ClientConn()).GetPartnership(ctx, &pb.GetPartnershipRequest{Id: id})
	return p, conn.Translate(err, "partnership", id)
}

// serving is the context of a call this service is serving: its caller's metadata and request id.
func serving(md metadata.MD, id string) context.Context {
	return requestid.With(metadata.NewIncomingContext(context.Background(), md), id)
}

func TestDefaults(t *testing.T) {
	s := upstream.DefaultPartnershipSettings()
	if s.Addr != "127.0.0.1:9091" || s.Timeout != 5*time.Second {
		t.Errorf("defaults %+v, want 127.0.0.1:9091 and 5s", s)
	}
}

func TestOutgoingPassesOnTheCallerOnly(t *testing.T) {
	impl, addr := serve(t)
	conn := dial(t, addr, 5*time.Second)
	ctx := serving(metadata.Pairs("authorization", "Bearer caller-token", "idempotency-key", "k1", "x-other", "y"), "req-42")
	p, err := get(ctx, conn, "known")
	if err != nil {
		t.Fatal(err)
	}
	if p.GetTitle() != "Youth and the environment" {
		t.Errorf("title %q", p.GetTitle())
	}
	md, _ := impl.last()
	if got := md.Get("authorization"); len(got) != 1 || got[0] != "Bearer caller-token" {
		t.Errorf("authorization %q, want the caller's token", got)
	}
	if got := md.Get(requestid.Header); len(got) != 1 || got[0] != "req-42" {
		t.Errorf("%s %q, want req-42", requestid.Header, got)
	}
	for _, key := range []string{"idempotency-key", "x-other"} {
		if got := md.Get(key); len(got) > 0 {
			t.Errorf("%s %q was passed on", key, got)
		}
	}

	// A call served for nobody (no incoming metadata, no request id) carries neither.
	if _, err := get(context.Background(), conn, "known"); err != nil {
		t.Fatal(err)
	}
	md, _ = impl.last()
	if got := md.Get("authorization"); len(got) > 0 {
		t.Errorf("authorization %q without a caller", got)
	}
	if got := md.Get(requestid.Header); len(got) > 0 {
		t.Errorf("%s %q without a request id", requestid.Header, got)
	}
}

func TestTranslate(t *testing.T) {
	impl, addr := serve(t)
	conn := dial(t, addr, 5*time.Second)
	ctx := serving(metadata.Pairs("authorization", "Bearer t"), "r")
	for _, id := range []string{"missing", "hidden"} {
		_, err := get(ctx, conn, id)
		var nf *fault.NotFound
		if !errors.As(err, &nf) || nf.Kind != "partnership" || nf.ID != id {
			t.Errorf("%s: %v (%T), want NotFound partnership %q", id, err, err, id)
		}
		if impl.attemptsOf(id) != 1 {
			t.Errorf("%s: %d attempts, want 1", id, impl.attemptsOf(id))
		}
	}
	_, err := get(ctx, conn, "refused")
	var ua *fault.Unauthenticated
	if !errors.As(err, &ua) || ua.Reason != "TOKEN_REFUSED_UPSTREAM" || !strings.Contains(ua.Message, "partnership service") {
		t.Errorf("refused: %v (%T), want Unauthenticated TOKEN_REFUSED_UPSTREAM", err, err)
	}
	_, err = get(ctx, conn, "invalid")
	if status.Code(err) != codes.InvalidArgument || !strings.HasPrefix(err.Error(), "partnership service: ") || upstream.IsUnavailable(err) {
		t.Errorf("invalid: %v, want the INVALID_ARGUMENT wrapped and named", err)
	}
	if conn.Translate(nil, "partnership", "x") != nil {
		t.Error("Translate(nil) is not nil")
	}
}

func TestUnavailableIsRetriedThenTranslated(t *testing.T) {
	impl, addr := serve(t)
	conn := dial(t, addr, 5*time.Second)
	ctx := serving(nil, "r")

	if _, err := get(ctx, conn, "flaky"); err != nil {
		t.Errorf("flaky: %v, want the third attempt's answer", err)
	}
	if n := impl.attemptsOf("flaky"); n != 3 {
		t.Errorf("flaky: %d attempts, want 3", n)
	}

	_, err := get(ctx, conn, "down")
	if !upstream.IsUnavailable(err) || !strings.Contains(err.Error(), "the partnership service is unavailable") {
		t.Errorf("down: %v (%T), want Unavailable naming the partnership service", err, err)
	}
	if n := impl.attemptsOf("down"); n != 3 {
		t.Errorf("down: %d attempts, want 3", n)
	}
}

// Only the gRPC services named at Dial are retried.
func TestUnlistedServicesAreNotRetried(t *testing.T) {
	impl, addr := serve(t)
	conn, err := upstream.Dial("partnership", addr, 5*time.Second, pb.ProgrammeService_ServiceDesc.ServiceName)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := get(context.Background(), conn, "flaky"); !upstream.IsUnavailable(err) {
		t.Errorf("flaky: %v, want Unavailable after one attempt", err)
	}
	if n := impl.attemptsOf("flaky"); n != 1 {
		t.Errorf("flaky: %d attempts, want 1", n)
	}
}

func TestDeadline(t *testing.T) {
	impl, addr := serve(t)
	const timeout = 300 * time.Millisecond
	conn := dial(t, addr, timeout)

	_, err := get(context.Background(), conn, "slow")
	if !upstream.IsUnavailable(err) {
		t.Errorf("slow: %v (%T), want Unavailable", err, err)
	}
	if _, left := impl.last(); left <= 0 || left > timeout {
		t.Errorf("the call arrived with %s left, want a deadline within %s", left, timeout)
	}

	// A caller's sooner deadline is kept.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := get(ctx, conn, "known"); err != nil {
		t.Fatal(err)
	}
	if _, left := impl.last(); left <= 0 || left > 100*time.Millisecond {
		t.Errorf("the call arrived with %s left, want the caller's 100ms at most", left)
	}
}

func TestUnreachableIsUnavailable(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close() // nothing listens there any more
	conn := dial(t, addr, 2*time.Second)
	_, err = get(context.Background(), conn, "known")
	if !upstream.IsUnavailable(err) {
		t.Errorf("%v (%T), want Unavailable", err, err)
	}
}

func TestDialRefusesBadSettings(t *testing.T) {
	for _, tc := range []struct {
		name, service, addr string
		timeout             time.Duration
		grpcServices        []string
	}{
		{"no name", "", "127.0.0.1:9091", time.Second, nil},
		{"no address", "partnership", "", time.Second, nil},
		{"no timeout", "partnership", "127.0.0.1:9091", 0, nil},
		{"negative timeout", "partnership", "127.0.0.1:9091", -time.Second, nil},
		{"empty gRPC service", "partnership", "127.0.0.1:9091", time.Second, []string{""}},
	} {
		if conn, err := upstream.Dial(tc.service, tc.addr, tc.timeout, tc.grpcServices...); err == nil {
			conn.Close()
			t.Errorf("%s: Dial accepted it", tc.name)
		}
	}
}
