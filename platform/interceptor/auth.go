package interceptor

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	authv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/auth/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
)

// Authentication verifies the bearer token of every call but the public ones (health, reflection) and puts
// the principal in the context. Each service verifies for itself: the gateway is not trusted to have done it.
func Authentication(v auth.Verifier) Link {
	authenticate := func(ctx context.Context, method string) (context.Context, error) {
		if publicMethod(method) {
			return ctx, nil
		}
		var header string
		if md, ok := metadata.FromIncomingContext(ctx); ok {
			if vals := md.Get("authorization"); len(vals) > 0 {
				header = vals[0]
			}
		}
		if header == "" && anonymousMethod(method) {
			return ctx, nil // no principal: the handler serves only what is public
		}
		token, err := auth.BearerToken(header)
		if err != nil {
			return nil, err
		}
		p, err := v.Verify(ctx, token)
		if err != nil {
			return nil, err
		}
		return auth.WithPrincipal(ctx, p), nil
	}
	return Link{
		Name: "authentication",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			ctx, err := authenticate(ctx, info.FullMethod)
			if err != nil {
				return nil, err
			}
			return next(ctx, req)
		},
		Stream: func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
			ctx, err := authenticate(ss.Context(), info.FullMethod)
			if err != nil {
				return err
			}
			return next(srv, &streamWithContext{ServerStream: ss, ctx: ctx})
		},
	}
}

// Policy maps a full method name ("/pkg.Service/Method") to the roles that may call it.
type Policy map[string][]auth.Role

// PolicyFor reads the (partnerskap.auth.v1.access) option of every method of the given services. It fails
// when a method declares no roles, so a server with an undeclared RPC never starts.
func PolicyFor(services map[string]grpc.ServiceInfo) (Policy, error) {
	policy := Policy{}
	var missing []string
	for name, info := range services {
		if publicMethod("/" + name + "/") {
			continue
		}
		for _, m := range info.Methods {
			full := "/" + name + "/" + m.Name
			roles, err := declaredRoles(name, m.Name)
			if err != nil || len(roles) == 0 {
				missing = append(missing, full)
				continue
			}
			policy[full] = roles
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("RPCs without a (partnerskap.auth.v1.access) option: %s", strings.Join(missing, ", "))
	}
	return policy, nil
}

// DeclaredRoles returns the roles that the proto of service.method allows; exported for the test that checks
// every RPC of every service declares its roles.
func DeclaredRoles(service, method string) ([]auth.Role, error) {
	return declaredRoles(service, method)
}

func declaredRoles(service, method string) ([]auth.Role, error) {
	md, err := methodOf(service, method)
	if err != nil {
		return nil, err
	}
	access, _ := proto.GetExtension(md.Options(), authv1.E_Access).(*authv1.Access)
	var roles []auth.Role
	for _, r := range access.GetRoles() {
		if role, ok := auth.ParseRole(strings.ToLower(strings.TrimPrefix(r.String(), "ROLE_"))); ok {
			roles = append(roles, role)
		}
	}
	return roles, nil
}

// Authorization refuses a caller whose role the method's policy does not list, with PERMISSION_DENIED.
// Methods missing from the policy are refused too: deny by default.
func Authorization(policy Policy) Link {
	authorize := func(ctx context.Context, method string) error {
		if publicMethod(method) {
			return nil
		}
		p, ok := auth.FromContext(ctx)
		if !ok && anonymousMethod(method) {
			return nil
		}
		if !ok {
			return &fault.Unauthenticated{Reason: "TOKEN_MISSING", Message: "this method needs a bearer token"}
		}
		if !slices.Contains(policy[method], p.Role) {
			_, name := splitMethod(method)
			return &fault.PermissionDenied{Reason: "ROLE_NOT_ALLOWED", Message: fmt.Sprintf("the role %s may not call %s", p.Role, name)}
		}
		return nil
	}
	return Link{
		Name: "authorization",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			if err := authorize(ctx, info.FullMethod); err != nil {
				return nil, err
			}
			return next(ctx, req)
		},
		Stream: func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
			if err := authorize(ss.Context(), info.FullMethod); err != nil {
				return err
			}
			return next(srv, ss)
		},
	}
}

// methodOf finds the descriptor of service.method among the registered proto files, where its options (roles,
// HTTP rule) are read.
func methodOf(service, method string) (protoreflect.MethodDescriptor, error) {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		return nil, err
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil, fmt.Errorf("%s is not a service", service)
	}
	md := sd.Methods().ByName(protoreflect.Name(method))
	if md == nil {
		return nil, fmt.Errorf("%s has no method %s", service, method)
	}
	return md, nil
}

// AnonymousMethod reports whether the proto of service.method lets callers without a token call it
// ((partnerskap.auth.v1.access).anonymous).
func AnonymousMethod(service, method string) bool {
	md, err := methodOf(service, method)
	if err != nil {
		return false
	}
	access, _ := proto.GetExtension(md.Options(), authv1.E_Access).(*authv1.Access)
	return access.GetAnonymous()
}

// anonymousMethod is AnonymousMethod of a full method name ("/pkg.Service/Method"). It is asked only of calls
// without a token.
func anonymousMethod(fullMethod string) bool {
	service, method := splitMethod(fullMethod)
	return AnonymousMethod(service, method)
}
