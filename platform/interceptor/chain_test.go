package interceptor

import (
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
)

func TestBuildRefusesAChainOutOfOrder(t *testing.T) {
	links := []Link{Recovery(), RequestID(), Logging(time.Second), {Name: "metrics"}, Errors(), {Name: "authentication"}, Authorization(nil), Validation(), Deadline(time.Second), Retry(nil)}
	if _, err := Build(links); err != nil {
		t.Fatalf("the documented order was refused: %v", err)
	}
	links[4], links[5] = links[5], links[4]
	if _, err := Build(links); err == nil {
		t.Fatal("a chain with authentication outside errors was accepted")
	}
	if _, err := Build(links[:3]); err == nil {
		t.Fatal("a chain missing links was accepted")
	}
}

func TestRecoveryTurnsPanicsIntoInternal(t *testing.T) {
	_, err := Recovery().Unary(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x.Y/Z"}, func(context.Context, any) (any, error) {
		panic("boom")
	})
	if status.Code(err) != codes.Internal || status.Convert(err).Message() == "boom" {
		t.Fatalf("got %v", err)
	}
}

func TestAuthorizationDeniesRolesTheProtoDoesNotList(t *testing.T) {
	policy := Policy{"/x.Y/Read": {auth.RoleAdmin, auth.RoleAuditor}}
	link := Authorization(policy)
	call := func(role auth.Role, method string) error {
		ctx := auth.WithPrincipal(context.Background(), auth.Principal{Subject: "s", Role: role})
		_, err := link.Unary(ctx, nil, &grpc.UnaryServerInfo{FullMethod: method}, func(context.Context, any) (any, error) { return "ok", nil })
		return err
	}
	var denied *fault.PermissionDenied
	if err := call(auth.RoleAuditor, "/x.Y/Read"); err != nil {
		t.Fatalf("auditor refused: %v", err)
	}
	if err := call(auth.RoleMember, "/x.Y/Read"); !errors.As(err, &denied) {
		t.Fatalf("member allowed: %v", err)
	}
	if err := call(auth.RoleAdmin, "/x.Y/Undeclared"); !errors.As(err, &denied) {
		t.Fatalf("an undeclared method was allowed: %v", err)
	}
	if _, err := link.Unary(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/grpc.health.v1.Health/Check"}, func(context.Context, any) (any, error) { return "ok", nil }); err != nil {
		t.Fatalf("health needs no token: %v", err)
	}
}

func TestDeadlineBoundsCallsWithoutOne(t *testing.T) {
	var got time.Duration
	_, _ = Deadline(5*time.Second).Unary(context.Background(), nil, &grpc.UnaryServerInfo{}, func(ctx context.Context, _ any) (any, error) {
		d, ok := ctx.Deadline()
		if !ok {
			t.Fatal("no deadline")
		}
		got = time.Until(d)
		return nil, nil
	})
	if got <= 0 || got > 5*time.Second {
		t.Fatalf("deadline in %v", got)
	}
}
