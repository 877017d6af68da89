// Package servertest calls a service the way its clients do, through the server's whole interceptor chain,
// for tests that must hold for every RPC of a service rather than for a sample.
package servertest

import (
	"context"
	"errors"
	"io"
	"net"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/interceptor"
	"github.com/partnerskap/partnerskap/platform/server"
)

// Caller is one kind of caller of the matrix: a role (with an organisation for members and partners), or
// nobody (no token).
type Caller struct {
	Role auth.Role // "" for a call without a token
	Org  string
}

// Callers are the kinds of caller every RPC is tried with: no token, and every role, the organisation-bound
// ones for org.
func Callers(org string) []Caller {
	return []Caller{{}, {Role: auth.RoleAdmin}, {Role: auth.RoleCoordinator}, {Role: auth.RoleAuditor},
		{Role: auth.RoleMember, Org: org}, {Role: auth.RolePartner, Org: org}}
}

// RoleMatrix serves what register registers through the real chain and calls every one of its RPCs (those of
// the gRPC health and reflection services aside) as every Caller, with an empty request: a stranger's
// request, which no handler may mistake for a valid one. Each answer must be what the proto promises:
//
//   - without a token, UNAUTHENTICATED;
//   - a role the RPC's (partnerskap.auth.v1.access) option does not list, PERMISSION_DENIED ROLE_NOT_ALLOWED;
//   - a role it lists gets past authentication and authorization: any answer but those two, and never
//     INTERNAL or UNKNOWN (bad input is a 4xx, whoever sends it).
func RoleMatrix(t *testing.T, org string, register func(*grpc.Server) error) {
	t.Helper()
	ctx := context.Background()
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	key, err := auth.EnsureDevKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := auth.NewVerifier(ctx, auth.Config{Mode: "development", DevKeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	settings := server.DefaultSettings(0)
	settings.RequestTimeout = 10 * time.Second
	s, err := server.New(server.Options{Name: "test", Settings: settings, Verifier: verifier, Register: register})
	if err != nil {
		t.Fatalf("build the server: %v", err)
	}
	lis := bufconn.Listen(1 << 20)
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	conn, err := grpc.NewClient("passthrough:///bufconn", grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })

	tokens := map[Caller]string{}
	for _, c := range Callers(org) {
		if c.Role == "" {
			continue
		}
		tok, err := auth.IssueDevToken(key, "", "", auth.Principal{Subject: "matrix-" + string(c.Role), Role: c.Role, Org: c.Org}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tokens[c] = tok
	}
	calls := 0
	for name, info := range s.GetServiceInfo() {
		if name == "grpc.health.v1.Health" || slices.Contains([]string{"grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"}, name) {
			continue
		}
		for _, m := range info.Methods {
			method := "/" + name + "/" + m.Name
			allowed, err := interceptor.DeclaredRoles(name, m.Name)
			if err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			in, out := messages(t, name, m.Name)
			for _, c := range Callers(org) {
				callCtx := ctx
				if c.Role != "" {
					callCtx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tokens[c])
				}
				err := invoke(callCtx, conn, method, m.IsServerStream, in, out)
				check(t, method, c, slices.Contains(allowed, c.Role) || (c.Role == "" && interceptor.AnonymousMethod(name, m.Name)), err)
				calls++
			}
		}
	}
	if calls == 0 {
		t.Fatal("no RPC was called: register registered nothing")
	}
	t.Logf("%d calls: every RPC as each of %d kinds of caller", calls, len(Callers(org)))
}

// messages returns empty request and response messages of service.method.
func messages(t *testing.T, service, method string) (proto.Message, proto.Message) {
	t.Helper()
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		t.Fatal(err)
	}
	md := d.(protoreflect.ServiceDescriptor).Methods().ByName(protoreflect.Name(method))
	newOf := func(name protoreflect.FullName) proto.Message {
		mt, err := protoregistry.GlobalTypes.FindMessageByName(name)
		if err != nil {
			t.Fatal(err)
		}
		return mt.New().Interface()
	}
	return newOf(md.Input().FullName()), newOf(md.Output().FullName())
}

// invoke makes one call, unary or server-streaming (reading the stream to its end).
func invoke(ctx context.Context, conn *grpc.ClientConn, method string, serverStream bool, in, out proto.Message) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if !serverStream {
		return conn.Invoke(ctx, method, in, proto.Clone(out))
	}
	stream, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, method)
	if err != nil {
		return err
	}
	if err := stream.SendMsg(in); err != nil {
		return err
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	for {
		if err := stream.RecvMsg(proto.Clone(out)); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// check holds one answer to the promise of RoleMatrix's comment.
func check(t *testing.T, method string, c Caller, allowed bool, err error) {
	t.Helper()
	st := status.Convert(err)
	reason := ""
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			reason = info.GetReason()
		}
	}
	who := string(c.Role)
	switch {
	case c.Role == "" && !allowed:
		who = "no token"
		if st.Code() != codes.Unauthenticated {
			t.Errorf("%s with %s: %v %s, want UNAUTHENTICATED", method, who, st.Code(), st.Message())
		}
	case c.Role == "" && (st.Code() == codes.Unauthenticated || st.Code() == codes.Internal || st.Code() == codes.Unknown):
		t.Errorf("%s with no token: %v %s, but the proto lets anyone call it, and an empty request wants a 4xx", method, st.Code(), st.Message())
	case !allowed:
		if st.Code() != codes.PermissionDenied || reason != "ROLE_NOT_ALLOWED" {
			t.Errorf("%s as %s: %v %s %s, want PERMISSION_DENIED ROLE_NOT_ALLOWED", method, who, st.Code(), reason, st.Message())
		}
	case st.Code() == codes.Unauthenticated || (st.Code() == codes.PermissionDenied && reason == "ROLE_NOT_ALLOWED"):
		t.Errorf("%s as %s: %v %s, but the proto lets the role call it", method, who, st.Code(), st.Message())
	case st.Code() == codes.Internal || st.Code() == codes.Unknown:
		t.Errorf("%s as %s with an empty request: %v %s, want a 4xx", method, who, st.Code(), st.Message())
	}
}
