package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/auth"
)

func TestDevtoken(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), ".run", "dev-signing-key.pem")
	env := func(name string) string {
		if name == "AUTH_DEV_KEY_FILE" {
			return keyFile
		}
		return ""
	}
	v, err := auth.NewVerifier(context.Background(), auth.Config{Mode: auth.ModeDevelopment, DevKeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want auth.Principal
		fail bool
	}{
		{args: []string{"-role", "admin"}, want: auth.Principal{Issuer: auth.DefaultDevIssuer, Subject: "dev-admin", Role: auth.RoleAdmin}},
		{args: []string{"-role=member", "-org", "org-7", "-sub", "anna", "-ttl", "5m"}, want: auth.Principal{Issuer: auth.DefaultDevIssuer, Subject: "anna", Role: auth.RoleMember, Org: "org-7"}},
		{args: []string{"-role", "partner", "-org", "org-8", "-name", "Kim"}, want: auth.Principal{Issuer: auth.DefaultDevIssuer, Subject: "dev-partner-org-8", Role: auth.RolePartner, Org: "org-8", Name: "Kim"}},
		{args: nil, fail: true},
		{args: []string{"-role", "root"}, fail: true},
		{args: []string{"-role", "member"}, fail: true},
		{args: []string{"-role", "admin", "-org", "org-1"}, fail: true},
		{args: []string{"-role", "admin", "-ttl", "-1h"}, fail: true},
		{args: []string{"-role", "admin", "extra"}, fail: true},
		{args: []string{"-nosuchflag"}, fail: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, env, &stdout, &stderr)
			if tt.fail {
				if code != exitUsage || stdout.Len() != 0 || stderr.Len() == 0 {
					t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2, a message, no output", code, stdout.String(), stderr.String())
				}
				return
			}
			if code != 0 || stderr.Len() != 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
			out := stdout.String()
			token, ok := strings.CutSuffix(out, "\n")
			if !ok || strings.ContainsAny(token, " \n") {
				t.Fatalf("stdout %q is not one token and a newline", out)
			}
			got, err := v.Verify(context.Background(), token)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("token says %+v, want %+v", got, tt.want)
			}
		})
	}
}
