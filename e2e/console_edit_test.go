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

// In the web console a member writes a project application's content (objectives, results, indicators,
// activities, risks, considerations) on its edit page: submitting it without that content is refused as
// incomplete, an objective the activity names that does not exist and a target that is no number are each
// refused beside their inputs, a form read before another change is refused as stale and shows the
// application as it now is, and once the content is there the application is submitted on its page. A
// coordinator then revises the approved project, refused without a reason beside its input. A planned
// visit's dates are changed on its edit page. Another organisation's member gets the not-found page
// for both edit addresses.
func TestConsoleEditApplicationContentAndVisit(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	karin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	now := today()
	base := "/v1/partnerships/" + d.partnership

	// A project, which must say all of its content before it is submitted, after an inception that ran its course.
	inception := approvedInception(t, member, karin, d.partnership)
	for _, step := range []string{":start", ":close"} {
		karin.do("POST", base+"/applications/"+inception+step, `{}`).must(t, http.StatusOK)
	}
	ensureWindow(t, admin, "APPLICATION_KIND_PROJECT", now)
	start, end := now.iso(), now.plus(24, -1).iso()
	project := member.do("POST", base+"/applications", `{"kind":"APPLICATION_KIND_PROJECT","startDate":"`+start+`","endDate":"`+end+`"}`).
		must(t, http.StatusCreated).str("id")
	setTeam(t, member, d.partnership, project, true, d.malmo, d.lusaka)

	page := "/console/partnerships/" + d.partnership + "/applications/" + project
	edit := page + "/edit"
	anna := newBrowser(t, s.GatewayURL)
	anna.signIn(d.malmo)
	mustOpen(anna, page)
	anna.mustShow(`href="` + edit + `"`)
	if status := anna.submit(page+"/submit", url.Values{"etag": {anna.hidden("etag")}}); status != http.StatusBadRequest {
		t.Fatalf("submitting an empty project: %d, want 400:\n%s", status, anna.page)
	}
	anna.mustShow("Ansökan saknar delar", "at least one objective")

	// The content as the member types it into the form's empty rows; the second rows of each kind stay empty.
	mustOpen(anna, edit)
	anna.mustShow(`name="objectives[0].results[0].indicators[0].target.value"`, `name="risks[0].description"`)
	readEtag := anna.hidden("etag")
	content := url.Values{"etag": {readEtag}, "startDate": {start}, "endDate": {end},
		"purpose": {"Young people influence local environmental decisions"}, "problem": {"Young people are not heard"},
		"genderAndInclusion": {"Half of the councils' seats go to young women"}, "antiCorruption": {"Two people sign every payment"},
		"objectives[0].id": {"youth-voice"}, "objectives[0].statement": {"Young people are heard"},
		"objectives[0].results[0].id": {"councils"}, "objectives[0].results[0].level": {"RESULT_LEVEL_OUTCOME"},
		"objectives[0].results[0].statement":                    {"Youth councils advise the city"},
		"objectives[0].results[0].indicators[0].id":             {"proposals"},
		"objectives[0].results[0].indicators[0].name":           {"Youth proposals decided on"},
		"objectives[0].results[0].indicators[0].measure":        {"INDICATOR_MEASURE_UNIT"},
		"objectives[0].results[0].indicators[0].unit":           {"proposals"},
		"objectives[0].results[0].indicators[0].baseline.value": {"0"},
		"objectives[0].results[0].indicators[0].baseline.date":  {start},
		"objectives[0].results[0].indicators[0].target.value":   {"twelve"},
		"objectives[0].results[0].indicators[0].target.date":    {end},
		"objectives[0].results[0].indicators[1].id":             {""},
		"objectives[0].results[1].id":                           {""},
		"objectives[1].id":                                      {""},
		"plannedActivities[0].id":                               {"workshops"}, "plannedActivities[0].year": {strconv.Itoa(now.Year())},
		"plannedActivities[0].objectiveId": {"no-such-objective"}, "plannedActivities[0].description": {"Workshops in schools"},
		"plannedActivities[1].id": {""},
		"risks[0].description":    {"Elections change the council"}, "risks[0].mitigation": {"Both majority and opposition take part"},
		"risks[1].description": {""},
	}
	// The API checks a target's form before the framework's links: each refusal in turn, beside its input.
	for _, refused := range []struct{ input, fix, value string }{
		{"objectives.0.results.0.indicators.0.target.value", "objectives[0].results[0].indicators[0].target.value", "12,5"},
		{"plannedActivities.0.objectiveId", "plannedActivities[0].objectiveId", "youth-voice"},
	} {
		if status := anna.submit(edit, content); status != http.StatusBadRequest {
			t.Fatalf("refused at %s: %d, want 400:\n%s", refused.input, status, anna.page)
		}
		errAt, inputAt := strings.Index(anna.page, `id="`+refused.input+`-error"`), strings.Index(anna.page, `id="`+refused.input+`" name=`)
		if errAt < 0 || inputAt < errAt || !strings.Contains(anna.page, `href="#`+refused.input+`"`) {
			t.Fatalf("no error beside %s:\n%s", refused.input, anna.page)
		}
		anna.mustShow(`>Young people are not heard</textarea>`)
		content.Set(refused.fix, refused.value)
	}
	if got := member.do("GET", base+"/applications/"+project, "").must(t, http.StatusOK); got.str("etag") != readEtag || got.str("purpose") != "" {
		t.Fatalf("a refused change was written: %s", got.raw)
	}

	// Corrected (a decimal comma read as the API's point), it is saved with the etag the form was read with.
	if status := anna.submit(edit, content); status != http.StatusOK || anna.at.Path != page {
		t.Fatalf("saving the content led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	anna.mustShow("Young people are heard", "Youth proposals decided on", "Workshops in schools")
	saved := member.do("GET", base+"/applications/"+project, "").must(t, http.StatusOK)
	if !strings.Contains(saved.raw, `"12.5"`) || len(list(saved.body, "objectives")) != 1 || len(list(saved.body, "risks")) != 1 {
		t.Fatalf("the API has %s", saved.raw)
	}

	// The form as read before that save is now stale: the API refuses it and the page says so, showing the
	// application as it is now and keeping what was typed.
	content.Set("antiCorruption", "Three people sign every payment")
	if status := anna.submit(edit, content); status != http.StatusConflict && status != http.StatusPreconditionFailed {
		t.Fatalf("a stale form: %d, want 409 or 412:\n%s", status, anna.page)
	}
	anna.mustShow("Någon annan har ändrat ansökan", "Så här ser ansökan ut nu", ">Three people sign every payment</textarea>",
		`name="etag" value="`+saved.str("etag")+`"`)

	// With its content, the project is submitted on its page.
	mustOpen(anna, page)
	if status := anna.submit(page+"/submit", url.Values{"etag": {anna.hidden("etag")}}); status != http.StatusOK || anna.at.Path != page {
		t.Fatalf("submitting the written project led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	anna.mustShow(`aria-current="step" class="current">inskickad</li>`)
	if strings.Contains(anna.page, `href="`+edit+`"`) {
		t.Error("a submitted application still links its edit form")
	}

	// Approved, the project changes only as ICLD's revision, with a reason the API requires.
	karin.do("POST", base+"/applications/"+project+":approve", `{}`).must(t, http.StatusOK)
	eva := newBrowser(t, s.GatewayURL)
	eva.signInWithRole(auth.RoleCoordinator, "")
	mustOpen(eva, page)
	eva.mustShow(`href="` + edit + `"`)
	mustOpen(eva, edit)
	revision := url.Values{"etag": {eva.hidden("etag")}}
	for name, value := range content {
		if name != "etag" {
			revision[name] = value
		}
	}
	revision.Set("antiCorruption", "Three people sign every payment")
	if status := eva.submit(edit, revision); status != http.StatusBadRequest {
		t.Fatalf("a revision without a reason: %d, want 400:\n%s", status, eva.page)
	}
	errAt, inputAt := strings.Index(eva.page, `id="revisionReason-error"`), strings.Index(eva.page, `<textarea id="revisionReason"`)
	if errAt < 0 || inputAt < errAt {
		t.Fatalf("no error beside the revision's reason:\n%s", eva.page)
	}
	revision.Set("revisionReason", "The parties agreed on a stricter rule")
	if status := eva.submit(edit, revision); status != http.StatusOK || eva.at.Path != page {
		t.Fatalf("the revision led to %s with %d:\n%s", eva.at, status, eva.page)
	}
	if got := member.do("GET", base+"/applications/"+project, "").must(t, http.StatusOK); got.str("anti_corruption") != "Three people sign every payment" || fmt.Sprint(got.body["revision"]) != "2" {
		t.Fatalf("the API has %s", got.raw)
	}

	// A planned visit's dates change on its edit page; the rest stays as it was.
	from, to := now.plus(2, 0), now.plus(2, 2)
	visit := member.do("POST", base+"/visits", fmt.Sprintf(`{"start_date":%s,"end_date":%s,"host_organization_id":%q,
		"travellers":[{"organization_id":%q,"count":3}],"purpose":"Youth councils meet","state":"VISIT_STATE_PLANNED"}`,
		from.json(), to.json(), d.lusaka, d.malmo)).must(t, http.StatusCreated).str("id")
	visits := "/console/partnerships/" + d.partnership + "/visits"
	visitEdit := visits + "/" + visit + "/edit"
	mustOpen(anna, visits)
	anna.mustShow(`href="` + visitEdit + `"`)
	mustOpen(anna, visitEdit)
	anna.mustShow(`value="`+from.iso()+`"`, `>Youth councils meet</textarea>`)
	moved := now.plus(3, 0)
	if status := anna.submit(visitEdit, url.Values{"etag": {anna.hidden("etag")}, "startDate": {moved.iso()}, "endDate": {moved.plus(0, 3).iso()},
		"hostOrganizationId": {d.lusaka}, "travellers-" + d.malmo: {"3"}, "travellers-" + d.lusaka: {""}, "purpose": {"Youth councils meet"},
		"outcomes": {""}}); status != http.StatusOK || anna.at.Path != visits {
		t.Fatalf("changing the dates led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	anna.mustShow(moved.iso() + " – " + moved.plus(0, 3).iso())
	got := member.do("GET", base+"/visits/"+visit, "").must(t, http.StatusOK)
	startDay, _ := got.body["start_date"].(map[string]any)
	if startDay == nil {
		startDay, _ = got.body["startDate"].(map[string]any)
	}
	if fmt.Sprint(startDay["year"], "-", startDay["month"], "-", startDay["day"]) != fmt.Sprint(moved.Year(), "-", int(moved.Month()), "-", moved.Day()) ||
		got.str("purpose") != "Youth councils meet" {
		t.Fatalf("the API has %s", got.raw)
	}

	// Växjö's member meets the tenant boundary at both edit addresses.
	lars := newBrowser(t, s.GatewayURL)
	lars.signIn(d.vaxjo)
	for _, path := range []string{edit, visitEdit} {
		if status := lars.open(http.MethodGet, path, nil); status != http.StatusNotFound {
			t.Fatalf("another organisation's member got %d at %s:\n%s", status, path, lars.page)
		}
		lars.mustShow("<h1>Sidan finns inte</h1>")
	}
}

// The edit pages of an application's content and of a visit pass axe-core's WCAG 2.1 AA rules in a real
// Chromium, as written and with a refusal beside a nested input.
func TestConsoleEditPagesAreAccessible(t *testing.T) {
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
	app := member.do("POST", base+"/applications", `{"kind":"APPLICATION_KIND_INCEPTION","startDate":"`+now.iso()+`",
		"endDate":"`+now.plus(12, -1).iso()+`",`+framework(now)+`}`).must(t, http.StatusCreated).str("id")
	visit := member.do("POST", base+"/visits", fmt.Sprintf(`{"start_date":%s,"end_date":%s,"host_organization_id":%q,
		"travellers":[{"organization_id":%q,"count":3}],"purpose":"Youth councils meet","state":"VISIT_STATE_PLANNED"}`,
		now.plus(2, 0).json(), now.plus(2, 2).json(), d.lusaka, d.malmo)).must(t, http.StatusCreated).str("id")
	edit := "/console/partnerships/" + d.partnership + "/applications/" + app + "/edit"
	visitEdit := "/console/partnerships/" + d.partnership + "/visits/" + visit + "/edit"

	b := openBrowser(t, chrome, s.GatewayURL)
	b.signIn("member of a Swedish organisation", "Malmö stad")
	for _, page := range []string{edit, visitEdit} {
		b.do("open "+page, chromedp.Navigate(b.base+page), chromedp.WaitVisible(chromedp.CSS("h1")))
		b.checkAccessibility(page)
	}
	target := `[id="objectives.0.results.0.indicators.0.target.value"]`
	b.do("write a target that is no number", chromedp.Navigate(b.base+edit), chromedp.WaitVisible(chromedp.CSS(target)),
		chromedp.SendKeys(chromedp.CSS(target), "x"),
		chromedp.Click(chromedp.CSS(`form.app-edit button[type="submit"]:not([name])`)),
		chromedp.WaitVisible(chromedp.CSS(`[id="objectives.0.results.0.indicators.0.target.value-error"]`)))
	b.checkAccessibility("the application's edit form with a refused target")
}
