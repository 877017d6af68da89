package e2e

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// createOrgInConsole sends the new-organisation form as b and answers the new organisation's id.
func createOrgInConsole(t *testing.T, b *browser, fields url.Values) string {
	t.Helper()
	mustOpen(b, "/console/organizations/new")
	if status := b.submit("/console/organizations/new", fields); status != http.StatusOK || !strings.HasPrefix(b.at.Path, "/console/organizations/") {
		t.Fatalf("registering %s led to %s with %d:\n%s", fields.Get("organization.displayName"), b.at, status, b.page)
	}
	return strings.TrimPrefix(b.at.Path, "/console/organizations/")
}

// An admin registers a Swedish municipality (a wrong organisation number refused beside its input first) and
// a county abroad, and changes a name after someone else did (the stale form explained with the name as it
// now is); a member is offered no form and the API refuses the one they send anyway. That member then sets
// an inception application's team on its page in the console, with "more rows", a row without a party
// refused beside it, and the team check passes.
func TestConsoleOrganizationsAdminRegistersAndMemberSetsTeam(t *testing.T) {
	s := suite.Start(t)
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}

	ada := newBrowser(t, s.GatewayURL)
	ada.signInWithRole(auth.RoleAdmin, "")
	mustOpen(ada, "/console/organizations")
	ada.mustShow(`href="/console/organizations/new"`)
	mustOpen(ada, "/console/organizations/new")
	ystad := url.Values{"organization.kind": {"ORGANIZATION_KIND_MUNICIPALITY"}, "organization.displayName": {"Ystad kommun"},
		"organization.swedish.orgNumber": {"212000-0000"}, "organization.swedish.municipalityCode": {"1286"}}
	if status := ada.submit("/console/organizations/new", ystad); status != http.StatusBadRequest {
		t.Fatalf("a wrong organisation number: %d\n%s", status, ada.page)
	}
	ada.mustShow(`id="organization.swedish.orgNumber-error"`, `organization.swedish.orgNumber-error" aria-invalid="true"`,
		`<a href="#organization.swedish.orgNumber">Organisationsnummer</a>`, `value="Ystad kommun"`)
	if strings.Contains(ada.page, `id="organization.displayName-error"`) {
		t.Errorf("the name, which was right, is marked:\n%s", ada.page)
	}
	ystad.Set("organization.swedish.orgNumber", "212000-1165")
	ystadID := createOrgInConsole(t, ada, ystad)
	ada.mustShow("<h1>Ystad kommun</h1>", `href="/console/organizations/`+ystadID+`/edit"`)
	if o := admin.do("GET", "/v1/organizations/"+ystadID, "").must(t, http.StatusOK); !strings.Contains(o.raw, `"2120001165"`) &&
		!strings.Contains(o.raw, `"212000-1165"`) || !strings.Contains(o.raw, `"1286"`) || o.str("kind") != "ORGANIZATION_KIND_MUNICIPALITY" {
		t.Fatalf("the municipality the console registered: %s", o.raw)
	}
	kisumuID := createOrgInConsole(t, ada, url.Values{"organization.kind": {"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT"},
		"organization.displayName": {"Kisumu County"}, "organization.international.countryCode": {"ke"},
		"organization.international.governmentKind": {"county"}})
	if o := admin.do("GET", "/v1/organizations/"+kisumuID, "").must(t, http.StatusOK); !strings.Contains(o.raw, `"KE"`) || !strings.Contains(o.raw, `"county"`) {
		t.Fatalf("the county the console registered: %s", o.raw)
	}

	// The admin opens the change form; someone else renames the municipality meanwhile.
	edit := "/console/organizations/" + ystadID + "/edit"
	mustOpen(ada, edit)
	admin.do("PATCH", "/v1/organizations/"+ystadID+"?update_mask=display_name", `{"display_name":"Ystads kommun"}`).must(t, http.StatusOK)
	// The form is sent back as the page holds it, with the name changed.
	rename := url.Values{"etag": {ada.hidden("etag")}, "organization.displayName": {"Ystad municipality"}}
	for _, input := range []string{"organization.swedish.orgNumber", "organization.swedish.municipalityCode", "organization.swedish.countyCode"} {
		m := regexp.MustCompile(`name="` + regexp.QuoteMeta(input) + `" type="text" value="([^"]*)"`).FindStringSubmatch(ada.page)
		if m == nil {
			t.Fatalf("the change form lacks %s:\n%s", input, ada.page)
		}
		rename.Set(input, html.UnescapeString(m[1]))
	}
	if status := ada.submit(edit, rename); status != http.StatusConflict {
		t.Fatalf("a change on a stale form: %d\n%s", status, ada.page)
	}
	ada.mustShow("Någon annan har ändrat organisationen", "Så här ser organisationen ut nu", "<dd>Ystads kommun</dd>", `value="Ystad municipality"`)
	if o := admin.do("GET", "/v1/organizations/"+ystadID, "").must(t, http.StatusOK); o.str("display_name") != "Ystads kommun" {
		t.Fatalf("the stale change was applied: %s", o.raw)
	}
	rename.Set("etag", ada.hidden("etag"))
	if status := ada.submit(edit, rename); status != http.StatusOK || ada.at.Path != "/console/organizations/"+ystadID {
		t.Fatalf("the change on the current form led to %s with %d:\n%s", ada.at, status, ada.page)
	}
	ada.mustShow("<h1>Ystad municipality</h1>")

	orgCount := func() int {
		return len(list(admin.do("GET", "/v1/organizations?page_size=500", "").must(t, http.StatusOK).body, "organizations"))
	}
	before := orgCount()

	// A member of the municipality is offered no form; the one they send anyway is refused by the API.
	maja := newBrowser(t, s.GatewayURL)
	maja.signIn(ystadID)
	mustOpen(maja, "/console/organizations")
	mustOpen(maja, "/console/organizations/"+ystadID)
	if strings.Contains(maja.page, `href="/console/organizations/new"`) || strings.Contains(maja.page, `/edit"`) {
		t.Fatalf("a member is offered an organisation form:\n%s", maja.page)
	}
	if status := maja.submit("/console/organizations/new", url.Values{"organization.kind": {"ORGANIZATION_KIND_REGION"},
		"organization.displayName": {"Region Skåne"}, "organization.swedish.orgNumber": {"232100-0255"}, "organization.swedish.countyCode": {"12"}}); status != http.StatusForbidden {
		t.Fatalf("a member's new organisation: %d\n%s", status, maja.page)
	}
	maja.mustShow("Du har inte behörighet att registrera eller ändra organisationer")
	if n := orgCount(); n != before {
		t.Fatalf("%d organisations after the member's refused form, want %d", n, before)
	}

	// The member sets an inception application's team in the console.
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, ystadID)}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	p := member.do("POST", "/v1/partnerships", fmt.Sprintf(`{"swedish_organization_id":%q,"international_organization_id":%q,
		"title":"Water in Kisumu","core_areas":["CORE_AREA_PARTICIPATION"]}`, ystadID, kisumuID)).must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/partnerships/"+p+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", "/v1/partnerships/"+p+":approve", `{}`).must(t, http.StatusOK)
	now := today()
	app := member.do("POST", "/v1/partnerships/"+p+"/applications", `{"kind":"APPLICATION_KIND_INCEPTION","start_date":`+now.json()+
		`,"end_date":`+now.plus(12, -1).json()+`}`).must(t, http.StatusCreated).str("id")
	appPage := "/console/partnerships/" + p + "/applications/" + app
	team := appPage + "/team"
	mustOpen(maja, appPage)
	maja.mustShow(`href="` + team + `"`)
	mustOpen(maja, team)
	maja.mustShow(`name="rows" value="1"`, "Nej. Det här stämmer inte ännu:")

	row := func(f url.Values, i int, org, name, role string) {
		f.Set(fmt.Sprintf("members[%d].organizationId", i), org)
		f.Set(fmt.Sprintf("members[%d].displayName", i), name)
		f.Set(fmt.Sprintf("members[%d].role", i), role)
	}
	first := url.Values{"rows": {"1"}, "more": {"1"}}
	row(first, 0, ystadID, "Anna Berg", "MEMBER_ROLE_MAJORITY_POLITICIAN")
	if status := maja.submit(team, first); status != http.StatusOK {
		t.Fatalf("more rows: %d\n%s", status, maja.page)
	}
	maja.mustShow(`name="rows" value="2"`, `value="Anna Berg"`)
	full := url.Values{"rows": {"8"}}
	row(full, 0, ystadID, "Anna Berg", "MEMBER_ROLE_MAJORITY_POLITICIAN")
	row(full, 1, ystadID, "Bo Ek", "MEMBER_ROLE_OPPOSITION_POLITICIAN")
	row(full, 2, ystadID, "Cilla Lund", "MEMBER_ROLE_OFFICIAL")
	row(full, 3, "", "", "") // an empty row, left out
	row(full, 4, kisumuID, "Achieng Otieno", "MEMBER_ROLE_MAJORITY_POLITICIAN")
	row(full, 5, kisumuID, "Baraka Ouma", "MEMBER_ROLE_OPPOSITION_POLITICIAN")
	row(full, 6, "", "Chebet Wanjiru", "MEMBER_ROLE_OFFICIAL") // no party yet
	if status := maja.submit(team, full); status != http.StatusBadRequest {
		t.Fatalf("a member without a party: %d\n%s", status, maja.page)
	}
	maja.mustShow(`id="members[6].organizationId-error"`, `aria-describedby="members[6].organizationId-error"`, `value="Chebet Wanjiru"`)
	if m := list(member.do("GET", "/v1/partnerships/"+p+"/applications/"+app+"/team:check", "").must(t, http.StatusOK).body, "members"); len(m) != 0 {
		t.Fatalf("a refused team was stored: %v", m)
	}
	full.Set("members[6].organizationId", kisumuID)
	if status := maja.submit(team, full); status != http.StatusOK || maja.at.Path != team {
		t.Fatalf("saving the team led to %s with %d:\n%s", maja.at, status, maja.page)
	}
	maja.mustShow("Ja. Teamet uppfyller reglerna", `value="Chebet Wanjiru"`)
	check := member.do("GET", "/v1/partnerships/"+p+"/applications/"+app+"/team:check", "").must(t, http.StatusOK)
	if c, _ := check.body["check"].(map[string]any); c["passes"] != true || len(list(check.body, "members")) != 6 {
		t.Fatalf("the team the console set: %s", check.raw)
	}
}
