// Command devtoken prints one development bearer token, for `make token ROLE=<role> [ORG=<id>]` and for
// scripts that call the API by hand.
//
// It signs with the same key file the services verify with in development mode (creating it if no service
// has yet), so its tokens work against a local `make run` at once. Standard output carries the token and a
// newline and nothing else, so that `TOKEN=$(make token ROLE=admin)` just works; everything else goes to
// standard error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// exitUsage is the status for every failure, bad flags or otherwise, matching the flag package's convention.
const exitUsage = 2

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process: it takes its inputs as arguments so tests can call it.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	defaultKey := getenv("AUTH_DEV_KEY_FILE")
	if defaultKey == "" {
		defaultKey = auth.DefaultDevKeyFile
	}
	fs := flag.NewFlagSet("devtoken", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "role of the caller: admin, coordinator, member, partner or auditor (required)")
	org := fs.String("org", "", "organisation id; required for member and partner, refused for other roles")
	sub := fs.String("sub", "", `subject of the token (default "dev-<role>", or "dev-<role>-<org>" for a member or partner, so that two organisations' tokens never share a subject)`)
	name := fs.String("name", "", "optional display name claim")
	ttl := fs.Duration("ttl", 12*time.Hour, "how long the token stays valid")
	keyFile := fs.String("key", defaultKey, "development signing key file (env AUTH_DEV_KEY_FILE); created when missing")
	issuer := fs.String("issuer", auth.DefaultDevIssuer, `"iss" claim; must match the services' issuer`)
	audience := fs.String("audience", auth.DefaultAudience, `"aud" claim; must match the services' audience`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: devtoken -role <role> [-org <organisation id>] [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		return fail(stderr, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	token, err := issue(*role, *org, *sub, *name, *ttl, *keyFile, *issuer, *audience)
	if err != nil {
		return fail(stderr, err)
	}
	if _, err := fmt.Fprintln(stdout, token); err != nil {
		return fail(stderr, err)
	}
	return 0
}

// issue checks the flags a person is likely to get wrong, with messages that name the flag, and signs.
func issue(roleName, org, sub, name string, ttl time.Duration, keyFile, issuer, audience string) (string, error) {
	if roleName == "" {
		return "", errors.New("-role is required (admin, coordinator, member, partner or auditor)")
	}
	role, ok := auth.ParseRole(roleName)
	if !ok {
		return "", fmt.Errorf("unknown role %q (want admin, coordinator, member, partner or auditor)", roleName)
	}
	if role.OrgScoped() && org == "" {
		return "", fmt.Errorf("role %s needs -org <organisation id>", role)
	}
	if !role.OrgScoped() && org != "" {
		return "", fmt.Errorf("role %s is not tied to an organisation; drop -org", role)
	}
	if ttl <= 0 {
		return "", errors.New("-ttl must be positive")
	}
	if sub == "" {
		sub = "dev-" + string(role)
		if org != "" {
			sub += "-" + org
		}
	}
	key, err := auth.EnsureDevKey(keyFile)
	if err != nil {
		return "", err
	}
	p := auth.Principal{Subject: sub, Role: role, Org: org, Name: name}
	return auth.IssueDevToken(key, issuer, audience, p, ttl)
}

// fail reports err on standard error and returns the failure status.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "devtoken:", err)
	return exitUsage
}
