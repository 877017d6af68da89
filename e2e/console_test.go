package e2e

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// browser is a person at the web console: a cookie jar and the last page it was shown. No JavaScript runs,
// so this is also the console without htmx, as a screen reader or a slow phone may meet it.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	page   string
	at     *url.URL
}

func newBrowser(t *testing.T, base string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: base, client: &http.Client{Jar: jar}}
}

// open follows links and redirects as a browser does and returns the final status.
func (b *browser) open(method, path string, form url.Values) int {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	b.page, b.at = string(raw), resp.Request.URL
	return resp.StatusCode
}

// hidden reads a hidden input of the page's first form that has one, as the browser would send it back.
func (b *browser) hidden(name string) string {
	b.t.Helper()
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(b.page)
	if m == nil {
		b.t.Fatalf("the page has no hidden %s:\n%s", name, b.page)
	}
	return m[1]
}

// submit fills in a form of the current page: its CSRF token (and idempotency key, if it has one) with fields.
func (b *browser) submit(path string, fields url.Values) int {
	b.t.Helper()
	fields.Set("csrf", b.hidden("csrf"))
	if strings.Contains(b.page, `name="idempotencyKey"`) {
		fields.Set("idempotencyKey", b.hidden("idempotencyKey"))
	}
	return b.open(http.MethodPost, path, fields)
}

func (b *browser) mustShow(wants ...string) {
	b.t.Helper()
	for _, want := range wants {
		if !strings.Contains(b.page, want) {
			b.t.Fatalf("the page at %s does not show %q:\n%s", b.at, want, b.page)
		}
	}
}

// signIn uses the development sign-in page as a member of org.
func (b *browser) signIn(org string) {
	b.t.Helper()
	if status := b.open(http.MethodGet, "/", nil); status != http.StatusOK || b.at.Path != "/console/sign-in" {
		b.t.Fatalf("/ led to %s with %d", b.at, status)
	}
	if status := b.submit("/console/sign-in", url.Values{"role": {"member"}, "org": {org}}); status != http.StatusOK || b.at.Path != "/console/" {
		b.t.Fatalf("sign-in led to %s with %d:\n%s", b.at, status, b.page)
	}
	// A signed-in person lands on what is due for them.
	b.mustShow(`<h1 id="dashboard-heading">`)
}

// A member signs in through the console, creates a draft partnership, sees the API's refusal beside the
// field that caused it, corrects it and sees the partnership; another organisation's member cannot see it.
func TestConsoleMemberCreatesPartnership(t *testing.T) {
	s := startSuite(t)
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	malmo := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Malmö stad",
		"swedish":{"org_number":"2120001124","municipality_code":"1280"}}`).must(t, http.StatusCreated).str("id")
	lusaka := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
		"display_name":"Lusaka City Council","international":{"country_code":"ZM","government_kind":"city council"}}`).must(t, http.StatusCreated).str("id")
	stockholm := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_REGION","display_name":"Region Stockholm",
		"swedish":{"org_number":"2321000016","county_code":"01"}}`).must(t, http.StatusCreated).str("id")

	anna := newBrowser(t, s.GatewayURL)
	anna.signIn(malmo)
	anna.mustShow(`<html lang="sv">`, "Inloggad som", "Malmö stad")
	if status := anna.open(http.MethodGet, "/console/partnerships/new", nil); status != http.StatusOK {
		t.Fatalf("create form: %d", status)
	}
	form := url.Values{"title": {"Ungas röster i miljöfrågor"}, "swedishOrganizationId": {malmo},
		"internationalOrganizationId": {lusaka}, "coreAreas": {"CORE_AREA_PARTICIPATION"}, "sdgTargets": {"16.7, 99.9"}}
	if status := anna.submit("/console/partnerships", form); status != http.StatusBadRequest {
		t.Fatalf("a bad SDG target: %d, want 400:\n%s", status, anna.page)
	}
	errorAt, inputAt := strings.Index(anna.page, `id="sdgTargets-error"`), strings.Index(anna.page, `<input id="sdgTargets"`)
	if errorAt < 0 || inputAt < errorAt || !strings.Contains(anna.page[errorAt:inputAt], "delmål") {
		t.Fatalf("no error beside the SDG targets:\n%s", anna.page)
	}
	anna.mustShow(`aria-describedby="sdgTargets-hint sdgTargets-error"`, `value="Ungas röster i miljöfrågor"`, `value="16.7, 99.9"`)
	for _, other := range []string{"title-error", "coreAreas-error", "swedishOrganizationId-error"} {
		if strings.Contains(anna.page, other) {
			t.Errorf("an error shown at %s, which was right", other)
		}
	}
	form.Set("sdgTargets", "16.7")
	if status := anna.submit("/console/partnerships", form); status != http.StatusOK || !strings.HasPrefix(anna.at.Path, "/console/partnerships/") {
		t.Fatalf("corrected form led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	id := strings.TrimPrefix(anna.at.Path, "/console/partnerships/")
	anna.mustShow("<h1>Ungas röster i miljöfrågor</h1>", `aria-current="step" class="current">utkast</li>`, "Lusaka City Council", "16.7")
	if created := admin.do("GET", "/v1/partnerships/"+id, "").must(t, http.StatusOK); created.str("state") != "PARTNERSHIP_STATE_DRAFT" ||
		!strings.Contains(created.str("creator"), malmo) {
		t.Errorf("the API has %s", created.raw)
	}

	// The language switch remembers English and comes back to the same page.
	if status := anna.submit("/console/language", url.Values{"lang": {"en"}, "return": {anna.at.Path}}); status != http.StatusOK || anna.at.Path != "/console/partnerships/"+id {
		t.Fatalf("language switch led to %s with %d", anna.at, status)
	}
	anna.mustShow(`<html lang="en">`, `aria-current="step" class="current">draft</li>`)
	anna.open(http.MethodGet, "/console/partnerships", nil)
	anna.mustShow(`<a href="/console/partnerships/` + id + `">Ungas röster i miljöfrågor</a>`)
	// She finds it by words of its title in any case, and by its international party's country.
	for query, found := range map[string]bool{"?q=RÖSTER": true, "?q=vatten": false, "?country=ZM": true, "?country=KE": false,
		"?q=miljö&country=ZM&state=PARTNERSHIP_STATE_DRAFT": true} {
		if status := anna.open(http.MethodGet, "/console/partnerships"+query, nil); status != http.StatusOK ||
			strings.Contains(anna.page, "Ungas röster i miljöfrågor</a>") != found {
			t.Errorf("the list at %s (%d) shows the partnership: %v, want %v", query, status, !found, found)
		}
	}

	// Region Stockholm's member meets the API's tenant boundary: the console's not-found page.
	lars := newBrowser(t, s.GatewayURL)
	lars.signIn(stockholm)
	if status := lars.open(http.MethodGet, "/console/partnerships/"+id, nil); status != http.StatusNotFound {
		t.Fatalf("another organisation's member got %d:\n%s", status, lars.page)
	}
	lars.mustShow("<h1>Sidan finns inte</h1>")
	// He creates partnerships only for his own organisation: the service's refusal stands beside the field.
	lars.open(http.MethodGet, "/console/partnerships/new", nil)
	if status := lars.submit("/console/partnerships", url.Values{"title": {"Ett annat partnerskap"}, "swedishOrganizationId": {malmo},
		"internationalOrganizationId": {lusaka}, "coreAreas": {"CORE_AREA_PARTICIPATION"}}); status != http.StatusForbidden {
		t.Fatalf("a member creating for another organisation: %d, want 403:\n%s", status, lars.page)
	}
	lars.mustShow(`id="swedishOrganizationId-error">Som medarbetare kan du bara skapa partnerskap`)
	lars.open(http.MethodGet, "/console/partnerships", nil)
	if strings.Contains(lars.page, "Ungas röster") {
		t.Errorf("another organisation's member sees the partnership in the list")
	}

	// Signed out, the pages ask for sign-in again, and the REST API answers as before.
	anna.submit("/console/sign-out", url.Values{})
	if anna.open(http.MethodGet, "/console/partnerships/"+id, nil); anna.at.Path != "/console/sign-in" {
		t.Errorf("after sign-out the partnership page led to %s", anna.at)
	}
	(client{t: t, base: s.GatewayURL}).do("GET", "/v1/partnerships", "").must(t, http.StatusUnauthorized)
	(client{t: t, base: s.GatewayURL}).do("GET", "/healthz", "").must(t, http.StatusOK)
}
