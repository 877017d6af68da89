package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const loopReport = "55555555-5555-5555-5555-555555555555"

// aReport is GET .../reports/{id} of a partial report of 2027 in state, which reports the objective and the
// indicator's value reached, 4 proposals.
func aReport(state string) map[string]any {
	return map[string]any{"id": loopReport, "partnershipId": loopPartnership, "applicationId": loopApplication,
		"kind": "REPORT_KIND_PARTIAL", "year": 2027, "state": state, "etag": "9",
		"dueDate": map[string]any{"year": 2028, "month": 3, "day": 31}, "creator": "anna@malmo.se", "updater": "anna@malmo.se",
		"createTime": "2027-11-01T10:00:00Z", "updateTime": "2027-11-02T10:00:00Z",
		"objectives": []any{map[string]any{"objectiveId": "youth-voice", "narrative": "Two youth councils met the city board"}},
		"indicators": []any{map[string]any{"indicatorId": "proposals", "value": map[string]any{"value": "4"}, "evidence": "Minutes of the board"}},
		"lessons":    "Invite the opposition"}
}

// reportAPI answers the partnership, its applications and reports, the report in state and the approved
// application it reports on; each POST with post.
func reportAPI(state string, post func(r *http.Request, body string) (int, any)) *fakeAPI {
	base := "/v1/partnerships/" + loopPartnership
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		switch {
		case r.Method == http.MethodPost && post != nil:
			return post(r, body)
		case r.URL.Path == base:
			return http.StatusOK, map[string]any{"id": loopPartnership, "title": "Young voices", "state": "PARTNERSHIP_STATE_ACTIVE"}
		case r.URL.Path == base+"/applications":
			return http.StatusOK, map[string]any{"applications": []any{anApplication("APPLICATION_STATE_RUNNING")}}
		case r.URL.Path == base+"/applications/"+loopApplication:
			return http.StatusOK, anApplication("APPLICATION_STATE_RUNNING")
		case r.URL.Path == base+"/reports":
			return http.StatusOK, map[string]any{"reports": []any{aReport(state)}}
		case r.URL.Path == base+"/reports/"+loopReport:
			return http.StatusOK, aReport(state)
		}
		return http.StatusNotFound, loopRefusal(5, "NOT_FOUND", "not found")
	}}
}

// The list names each report by kind and year, with its state and application; the filter by application
// is passed to the API; a member may start a report on the running application.
func TestReportsListNamesEachReport(t *testing.T) {
	api := reportAPI("REPORT_STATE_DRAFT", nil)
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/partnerships/"+loopPartnership+"/reports?application="+loopApplication, nil, sessionCookieFor(t, c, member()))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, rec.Body)
	}
	loopContains(t, rec.Body.String(), `<a href="/console/partnerships/`+loopPartnership+`/reports/`+loopReport+`">delrapport 2027</a>`,
		"<td>utkast</td>", "<td>2028-03-31</td>", `>projekt 2027-01-01 – 2028-12-31</a>`, "<caption>",
		`<option value="`+loopApplication+`" selected>projekt 2027-01-01 – 2028-12-31 (pågår)</option>`,
		`id="kind-REPORT_KIND_PARTIAL" name="kind" value="REPORT_KIND_PARTIAL" checked`)
	if q := api.calls[1].URL.Query(); q.Get("application_id") != loopApplication {
		t.Errorf("reports asked %s", api.calls[1].URL)
	}
}

// A new report is sent with its application, kind and year as a number; a year that is no number is marked
// beside its input and nothing is sent; the API's refusal of the year stands beside it too.
func TestCreateReport(t *testing.T) {
	var answer map[string]any
	status := http.StatusCreated
	api := reportAPI("REPORT_STATE_DRAFT", func(*http.Request, string) (int, any) {
		if answer != nil {
			return status, answer
		}
		return http.StatusCreated, aReport("REPORT_STATE_DRAFT")
	})
	c := newTestConsole(t, api)
	s := member()
	target := "/console/partnerships/" + loopPartnership + "/reports"
	form := url.Values{"csrf": {s.CSRF}, "applicationId": {loopApplication}, "kind": {"REPORT_KIND_PARTIAL"}, "year": {"tjugo"}}
	rec := serve(c, http.MethodPost, target, form, sessionCookieFor(t, c, s))
	if n, _ := posts(api); rec.Code != http.StatusBadRequest || n != 0 {
		t.Fatalf("%d with %d posts", rec.Code, n)
	}
	loopContains(t, rec.Body.String(), `id="year-error">Skriv ett av ansökans år`, `value="tjugo" aria-describedby="year-hint year-error" aria-invalid="true"`)

	form.Set("year", "2027")
	rec = serve(c, http.MethodPost, target, form, sessionCookieFor(t, c, s))
	n, body := posts(api)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != target+"/"+loopReport ||
		body != `{"applicationId":"`+loopApplication+`","kind":"REPORT_KIND_PARTIAL","year":2027}`+"\n" || n != 1 {
		t.Errorf("%d %s; API got %s", rec.Code, rec.Header().Get("Location"), body)
	}

	status, answer = http.StatusBadRequest, loopRefusal(3, "INVALID_ARGUMENT", "invalid", "report.year", "give a year of the application, 2027 to 2028")
	form.Set("year", "2031")
	rec = serve(c, http.MethodPost, target, form, sessionCookieFor(t, c, s), &http.Cookie{Name: langCookie, Value: "en"})
	loopContains(t, rec.Body.String(), `id="year-error">give a year of the application, 2027 to 2028</p>`, `value="2031"`)
}

// The report page shows, for each promised result, what the report says of it; a member of a draft gets
// submit, a coordinator of a submitted one approve and return.
func TestReportPageShowsEachPromisedResult(t *testing.T) {
	c := newTestConsole(t, reportAPI("REPORT_STATE_DRAFT", nil))
	page := "/console/partnerships/" + loopPartnership + "/reports/" + loopReport
	body := serve(c, http.MethodGet, page, nil, sessionCookieFor(t, c, member())).Body.String()
	loopContains(t, body, "<h1>Rapport: delrapport 2027</h1>", "<strong>utkast</strong>", "Mål: Young people are heard",
		"<p>Two youth councils met the city board</p>", `<th scope="row">Youth proposals decided on (proposals)</th>`,
		"<td>0 (2027-01-01)</td>", "<td>12</td>", "<td>4</td>", "<td>Minutes of the board</td>", "Inte rapporterat ännu",
		"Invite the opposition", `action="`+page+`/submit"`, `name="etag" value="9"`)
	if strings.Contains(body, page+"/approve") {
		t.Error("a member is offered the approval")
	}
	returned := reportAPI("REPORT_STATE_RETURNED", nil)
	inner := returned.answer
	returned.answer = func(r *http.Request, body string) (int, any) {
		status, out := inner(r, body)
		if m, ok := out.(map[string]any); ok && m["id"] == loopReport {
			m["returnReasons"] = []any{map[string]any{"section": "lessons", "reason": "Say what you will do differently"},
				map[string]any{"section": "objectives/youth-voice", "reason": "Name the councils"}}
		}
		return status, out
	}
	c = newTestConsole(t, returned)
	body = serve(c, http.MethodGet, page, nil, sessionCookieFor(t, c, member())).Body.String()
	loopContains(t, body, "<dt>Lärdomar</dt><dd>Say what you will do differently</dd>", "<dt>objectives/youth-voice</dt><dd>Name the councils</dd>",
		`action="`+page+`/submit"`, `href="`+page+`/edit"`)
	c = newTestConsole(t, reportAPI("REPORT_STATE_SUBMITTED", nil))
	body = serve(c, http.MethodGet, page, nil, sessionCookieFor(t, c, coordinator())).Body.String()
	loopContains(t, body, `action="`+page+`/approve"`, `action="`+page+`/return"`, `<option value="lessons">Lärdomar</option>`)
}

// Returning a report sends the section and reason; a missing reason is refused beside its input, and the
// four-eyes refusal of an approval is explained in the person's language.
func TestReportStepsAndRefusals(t *testing.T) {
	var answer map[string]any
	status := http.StatusOK
	api := reportAPI("REPORT_STATE_SUBMITTED", func(*http.Request, string) (int, any) { return status, answer })
	c := newTestConsole(t, api)
	s := coordinator()
	page := "/console/partnerships/" + loopPartnership + "/reports/" + loopReport
	answer = aReport("REPORT_STATE_RETURNED")
	rec := serve(c, http.MethodPost, page+"/return", url.Values{"csrf": {s.CSRF}, "etag": {"9"}, "section": {"lessons"},
		"returnReason": {"Say what you will do differently"}, "idempotencyKey": {"k"}}, sessionCookieFor(t, c, s))
	_, body := posts(api)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != page ||
		body != `{"etag":"9","reasons":[{"reason":"Say what you will do differently","section":"lessons"}]}`+"\n" {
		t.Errorf("%d %s; API got %s", rec.Code, rec.Header().Get("Location"), body)
	}
	if p := api.calls[len(api.calls)-1]; p.URL.Path != "/v1/partnerships/"+loopPartnership+"/reports/"+loopReport+":return" {
		t.Errorf("posted to %s", p.URL)
	}

	status, answer = http.StatusBadRequest, loopRefusal(3, "INVALID_ARGUMENT", "invalid", "reasons[0].reason", "value length must be at least 1 characters")
	rec = serve(c, http.MethodPost, page+"/return", url.Values{"csrf": {s.CSRF}, "etag": {"9"}, "section": {"deviations"}}, sessionCookieFor(t, c, s))
	loopContains(t, rec.Body.String(), `id="returnReason-error">Skriv vad partnerskapet ska ändra`, `<option value="deviations" selected>`)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("status %d", rec.Code)
	}

	status, answer = http.StatusBadRequest, loopRefusal(9, "SELF_APPROVAL", "you submitted this report; another coordinator approves it")
	rec = serve(c, http.MethodPost, page+"/approve", url.Values{"csrf": {s.CSRF}, "etag": {"9"}}, sessionCookieFor(t, c, s))
	loopContains(t, rec.Body.String(), "Du har skrivit eller skickat in rapporten, så en annan handläggare måste godkänna den.")

	before := api.count()
	rec = serve(c, http.MethodPost, page+"/approve", url.Values{"etag": {"9"}}, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusForbidden || api.count() != before {
		t.Errorf("an approval without CSRF: %d, %d calls", rec.Code, api.count()-before)
	}
}

// Every word the reports pages build from the API's values is in the catalogue in both languages.
func TestReportWordsAreInTheCatalogue(t *testing.T) {
	var keys []string
	for _, v := range partnerReportStates {
		keys = append(keys, "partnerReports.state."+v)
	}
	for _, v := range partnerReportKinds {
		keys = append(keys, "partnerReports.kind."+v)
	}
	for _, v := range reportSections {
		keys = append(keys, "partnerReports.section."+v)
	}
	for step := range reportStepRoles {
		keys = append(keys, "partnerReport.step."+step, "partnerReport.hint."+step)
	}
	for reason := range reportReasonInputs {
		keys = append(keys, "partnerReports.reason."+reason)
	}
	for _, in := range append(reportInputs, "section", "returnReason") {
		keys = append(keys, "applications.field.report."+in)
	}
	keys = append(keys, "partnerReports.reason.REPORT_INCOMPLETE")
	for _, l := range languages {
		for _, key := range keys {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %q", l, key)
			}
		}
	}
	if len(partnerReportStates) != 4 || len(partnerReportKinds) != 2 {
		t.Errorf("enums from the proto: %v %v", partnerReportStates, partnerReportKinds)
	}
}
