package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// TestTypeScriptClientJourney builds the TypeScript client (clients/typescript) from the OpenAPI 3 document
// the gateway serves, lints the document with Redocly, type-checks a short journey against it, and runs the
// journey under Node against the whole suite: a contract that changes under its clients fails here, at
// compile time or at run time.
func TestTypeScriptClientJourney(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "clients", "typescript"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed for the TypeScript client's test (Node.js 20 or later, with npm)", tool)
		}
	}
	npm := func(args ...string) string {
		cmd := exec.Command("npm", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("npm %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	npm("ci", "--no-audit", "--no-fund")                                                                  // the versions package-lock.json pins
	npm("run", "build")                                                                                   // openapi-typescript, then tsc: the journey must type-check
	if lint := npm("run", "lint:openapi"); regexp.MustCompile(`You have \d+ warning`).MatchString(lint) { // Redocly's recommended rules
		t.Fatalf("the OpenAPI document has lint warnings:\n%s", lint)
	}

	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	d := demo(t, admin)
	cmd := exec.Command("node", "dist/journey.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PARTNERSKAP_URL="+s.GatewayURL, "ADMIN_TOKEN="+admin.token,
		"MEMBER_TOKEN="+s.Token(t, auth.RoleMember, d.malmo), "STRANGER_TOKEN="+s.Token(t, auth.RoleMember, d.vaxjo), "MALMO_ID="+d.malmo)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "journey done") {
		t.Fatalf("the journey failed: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(string(out)))
}
