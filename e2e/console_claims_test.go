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

// signInWithRole uses the development sign-in page as role, of org when the role has one. (signIn, in
// console_test.go, signs in members only.)
func (b *browser) signInWithRole(role auth.Role, org string) {
	b.t.Helper()
	b.open(http.MethodGet, "/console/sign-in", nil)
	if status := b.submit("/console/sign-in", url.Values{"role": {string(role)}, "org": {org}}); status != http.StatusOK || b.at.Path != "/console/" {
		b.t.Fatalf("sign-in as %s led to %s with %d:\n%s", role, b.at, status, b.page)
	}
}

// mustOpen opens path in b, fails unless it is shown, and answers the page.
func mustOpen(b *browser, path string) string {
	b.t.Helper()
	if status := b.open(http.MethodGet, path, nil); status != http.StatusOK {
		b.t.Fatalf("%s: %d\n%s", path, status, b.page)
	}
	return b.page
}

// draftClaim prepares, through the REST API, a partnership of the Swedish organisation sv and the
// international one intl with an approved inception, budget and report, and a draft claim of two lines
// with stored receipts: a flight of 12 500,00 kr and a hotel of 1 032,19 kr. It returns the claim's id.
func draftClaim(t *testing.T, s *suite.Suite, sv, intl string) string {
	t.Helper()
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, sv)}
	now := today()
	p := member.do("POST", "/v1/partnerships", fmt.Sprintf(`{"swedish_organization_id":%q,"international_organization_id":%q,
		"title":"Claims in the console","core_areas":["CORE_AREA_PARTICIPATION"]}`, sv, intl)).must(t, http.StatusCreated).str("id")
	app := approvedInception(t, member, coordinator, p)
	budget := member.do("POST", "/v1/budgets", fmt.Sprintf(`{"partnership_id":%q,"application_id":%q,"lines":[
		{"id":"travel","category":"CATEGORY_TRAVEL","year":%[3]d,"amount":{"currency_code":"SEK","amount_minor":15000000}},
		{"id":"hotel","category":"CATEGORY_ACCOMMODATION","year":%[3]d,"amount":{"currency_code":"SEK","amount_minor":8000000}}]}`,
		p, app, now.Year())).must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/budgets/"+budget+":submit", `{}`).must(t, http.StatusOK)
	granted(t, admin, now.Year())
	coordinator.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusOK)
	report := approvedReport(t, member, coordinator, p, app)
	flight, hotel := storedReceipt(t, member, p, "flight.pdf", 1), storedReceipt(t, member, p, "hotel.pdf", 2)
	day := now.json()
	return member.do("POST", "/v1/claims", `{"budget_id":"`+budget+`","report_id":"`+report+`","period_start":`+day+`,"period_end":`+day+`,"lines":[
		{"id":"1","date":`+day+`,"category":"CATEGORY_TRAVEL","budget_line_id":"travel","description":"Flight Copenhagen-Lusaka",
		 "original":{"currency_code":"SEK","amount_minor":1250000},"receipt":`+flight+`},
		{"id":"2","date":`+day+`,"category":"CATEGORY_ACCOMMODATION","budget_line_id":"hotel","description":"Hotel, three nights",
		 "original":{"currency_code":"SEK","amount_minor":103219},"receipt":`+hotel+`}]}`).must(t, http.StatusCreated).str("id")
}

// A member submits a draft claim on its page in the console; a coordinator decides it line by line there,
// first with an amount the console cannot read (marked beside its line, nothing changed), then with one line
// reduced and a reason; the page shows the decision. Another organisation's member cannot see the claim.
func TestConsoleClaimApprovedLineByLine(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	d := demo(t, admin)
	id := draftClaim(t, s, d.malmo, d.lusaka)
	page := "/console/claims/" + id

	anna := newBrowser(t, s.GatewayURL)
	anna.signIn(d.malmo)
	if status := anna.open(http.MethodGet, page, nil); status != http.StatusOK {
		t.Fatalf("the claim page: %d\n%s", status, anna.page)
	}
	anna.mustShow("<strong>utkast</strong>", "12\u00a0500,00\u00a0kr", "1\u00a0032,19\u00a0kr", "13\u00a0532,19\u00a0kr", "flight.pdf",
		`action="`+page+`/submit"`)
	if strings.Contains(anna.page, "/approve") {
		t.Error("a member is offered the decision")
	}
	if status := anna.submit(page+"/submit", url.Values{"etag": {anna.hidden("etag")}}); status != http.StatusOK || anna.at.Path != page {
		t.Fatalf("submit led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	anna.mustShow("<strong>inskickat</strong>")
	anna.open(http.MethodGet, "/console/claims?state=CLAIM_STATE_SUBMITTED", nil)
	anna.mustShow(`<a href="` + page + `">`)

	// From the partnership's page to the claims on its budget.
	m := regexp.MustCompile(`href="/console/partnerships/([^"]+)"`).FindStringSubmatch(mustOpen(anna, page))
	if m == nil {
		t.Fatalf("the claim page does not link to its partnership:\n%s", anna.page)
	}
	m = regexp.MustCompile(`href="(/console/claims\?budget=[^"]+)">Ersättningsanspråk på budgeten för förstudie</a>`).
		FindStringSubmatch(mustOpen(anna, "/console/partnerships/"+m[1]))
	if m == nil {
		t.Fatalf("the partnership page does not link to its budget's claims:\n%s", anna.page)
	}
	mustOpen(anna, html.UnescapeString(m[1]))
	anna.mustShow(`<a href="` + page + `">`)

	eva := newBrowser(t, s.GatewayURL)
	eva.signInWithRole(auth.RoleCoordinator, "")
	eva.open(http.MethodGet, page, nil)
	eva.mustShow(`action="`+page+`/approve"`, `value="12500,00"`, `value="1032,19"`)
	etag := eva.hidden("etag")

	// "abc" is no amount: marked beside the hotel's input, and the claim is as it was.
	bad := url.Values{"etag": {etag}, "approved-0": {"12500,00"}, "approved-1": {"abc"}}
	if status := eva.submit(page+"/approve", bad); status != http.StatusBadRequest {
		t.Fatalf("an unreadable amount: %d, want 400:\n%s", status, eva.page)
	}
	errorAt, inputAt := strings.Index(eva.page, `id="approved-1-error"`), strings.Index(eva.page, `<input id="approved-1"`)
	if errorAt < 0 || inputAt < errorAt || !strings.Contains(eva.page[errorAt:inputAt], "Skriv beloppet i kronor") {
		t.Fatalf("no error beside the hotel's amount:\n%s", eva.page)
	}
	eva.mustShow(`value="abc" aria-describedby="approved-1-hint approved-1-error" aria-invalid="true"`)
	if strings.Contains(eva.page, "approved-0-error") {
		t.Error("an error beside the flight, which was right")
	}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	if unchanged := coordinator.do("GET", "/v1/claims/"+id, "").must(t, http.StatusOK); unchanged.str("state") != "CLAIM_STATE_SUBMITTED" || unchanged.str("etag") != etag {
		t.Fatalf("an unreadable amount changed the claim: %s", unchanged.raw)
	}

	// The hotel reduced to 900 kr, with the reason: partly approved, each line's decision on the page.
	good := url.Values{"etag": {etag}, "approved-0": {"12 500"}, "approved-1": {"900,00"}, "reason-1": {"Minibaren är ingen programkostnad"}}
	if status := eva.submit(page+"/approve", good); status != http.StatusOK || eva.at.Path != page {
		t.Fatalf("the decision led to %s with %d:\n%s", eva.at, status, eva.page)
	}
	eva.mustShow("<strong>delvis godkänt</strong>", "<dd>13\u00a0400,00\u00a0kr</dd>", `<td class="amount">900,00`+"\u00a0kr</td>",
		"<td>Minibaren är ingen programkostnad</td>")
	if strings.Contains(eva.page, `action="`+page+`/approve"`) {
		t.Error("a decided claim still offers the decision")
	}
	decided := coordinator.do("GET", "/v1/claims/"+id, "").must(t, http.StatusOK)
	if decided.str("state") != "CLAIM_STATE_PARTLY_APPROVED" || !strings.Contains(decided.raw, `"amountMinor":"1340000"`) ||
		!strings.Contains(decided.raw, `"amountMinor":"90000"`) {
		t.Fatalf("the API has %s", decided.raw)
	}

	// Växjö's member meets the tenant boundary: the console's not-found page.
	lars := newBrowser(t, s.GatewayURL)
	lars.signIn(d.vaxjo)
	if status := lars.open(http.MethodGet, page, nil); status != http.StatusNotFound {
		t.Fatalf("another organisation's member got %d:\n%s", status, lars.page)
	}
	lars.mustShow("<h1>Sidan finns inte</h1>")
}
