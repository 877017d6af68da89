package bearer

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/auth"
)

func request(headers ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/v1/partnerships", nil)
	for _, h := range headers {
		r.Header.Add("Authorization", h)
	}
	return r
}

func seg(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestFromRequestRefusesWhatNoServiceWouldAccept(t *testing.T) {
	jwtShaped := seg(`{"alg":"EdDSA"}`) + "." + seg(`{"sub":"a"}`) + "." + seg("sig")
	cases := []struct {
		name    string
		headers []string
		reason  string
	}{
		{"no header", nil, auth.ReasonTokenMissing},
		{"empty header", []string{""}, auth.ReasonTokenMissing},
		{"scheme only", []string{"Bearer"}, auth.ReasonTokenMissing},
		{"basic", []string{"Basic dXNlcjpwYXNz"}, auth.ReasonTokenMalformed},
		{"not a JWT", []string{"Bearer token-1"}, auth.ReasonTokenMalformed},
		{"two parts", []string{"Bearer " + seg("a") + "." + seg("b")}, auth.ReasonTokenMalformed},
		{"four parts", []string{"Bearer " + jwtShaped + "." + seg("d")}, auth.ReasonTokenMalformed},
		{"empty signature", []string{"Bearer " + seg("a") + "." + seg("b") + "."}, auth.ReasonTokenMalformed},
		{"not base64url", []string{"Bearer " + seg("a") + ".b+c/." + seg("c")}, auth.ReasonTokenMalformed},
		{"two headers", []string{"Bearer " + jwtShaped, "Bearer " + jwtShaped}, auth.ReasonTokenMalformed},
		{"huge", []string{"Bearer " + seg(strings.Repeat("a", maxTokenBytes)) + ".a.a"}, auth.ReasonTokenMalformed},
	}
	for _, tc := range cases {
		_, refusal := FromRequest(request(tc.headers...))
		if refusal == nil || refusal.Reason != tc.reason || refusal.Message == "" {
			t.Errorf("%s: got %+v, want reason %s", tc.name, refusal, tc.reason)
		}
	}
	for _, h := range []string{"Bearer " + jwtShaped, "bearer " + jwtShaped, "Bearer " + jwtShaped + "=="} {
		if tok, refusal := FromRequest(request(h)); refusal != nil || !strings.HasPrefix(h[7:], tok) {
			t.Errorf("%q refused: %+v", h, refusal)
		}
	}
}

func TestUnverifiedReadsSubjectAndOrganisation(t *testing.T) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.IssueDevToken(key, "", "", auth.Principal{Subject: "dev-member", Role: auth.RoleMember, Org: "org-1"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, refusal := FromRequest(request("Bearer " + tok)); refusal != nil || got != tok {
		t.Fatalf("a real token was refused: %+v", refusal)
	}
	if c, ok := Unverified(tok); !ok || c.Subject != "dev-member" || c.Org != "org-1" {
		t.Fatalf("got %+v, %v", c, ok)
	}
	for _, bad := range []string{"", "a.b.c", seg("h") + "." + seg(`{"org":"x"}`) + "." + seg("s"), seg("h") + "." + seg(`{"sub":7}`) + "." + seg("s")} {
		if c, ok := Unverified(bad); ok {
			t.Errorf("%q: got %+v", bad, c)
		}
	}
}

func FuzzFromRequest(f *testing.F) {
	for _, s := range []string{"", "Bearer a.b.c", "Bearer " + seg("{}") + "." + seg(`{"sub":"x"}`) + ".c2ln", "Basic x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Authorization"] = []string{header}
		tok, refusal := FromRequest(r)
		if refusal == nil && strings.Count(tok, ".") != 2 {
			t.Fatalf("%q accepted as %q", header, tok)
		}
		if refusal != nil && refusal.Reason != auth.ReasonTokenMissing && refusal.Reason != auth.ReasonTokenMalformed {
			t.Fatalf("%q: reason %q", header, refusal.Reason)
		}
		_, _ = Unverified(tok)
	})
}
