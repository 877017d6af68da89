package e2e

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth/oidctest"
)

// The whole suite as production runs it: every service trusts an OpenID Connect provider (AUTH_MODE=oidc),
// and people sign in to the console there. A member signs in at the provider, lands on the dashboard and
// sees their organisation's partnership; another organisation's member signs in and gets the not-found
// page for it, exactly as for an id that does not exist; signing out ends the session at the provider too.
func TestConsoleSignInWithOIDC(t *testing.T) {
	provider := oidctest.Start(t, "partnerskap-console", "partnerskap")
	dir := t.TempDir()
	writeFile := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	serviceToken := writeFile("service-token", provider.AccessToken(t, oidctest.Person{Subject: "reader", Role: "auditor"}))
	s := suite.StartWithEnv(t,
		[]string{"AUTH_MODE=oidc", "AUTH_ISSUER=" + provider.URL, "AUTH_JWKS_URL=" + provider.URL + "/jwks"},
		map[string][]string{
			"reporting":    {"SERVICE_TOKEN_FILE=" + serviceToken},
			"notification": {"SERVICE_TOKEN_FILE=" + serviceToken},
			"gateway": {"CONSOLE_OIDC_CLIENT_ID=partnerskap-console",
				"CONSOLE_SESSION_KEY_FILE=" + writeFile("session-keys", base64.StdEncoding.EncodeToString(key))},
		})

	admin := client{t: t, base: s.GatewayURL, token: provider.AccessToken(t, oidctest.Person{Subject: "admin", Role: "admin"})}
	vaxjo := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Växjö kommun",
		"swedish":{"org_number":"2120000688","municipality_code":"0780"}}`).must(t, http.StatusCreated).str("id")
	malmo := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Malmö stad",
		"swedish":{"org_number":"2120001124","municipality_code":"1280"}}`).must(t, http.StatusCreated).str("id")
	lusaka := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
		"display_name":"Lusaka City Council","international":{"country_code":"ZM","government_kind":"city council"}}`).must(t, http.StatusCreated).str("id")
	partnership := admin.do("POST", "/v1/partnerships", `{"title":"Öppna möten","swedish_organization_id":"`+vaxjo+
		`","international_organization_id":"`+lusaka+`","core_areas":["CORE_AREA_PARTICIPATION"]}`).must(t, http.StatusCreated).str("id")

	// The development sign-in is not offered: the sign-in page has the provider's button only.
	anna := newBrowser(t, s.GatewayURL)
	if status := anna.open(http.MethodGet, "/", nil); status != http.StatusOK || anna.at.Path != "/console/sign-in" {
		t.Fatalf("/ led to %s with %d", anna.at, status)
	}
	if strings.Contains(anna.page, `name="role"`) {
		t.Fatal("the OIDC console offers the development sign-in")
	}
	provider.SignInAs(oidctest.Person{Subject: "anna@vaxjo.se", Role: "member", Org: vaxjo, Name: "Anna"})
	if status := anna.submit("/console/sign-in", url.Values{}); status != http.StatusOK || anna.at.Path != "/console/" {
		t.Fatalf("sign-in at the provider led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	anna.mustShow(`<h1 id="dashboard-heading">`, "Växjö kommun")
	if status := anna.open(http.MethodGet, "/console/partnerships/"+partnership, nil); status != http.StatusOK {
		t.Fatalf("Växjö's member reads Växjö's partnership: %d", status)
	}
	anna.mustShow("<h1>Öppna möten</h1>")

	// Another organisation's member learns nothing of it.
	provider.SignInAs(oidctest.Person{Subject: "mats@malmo.se", Role: "member", Org: malmo})
	mats := newBrowser(t, s.GatewayURL)
	mats.open(http.MethodGet, "/console/sign-in", nil)
	if status := mats.submit("/console/sign-in", url.Values{}); status != http.StatusOK || mats.at.Path != "/console/" {
		t.Fatalf("Malmö's member's sign-in led to %s with %d", mats.at, status)
	}
	const nobody = "00000000-0000-4000-8000-000000000000"
	status := mats.open(http.MethodGet, "/console/partnerships/"+partnership, nil)
	hidden := strings.ReplaceAll(mats.page, partnership, nobody) // the page names its own address
	unknown := mats.open(http.MethodGet, "/console/partnerships/"+nobody, nil)
	if status != http.StatusNotFound || unknown != http.StatusNotFound || hidden != mats.page {
		t.Fatalf("another organisation's partnership: %d, an unknown one: %d; the pages differ: %v", status, unknown, hidden != mats.page)
	}

	// Signing out ends the console's session and the provider's.
	anna.open(http.MethodGet, "/console/", nil)
	if status := anna.submit("/console/sign-out", url.Values{}); status != http.StatusOK || anna.at.Path != "/console/sign-in" {
		t.Fatalf("sign-out led to %s with %d", anna.at, status)
	}
	if provider.SignOuts() != 1 {
		t.Fatalf("the provider saw %d sign-outs", provider.SignOuts())
	}
	if anna.open(http.MethodGet, "/console/partnerships/"+partnership, nil); anna.at.Path != "/console/sign-in" {
		t.Fatalf("after sign-out the partnership page answered at %s", anna.at)
	}
}
