package e2e

import (
	"crypto/ed25519"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	// Register every service's descriptors.
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/interceptor"
)

// route is one REST route of one RPC, as its google.api.http rule declares it.
type route struct {
	rpc, method, path string
}

// routes lists the HTTP rules of every RPC of every Partnerskap service.
func routes(t *testing.T) []route {
	var out []route
	eachMethod(func(m protoreflect.MethodDescriptor) {
		rule, _ := proto.GetExtension(m.Options(), annotations.E_Http).(*annotations.HttpRule)
		if rule == nil {
			return
		}
		method, path := "", ""
		switch p := rule.GetPattern().(type) {
		case *annotations.HttpRule_Get:
			method, path = http.MethodGet, p.Get
		case *annotations.HttpRule_Post:
			method, path = http.MethodPost, p.Post
		case *annotations.HttpRule_Patch:
			method, path = http.MethodPatch, p.Patch
		case *annotations.HttpRule_Put:
			method, path = http.MethodPut, p.Put
		case *annotations.HttpRule_Delete:
			method, path = http.MethodDelete, p.Delete
		}
		out = append(out, route{rpc: string(m.FullName()), method: method, path: path})
	})
	if len(out) == 0 {
		t.Fatal("no HTTP rules found")
	}
	return out
}

func eachMethod(visit func(protoreflect.MethodDescriptor)) {
	protoregistry.GlobalFiles.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(string(f.Package()), "partnerskap.") {
			return true
		}
		for i := 0; i < f.Services().Len(); i++ {
			ms := f.Services().Get(i).Methods()
			for j := 0; j < ms.Len(); j++ {
				visit(ms.Get(j))
			}
		}
		return true
	})
}

// TestEveryRPCDeclaresItsRoles fails on an RPC without a (partnerskap.auth.v1.access) option; such a service
// would refuse to start, and this names the culprit before anyone tries.
func TestEveryRPCDeclaresItsRoles(t *testing.T) {
	count := 0
	eachMethod(func(m protoreflect.MethodDescriptor) {
		count++
		roles, err := interceptor.DeclaredRoles(string(m.Parent().FullName()), string(m.Name()))
		if err != nil || len(roles) == 0 {
			t.Errorf("%s declares no roles (%v)", m.FullName(), err)
		}
	})
	if count == 0 {
		t.Fatal("no RPCs found")
	}
}

var pathVariable = regexp.MustCompile(`\{[^}]+\}`)

// TestEveryHTTPRuleReachesItsService calls every REST route with a well-formed token signed by a key no service
// trusts. The gateway checks only a token's shape, so only the service can find the signature invalid: a 401
// with the reason TOKEN_SIGNATURE_INVALID proves the gateway routed the call to the service and that the service
// authenticates it; a route the gateway lacks would answer 404 or 405.
func TestEveryHTTPRuleReachesItsService(t *testing.T) {
	s := startSuite(t)
	_, stranger, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := auth.IssueDevToken(stranger, "", "", auth.Principal{Subject: "intruder", Role: auth.RoleAdmin}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	caller := client{t: t, base: s.GatewayURL, token: forged}
	for _, r := range routes(t) {
		// Every path variable is an id, but a grant's, which is its year.
		path := pathVariable.ReplaceAllStringFunc(r.path, func(v string) string {
			if v == "{year}" {
				return "2026"
			}
			return "0190c5a2-8c6e-7000-8000-000000000001"
		})
		body := ""
		if r.method != http.MethodGet && r.method != http.MethodDelete {
			body = "{}"
		}
		got := caller.do(r.method, path, body)
		if got.status != http.StatusUnauthorized || got.reason() != auth.ReasonTokenSignatureInvalid {
			t.Errorf("%s (%s %s): want 401 TOKEN_SIGNATURE_INVALID from the service, got %d %s", r.rpc, r.method, path, got.status, got.raw)
		}
	}
}
