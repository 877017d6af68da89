package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// The programme's loop in the web console: a member of the Swedish party finds the partnership's
// applications, starts an inception (first with an end before its start, refused beside the end date), and
// once its team is in place submits it; a coordinator approves it there. The member then starts the year's
// report, writes its text and submits it; the coordinator's return without a reason is refused beside it,
// and the report is approved. Another organisation's member gets the not-found page for the same addresses.
func TestConsoleLoopApplicationSubmittedAndApproved(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	base := "/v1/partnerships/" + d.partnership
	member.do("POST", base+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", base+":approve", `{}`).must(t, http.StatusOK)
	list := "/console/partnerships/" + d.partnership + "/applications"
	now := today()

	anna := newBrowser(t, s.GatewayURL)
	anna.signIn(d.malmo)
	mustOpen(anna, "/console/partnerships/"+d.partnership)
	anna.mustShow(`href="` + list + `"`)
	mustOpen(anna, list)
	anna.mustShow("<h1>Ansökningar", "Partnerskapet har inga ansökningar ännu.", `action="`+list+`"`)

	// An end before the start: the service's refusal stands beside the end date, and nothing is created.
	form := url.Values{"kind": {"APPLICATION_KIND_INCEPTION"}, "startDate": {now.iso()}, "endDate": {now.plus(0, -1).iso()}}
	if status := anna.submit(list, form); status != http.StatusBadRequest {
		t.Fatalf("an end before the start: %d, want 400:\n%s", status, anna.page)
	}
	errorAt, inputAt := strings.Index(anna.page, `id="endDate-error"`), strings.Index(anna.page, `<input id="endDate"`)
	if errorAt < 0 || inputAt < errorAt || !strings.Contains(anna.page[errorAt:inputAt], "Skriv den sista dagen") {
		t.Fatalf("no error beside the end date:\n%s", anna.page)
	}
	anna.mustShow(`value="`+now.plus(0, -1).iso()+`" aria-describedby="endDate-hint endDate-error" aria-invalid="true"`,
		`<option value="APPLICATION_KIND_INCEPTION" selected>`)
	if apps := member.do("GET", base+"/applications", "").must(t, http.StatusOK); strings.Contains(apps.raw, `"id"`) {
		t.Fatalf("a refused draft was created: %s", apps.raw)
	}

	form.Set("endDate", now.plus(12, -1).iso())
	if status := anna.submit(list, form); status != http.StatusOK || !strings.HasPrefix(anna.at.Path, list+"/") {
		t.Fatalf("the corrected draft led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	page := anna.at.Path
	app := strings.TrimPrefix(page, list+"/")
	anna.mustShow(`aria-current="step" class="current">utkast</li>`, `action="`+page+`/submit"`, now.iso()+" – "+now.plus(12, -1).iso())
	if strings.Contains(anna.page, page+"/approve") {
		t.Error("a member is offered the approval")
	}
	mustOpen(anna, list)
	anna.mustShow(`<a href="`+page+`">förstudie</a>`, "<td>utkast</td>")

	// The team the programme asks for is set through the API (the console has no team page yet); then the
	// member submits on the application's page, with the etag it showed.
	mustOpen(anna, page)
	p := member.do("GET", base, "").must(t, http.StatusOK)
	setTeam(t, member, d.partnership, app, false, p.str("swedish_organization_id"), p.str("international_organization_id"))
	if status := anna.submit(page+"/submit", url.Values{"etag": {anna.hidden("etag")}}); status != http.StatusOK || anna.at.Path != page {
		t.Fatalf("submit led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	anna.mustShow(`aria-current="step" class="current">inskickad</li>`)
	if strings.Contains(anna.page, `action="`+page+`/submit"`) {
		t.Error("a submitted application still offers submit")
	}

	// The coordinator finds it waiting on the dashboard and approves it on its page.
	eva := newBrowser(t, s.GatewayURL)
	eva.signInWithRole(auth.RoleCoordinator, "")
	mustOpen(eva, "/console/")
	eva.mustShow("Ansökningar (1)", `<a href="`+page+`">`)
	mustOpen(eva, page)
	eva.mustShow(`action="`+page+`/approve"`, `action="`+page+`/return"`, `action="`+page+`/reject"`)
	if status := eva.submit(page+"/approve", url.Values{"etag": {eva.hidden("etag")}}); status != http.StatusOK || eva.at.Path != page {
		t.Fatalf("approve led to %s with %d:\n%s", eva.at, status, eva.page)
	}
	eva.mustShow(`aria-current="step" class="current">godkänd</li>`, `action="`+page+`/start"`)
	if got := member.do("GET", base+"/applications/"+app, "").must(t, http.StatusOK); got.str("state") != "APPLICATION_STATE_APPROVED" {
		t.Fatalf("the API has %s", got.raw)
	}

	// The year's report: the member starts it on the approved inception, writes its text and submits it.
	reports := "/console/partnerships/" + d.partnership + "/reports"
	mustOpen(anna, page)
	anna.mustShow(`href="` + reports + `?application=` + app + `"`)
	mustOpen(anna, reports+"?application="+app)
	anna.mustShow("Det finns inga rapporter ännu.", `<option value="`+app+`" selected>förstudie`)
	if status := anna.submit(reports, url.Values{"applicationId": {app}, "kind": {"REPORT_KIND_PARTIAL"},
		"year": {strconv.Itoa(now.Year())}}); status != http.StatusOK || !strings.HasPrefix(anna.at.Path, reports+"/") {
		t.Fatalf("the new report led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	report := anna.at.Path
	anna.mustShow("<strong>utkast</strong>", `href="`+report+`/edit"`)
	mustOpen(anna, report+"/edit")
	if status := anna.submit(report+"/edit", url.Values{"etag": {anna.hidden("etag")}, "deviations": {"None"},
		"lessons": {"Meet early in the year"}}); status != http.StatusOK || anna.at.Path != report {
		t.Fatalf("saving the text led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	anna.mustShow("<dd>Meet early in the year</dd>")
	if status := anna.submit(report+"/submit", url.Values{"etag": {anna.hidden("etag")}}); status != http.StatusOK || anna.at.Path != report {
		t.Fatalf("submitting the report led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	anna.mustShow("<strong>inskickad</strong>")

	// The coordinator finds the report waiting; a return without a reason is refused beside the reason; one
	// with a reason sends it back to the member, who sends it again; then the report is approved.
	mustOpen(eva, "/console/")
	eva.mustShow("Rapporter (1)", `<a href="`+report+`">`)
	mustOpen(eva, report)
	if status := eva.submit(report+"/return", url.Values{"etag": {eva.hidden("etag")}, "section": {"lessons"}}); status != http.StatusBadRequest {
		t.Fatalf("a return without a reason: %d, want 400:\n%s", status, eva.page)
	}
	eva.mustShow(`id="returnReason-error"`, `<option value="lessons" selected>`)
	// Returned with a reason, it is on the member's dashboard until she sends it again.
	if status := eva.submit(report+"/return", url.Values{"etag": {eva.hidden("etag")}, "section": {"lessons"},
		"returnReason": {"Say what you would do differently"}}); status != http.StatusOK || eva.at.Path != report {
		t.Fatalf("returning the report led to %s with %d:\n%s", eva.at, status, eva.page)
	}
	mustOpen(anna, "/console/")
	anna.mustShow("Tillbaka hos er för ändring", "Rapporter (1)", `<a href="`+report+`">`)
	mustOpen(anna, report)
	if status := anna.submit(report+"/submit", url.Values{"etag": {anna.hidden("etag")}}); status != http.StatusOK || anna.at.Path != report {
		t.Fatalf("sending the returned report again led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	mustOpen(anna, "/console/")
	anna.mustShow("ICLD har inte skickat tillbaka något till er.")
	mustOpen(eva, report)
	if status := eva.submit(report+"/approve", url.Values{"etag": {eva.hidden("etag")}}); status != http.StatusOK || eva.at.Path != report {
		t.Fatalf("approving the report led to %s with %d:\n%s", eva.at, status, eva.page)
	}
	eva.mustShow("<strong>godkänd</strong>")
	rid := strings.TrimPrefix(report, reports+"/")
	if got := member.do("GET", base+"/reports/"+rid, "").must(t, http.StatusOK); got.str("state") != "REPORT_STATE_APPROVED" || got.str("lessons") != "Meet early in the year" {
		t.Fatalf("the API has %s", got.raw)
	}

	// Växjö's member meets the tenant boundary: the console's not-found page for each of these addresses.
	lars := newBrowser(t, s.GatewayURL)
	lars.signIn(d.vaxjo)
	for _, path := range []string{page, list, report, reports} {
		if status := lars.open(http.MethodGet, path, nil); status != http.StatusNotFound {
			t.Fatalf("another organisation's member got %d at %s:\n%s", status, path, lars.page)
		}
		lars.mustShow("<h1>Sidan finns inte</h1>")
	}
}

// The applications and reports pages pass axe-core's WCAG 2.1 AA rules in a real Chromium, as a member and
// as a coordinator sees them: lists, an application with its results framework, the create form with a
// field error, a report against that framework, its text's form, and the coordinator's decision forms.
func TestConsoleLoopPagesAreAccessible(t *testing.T) {
	chrome := chromiumPath(t)
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	base := "/v1/partnerships/" + d.partnership
	member.do("POST", base+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", base+":approve", `{}`).must(t, http.StatusOK)
	now := today()
	// An inception with the whole results framework, approved, and a draft report of this year on it.
	app := member.do("POST", base+"/applications", `{"kind":"APPLICATION_KIND_INCEPTION","startDate":"`+now.iso()+`",
		"endDate":"`+now.plus(12, -1).iso()+`",`+framework(now)+`}`).must(t, http.StatusCreated).str("id")
	setTeam(t, member, d.partnership, app, false, d.malmo, d.lusaka)
	member.do("POST", base+"/applications/"+app+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", base+"/applications/"+app+":approve", `{}`).must(t, http.StatusOK)
	report := member.do("POST", base+"/reports", fmt.Sprintf(`{"applicationId":%q,"kind":"REPORT_KIND_PARTIAL","year":%d,
		"objectives":[{"objectiveId":"youth-voice","narrative":"Two youth councils met the city board"}],
		"indicators":[{"indicatorId":"proposals","value":{"value":"4","date":"%s"},"evidence":"Minutes"}],
		"deviations":"None","lessons":"Meet early"}`, app, now.Year(), now.iso())).must(t, http.StatusCreated).str("id")
	apps, reports := "/console/partnerships/"+d.partnership+"/applications", "/console/partnerships/"+d.partnership+"/reports"

	b := openBrowser(t, chrome, s.GatewayURL)
	b.signIn("member of a Swedish organisation", "Malmö stad")
	for _, page := range []string{apps, apps + "/" + app, reports, reports + "/" + report, reports + "/" + report + "/edit"} {
		b.do("open "+page, chromedp.Navigate(b.base+page), chromedp.WaitVisible(chromedp.CSS("h1")))
		b.checkAccessibility(page)
	}
	b.mustText("h1", "Write the report: partial report "+fmt.Sprint(now.Year()))
	b.do("create an application without its kind and days", chromedp.Navigate(b.base+apps), chromedp.WaitVisible(chromedp.ID("kind")),
		chromedp.Click(chromedp.CSS(`form[action="`+apps+`"] button[type="submit"]`)), chromedp.WaitVisible(chromedp.ID("kind-error")))
	if got := b.describedBy("startDate"); got == "" {
		t.Error("the start date has no description")
	}
	b.checkAccessibility("the new application's form with its errors")

	member.do("POST", base+"/reports/"+report+":submit", `{}`).must(t, http.StatusOK)
	eva := openBrowser(t, chrome, s.GatewayURL)
	eva.signIn("ICLD coordinator", "")
	for _, page := range []string{apps + "/" + app, reports + "/" + report} {
		eva.do("open "+page, chromedp.Navigate(eva.base+page), chromedp.WaitVisible(chromedp.CSS("h1")))
		eva.checkAccessibility(page + " as a coordinator")
	}
	eva.do("return the report without a reason", chromedp.Click(chromedp.CSS(`form[action$="/return"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("returnReason-error")))
	eva.checkAccessibility("the report's return form with its error")
}
