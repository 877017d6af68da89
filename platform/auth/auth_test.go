package auth

import (
	"context"
	"errors"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// wantReason fails the test unless err is a *fault.Unauthenticated with the given reason; an empty reason
// means no error is expected.
func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	if reason == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var ua *fault.Unauthenticated
	if !errors.As(err, &ua) {
		t.Fatalf("error = %v (%T), want *fault.Unauthenticated %s", err, err, reason)
	}
	if ua.Reason != reason {
		t.Fatalf("reason = %s (%q), want %s", ua.Reason, ua.Message, reason)
	}
	if ua.Message == "" {
		t.Fatalf("reason %s has an empty message", reason)
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range Roles() {
		got, ok := ParseRole(string(r))
		if !ok || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, ok)
		}
	}
	for _, s := range []string{"", "Admin", "ADMIN", " admin", "root", "members"} {
		if got, ok := ParseRole(s); ok {
			t.Errorf("ParseRole(%q) = %q, want refusal", s, got)
		}
	}
	for _, r := range Roles() {
		want := r == RoleMember || r == RolePartner
		if r.OrgScoped() != want {
			t.Errorf("%s.OrgScoped() = %v", r, r.OrgScoped())
		}
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header string
		want   string
		reason string
	}{
		{header: "Bearer abc.def.ghi", want: "abc.def.ghi"},
		{header: "bearer abc", want: "abc"},
		{header: "BEARER   abc  ", want: "abc"},
		{header: "  Bearer abc", want: "abc"},
		{header: "", reason: ReasonTokenMissing},
		{header: "   ", reason: ReasonTokenMissing},
		{header: "Bearer", reason: ReasonTokenMissing},
		{header: "Bearer    ", reason: ReasonTokenMissing},
		{header: "Basic dXNlcjpwYXNz", reason: ReasonTokenMalformed},
		{header: "abc.def.ghi", reason: ReasonTokenMalformed},
		{header: "Bearer abc def", reason: ReasonTokenMalformed},
		{header: "Bearerabc", reason: ReasonTokenMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			got, err := BearerToken(tt.header)
			wantReason(t, err, tt.reason)
			if got != tt.want {
				t.Errorf("BearerToken(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestPrincipalContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := FromContext(ctx); ok {
		t.Fatal("FromContext on a bare context reported a principal")
	}
	p := Principal{Subject: "u1", Role: RoleMember, Org: "org-1", Name: "Anna"}
	got, ok := FromContext(WithPrincipal(ctx, p))
	if !ok || got != p {
		t.Fatalf("FromContext = %+v, %v; want %+v", got, ok, p)
	}
}

func TestScope(t *testing.T) {
	org := "0190c5a2-8c6e-7000-8000-000000000001"
	cases := []struct {
		p    Principal
		want string
	}{
		{Principal{Role: RoleAdmin}, ""},
		{Principal{Role: RoleAuditor}, ""},
		{Principal{Role: RoleMember, Org: org}, org},
		{Principal{Role: RolePartner, Org: "not-a-uuid"}, NoOrganization},
		{Principal{Role: RoleMember}, NoOrganization},
		{Principal{}, NoOrganization},
	}
	for _, c := range cases {
		if got := c.p.Scope(); got != c.want {
			t.Errorf("%+v: scope %q, want %q", c.p, got, c.want)
		}
	}
}

func TestSees(t *testing.T) {
	const a, b, c = "0190c5a2-0000-7000-8000-00000000000a", "0190c5a2-0000-7000-8000-00000000000b", "0190c5a2-0000-7000-8000-00000000000c"
	cases := []struct {
		p    Principal
		want bool
	}{
		{Principal{Role: RoleAdmin}, true},
		{Principal{Role: RoleAuditor}, true},
		{Principal{Role: RoleMember, Org: a}, true},
		{Principal{Role: RolePartner, Org: b}, true},
		{Principal{Role: RoleMember, Org: c}, false},
		{Principal{Role: RoleMember, Org: "not-a-uuid"}, false},
		{Principal{}, false},
	}
	for _, tc := range cases {
		if got := tc.p.Sees(a, b); got != tc.want {
			t.Errorf("%+v.Sees(a, b) = %v, want %v", tc.p, got, tc.want)
		}
	}
}
