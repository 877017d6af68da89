package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// FuzzBearerToken feeds arbitrary header values: no panic, only Unauthenticated errors, and a returned token
// is never empty and never contains whitespace.
func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"", "Bearer x", "bearer  a.b.c ", "Basic x", "Bearer a b", "Bearer\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tok, err := BearerToken(header)
		if err != nil {
			var ua *fault.Unauthenticated
			if !errors.As(err, &ua) {
				t.Fatalf("error %T is not Unauthenticated", err)
			}
			return
		}
		if tok == "" || strings.ContainsAny(tok, " \t\r\n") {
			t.Fatalf("BearerToken(%q) = %q", header, tok)
		}
	})
}

// FuzzVerify feeds arbitrary strings to the development verifier: no panic, only Unauthenticated errors
// whose messages never echo the input, and nothing but the real key's tokens accepted.
func FuzzVerify(f *testing.F) {
	v, key := newDevVerifier(f)
	want := Principal{Issuer: DefaultDevIssuer, Subject: "s", Role: RoleAdmin}
	valid, err := IssueDevToken(key, "", "", want, time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", valid, valid + "x", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", strings.Repeat(".", 5)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := v.Verify(context.Background(), raw)
		if err == nil {
			if p != want {
				t.Fatalf("accepted a token that was never issued: %+v", p)
			}
			return
		}
		var ua *fault.Unauthenticated
		if !errors.As(err, &ua) {
			t.Fatalf("error %T is not Unauthenticated", err)
		}
		if len(raw) >= 16 && strings.Contains(ua.Message, raw) {
			t.Fatalf("message %q echoes the token", ua.Message)
		}
	})
}
