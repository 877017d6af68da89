package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	loopPartnership = "22222222-2222-2222-2222-222222222222"
	loopApplication = "33333333-3333-3333-3333-333333333333"
)

// anApplication is GET .../applications/{id} of an application in state, with one objective whose outcome
// is measured by a counted indicator from 0 to 12.
func anApplication(state string) map[string]any {
	return map[string]any{"id": loopApplication, "partnershipId": loopPartnership, "kind": "APPLICATION_KIND_PROJECT",
		"state": state, "etag": "5", "revision": 1, "creator": "anna@malmo.se", "updater": "karin@icld.se",
		"createTime": "2026-03-01T10:00:00Z", "updateTime": "2026-03-02T10:00:00Z",
		"startDate": map[string]any{"year": 2027, "month": 1, "day": 1}, "endDate": map[string]any{"year": 2028, "month": 12, "day": 31},
		"purpose": "Young people influence decisions",
		"objectives": []any{map[string]any{"id": "youth-voice", "statement": "Young people are heard", "results": []any{
			map[string]any{"id": "councils", "level": "RESULT_LEVEL_OUTCOME", "statement": "Youth councils advise the city", "indicators": []any{
				map[string]any{"id": "proposals", "name": "Youth proposals decided on", "measure": "INDICATOR_MEASURE_UNIT", "unit": "proposals",
					"baseline": map[string]any{"value": "0", "date": map[string]any{"year": 2027, "month": 1, "day": 1}},
					"target":   map[string]any{"value": "12"}}}}}}},
		"plannedActivities": []any{map[string]any{"id": "workshops", "year": 2027, "objectiveId": "youth-voice", "description": "Workshops in schools"}},
	}
}

// applicationAPI answers the partnership, its applications and the application in state; each POST with post.
func applicationAPI(state string, post func(r *http.Request, body string) (int, any)) *fakeAPI {
	base := "/v1/partnerships/" + loopPartnership
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		switch {
		case r.Method == http.MethodPost && post != nil:
			return post(r, body)
		case r.URL.Path == base:
			return http.StatusOK, map[string]any{"id": loopPartnership, "title": "Young voices", "state": "PARTNERSHIP_STATE_ACTIVE"}
		case r.URL.Path == base+"/applications":
			return http.StatusOK, map[string]any{"applications": []any{anApplication(state)}, "nextPageToken": "n2"}
		case r.URL.Path == base+"/applications/"+loopApplication:
			return http.StatusOK, anApplication(state)
		}
		return http.StatusNotFound, map[string]any{"code": 5, "message": "not found"}
	}}
}

// loopRefusal is a google.rpc.Status body with a reason and field violations (field, description pairs).
func loopRefusal(code int, reason, message string, fields ...string) map[string]any {
	details := []any{map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason}}
	var violations []any
	for i := 0; i+1 < len(fields); i += 2 {
		violations = append(violations, map[string]any{"field": fields[i], "description": fields[i+1]})
	}
	if violations != nil {
		details = append(details, map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": violations})
	}
	return map[string]any{"code": code, "message": message, "details": details}
}

func loopPartner() *session {
	s := newSession(time.Hour)
	s.Token, s.Role = "header.payload.signature", "partner"
	return s
}

func loopContains(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s:\n%s", want, body)
		}
	}
}

// The list shows each application's kind, state, period and who created and changed it, linked to its page,
// with the partnership's title and the paged list's next page; a member gets the form of a new draft, a
// partner does not.
func TestApplicationsListLinksEachApplication(t *testing.T) {
	api := applicationAPI("APPLICATION_STATE_DRAFT", nil)
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/partnerships/"+loopPartnership+"/applications?page=n1", nil, sessionCookieFor(t, c, member()))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, rec.Body)
	}
	loopContains(t, rec.Body.String(), `<a href="/console/partnerships/`+loopPartnership+`/applications/`+loopApplication+`">projekt</a>`,
		"<td>utkast</td>", "<td>2027-01-01 – 2028-12-31</td>", "2026-03-01 (anna@malmo.se)", "2026-03-02 (karin@icld.se)",
		"<caption>", `href="/console/partnerships/`+loopPartnership+`">Till partnerskapet Young voices</a>`, "page=n2",
		`action="/console/partnerships/`+loopPartnership+`/applications"`, `<option value="APPLICATION_KIND_DISSEMINATION">spridning av resultaten</option>`)
	if q := api.calls[1].URL.Query(); q.Get("page_token") != "n1" {
		t.Errorf("the list asked %s", api.calls[1].URL)
	}
	rec = serve(c, http.MethodGet, "/console/partnerships/"+loopPartnership+"/applications", nil, sessionCookieFor(t, c, loopPartner()))
	if strings.Contains(rec.Body.String(), `name="kind"`) {
		t.Error("a partner is offered a new application")
	}
}

// Another organisation's partnership is the console's not-found page, as the API says.
func TestApplicationsOfAnUnseenPartnershipAreNotFound(t *testing.T) {
	c := newTestConsole(t, &fakeAPI{answer: func(*http.Request, string) (int, any) {
		return http.StatusNotFound, loopRefusal(5, "NOT_FOUND", "partnership not found")
	}})
	for _, path := range []string{"/applications", "/applications/" + loopApplication} {
		rec := serve(c, http.MethodGet, "/console/partnerships/"+loopPartnership+path, nil, sessionCookieFor(t, c, member()))
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "<h1>Sidan finns inte</h1>") {
			t.Errorf("%s: %d\n%s", path, rec.Code, rec.Body)
		}
	}
}

// A new draft is sent with its kind, its days as typed and the form's idempotency key; the person lands on it.
func TestCreateApplicationSendsTheDraft(t *testing.T) {
	api := applicationAPI("APPLICATION_STATE_DRAFT", func(r *http.Request, _ string) (int, any) {
		return http.StatusCreated, anApplication("APPLICATION_STATE_DRAFT")
	})
	c := newTestConsole(t, api)
	s := member()
	form := url.Values{"csrf": {s.CSRF}, "idempotencyKey": {"k1"}, "kind": {"APPLICATION_KIND_INCEPTION"},
		"startDate": {" 2027-01-01 "}, "endDate": {"2027-12-31"}}
	rec := serve(c, http.MethodPost, "/console/partnerships/"+loopPartnership+"/applications", form, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/partnerships/"+loopPartnership+"/applications/"+loopApplication {
		t.Fatalf("%d %s:\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	n, body := posts(api)
	if n != 1 || body != `{"endDate":"2027-12-31","kind":"APPLICATION_KIND_INCEPTION","startDate":"2027-01-01"}`+"\n" {
		t.Errorf("API got %d posts, last %s", n, body)
	}
	if p := api.calls[len(api.calls)-1]; p.URL.Path != "/v1/partnerships/"+loopPartnership+"/applications" || p.Header.Get("Idempotency-Key") != "k1" {
		t.Errorf("posted to %s with %v", p.URL, p.Header)
	}
}

// The API's refusals of a new draft stand beside their inputs: a field violation beside its date, a reason
// about the kind beside the kind; what was typed is kept.
func TestCreateApplicationRefusalsBesideTheirInputs(t *testing.T) {
	answer := loopRefusal(3, "INVALID_ARGUMENT", "invalid", "application.endDate", "the end date 2026-01-01 is before the start date 2027-01-01")
	api := applicationAPI("APPLICATION_STATE_DRAFT", func(*http.Request, string) (int, any) { return http.StatusBadRequest, answer })
	c := newTestConsole(t, api)
	s := member()
	form := url.Values{"csrf": {s.CSRF}, "kind": {"APPLICATION_KIND_INCEPTION"}, "startDate": {"2027-01-01"}, "endDate": {"2026-01-01"}}
	rec := serve(c, http.MethodPost, "/console/partnerships/"+loopPartnership+"/applications", form, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	errAt, inputAt := strings.Index(body, `id="endDate-error"`), strings.Index(body, `<input id="endDate"`)
	if errAt < 0 || inputAt < errAt || !strings.Contains(body[errAt:inputAt], "Skriv den sista dagen") {
		t.Fatalf("no error beside the end date:\n%s", body)
	}
	loopContains(t, body, `value="2026-01-01" aria-describedby="endDate-hint endDate-error" aria-invalid="true"`,
		`<option value="APPLICATION_KIND_INCEPTION" selected>`, "Rätta det som är markerat nedan.", "<title>Fel:")
	if strings.Contains(body, "startDate-error") {
		t.Error("an error beside the start date, which was right")
	}

	answer = loopRefusal(9, "INCEPTION_EXISTS", "the partnership already has an inception")
	rec = serve(c, http.MethodPost, "/console/partnerships/"+loopPartnership+"/applications", form, sessionCookieFor(t, c, s), &http.Cookie{Name: langCookie, Value: "en"})
	loopContains(t, rec.Body.String(), `id="kind-error">The partnership already has an inception.`)
}

// A form without the session's CSRF token is refused before anything reaches the API.
func TestApplicationStepWithoutCSRFIsRefused(t *testing.T) {
	api := applicationAPI("APPLICATION_STATE_DRAFT", nil)
	c := newTestConsole(t, api)
	for _, path := range []string{"/applications", "/applications/" + loopApplication + "/submit"} {
		rec := serve(c, http.MethodPost, "/console/partnerships/"+loopPartnership+path, url.Values{"etag": {"5"}}, sessionCookieFor(t, c, member()))
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s without CSRF: %d", path, rec.Code)
		}
	}
	if api.count() != 0 {
		t.Errorf("%d calls reached the API", api.count())
	}
}

// The application page shows the results it promises, its place in the lifecycle, and to a member of a
// draft the submit step with the etag; a coordinator of a submitted one gets approve, return and reject.
func TestApplicationPageOffersTheStepsOfTheRole(t *testing.T) {
	c := newTestConsole(t, applicationAPI("APPLICATION_STATE_DRAFT", nil))
	page := "/console/partnerships/" + loopPartnership + "/applications/" + loopApplication
	rec := serve(c, http.MethodGet, page, nil, sessionCookieFor(t, c, member()))
	body := rec.Body.String()
	loopContains(t, body, "<h1>Ansökan: projekt 2027-01-01 – 2028-12-31</h1>", `aria-current="step" class="current">utkast</li>`,
		"Mål: Young people are heard", "Effekt: Youth councils advise the city", `<th scope="row">Youth proposals decided on</th>`,
		"<td>antal (proposals)</td>", "<td>0 (2027-01-01)</td>", "<td>12</td>", "Workshops in schools",
		`action="`+page+`/submit"`, `name="etag" value="5"`)
	for _, not := range []string{"/approve", "/reject", "/return"} {
		if strings.Contains(body, page+not) {
			t.Errorf("a member is offered %s", not)
		}
	}
	c = newTestConsole(t, applicationAPI("APPLICATION_STATE_SUBMITTED", nil))
	body = serve(c, http.MethodGet, page, nil, sessionCookieFor(t, c, coordinator())).Body.String()
	loopContains(t, body, `action="`+page+`/approve"`, `action="`+page+`/return"`, `action="`+page+`/reject"`, `<textarea id="returnReason"`)
	if strings.Contains(body, page+"/submit") {
		t.Error("a submitted application offers submit")
	}
}

// A step posts the etag the page showed to the API's custom method, and success comes back to the page.
func TestSubmitApplicationPostsTheEtag(t *testing.T) {
	api := applicationAPI("APPLICATION_STATE_DRAFT", func(*http.Request, string) (int, any) {
		return http.StatusOK, anApplication("APPLICATION_STATE_SUBMITTED")
	})
	c := newTestConsole(t, api)
	s := member()
	page := "/console/partnerships/" + loopPartnership + "/applications/" + loopApplication
	rec := serve(c, http.MethodPost, page+"/submit", url.Values{"csrf": {s.CSRF}, "etag": {"5"}, "idempotencyKey": {"k"}}, sessionCookieFor(t, c, s))
	n, body := posts(api)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != page || n != 1 || body != `{"etag":"5"}`+"\n" {
		t.Errorf("%d %s; API got %d posts, last %s", rec.Code, rec.Header().Get("Location"), n, body)
	}
	if p := api.calls[len(api.calls)-1]; p.URL.Path != "/v1/partnerships/"+loopPartnership+"/applications/"+loopApplication+":submit" || p.Header.Get("Idempotency-Key") != "k" {
		t.Errorf("posted to %s with %v", p.URL, p.Header)
	}
}

// Returning without a reason: the API's refusal stands beside the reason's input; a stale etag is explained
// in the person's language, with the application as it now is.
func TestApplicationRefusalsAreExplained(t *testing.T) {
	var answer map[string]any
	status := http.StatusBadRequest
	api := applicationAPI("APPLICATION_STATE_SUBMITTED", func(*http.Request, string) (int, any) { return status, answer })
	c := newTestConsole(t, api)
	s := coordinator()
	page := "/console/partnerships/" + loopPartnership + "/applications/" + loopApplication
	answer = loopRefusal(3, "INVALID_ARGUMENT", "invalid", "reason", "is empty; say what the applicant should change")
	rec := serve(c, http.MethodPost, page+"/return", url.Values{"csrf": {s.CSRF}, "etag": {"5"}, "returnReason": {"  "}}, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	loopContains(t, rec.Body.String(), `id="returnReason-error">Skriv vad den sökande ska ändra`, `aria-describedby="returnReason-hint returnReason-error" aria-invalid="true"`)
	if _, body := posts(api); body != `{"etag":"5","reason":"  "}`+"\n" {
		t.Errorf("API got %s", body)
	}

	status, answer = http.StatusConflict, loopRefusal(10, "ETAG_MISMATCH", "the application changed since you read it")
	rec = serve(c, http.MethodPost, page+"/approve", url.Values{"csrf": {s.CSRF}, "etag": {"4"}}, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusConflict {
		t.Fatalf("status %d", rec.Code)
	}
	loopContains(t, rec.Body.String(), "Ansökan har ändrats sedan du öppnade sidan.", `name="etag" value="5"`)

	status, answer = http.StatusBadRequest, map[string]any{"code": 9, "message": "the team does not meet the rule", "details": []any{
		map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "TEAM_INCOMPLETE"},
		map[string]any{"@type": "type.googleapis.com/google.rpc.PreconditionFailure", "violations": []any{
			map[string]any{"description": "Lusaka needs an opposition politician"}}}}}
	rec = serve(c, http.MethodPost, page+"/approve", url.Values{"csrf": {s.CSRF}, "etag": {"5"}}, sessionCookieFor(t, c, s))
	loopContains(t, rec.Body.String(), "Ansökans arbetsgrupp uppfyller inte programmets krav.", `<li lang="en">Lusaka needs an opposition politician</li>`)
}

// Every word the applications pages build from the API's values, and every step's button and hint, is in
// the catalogue in both languages (catalog_test.go checks the literal keys of the templates).
func TestApplicationWordsAreInTheCatalogue(t *testing.T) {
	var keys []string
	prefixed := func(prefix string, values []string) {
		for _, v := range values {
			keys = append(keys, prefix+v)
		}
	}
	prefixed("applications.state.", applicationStates)
	prefixed("applications.kind.", applicationPhases)
	prefixed("applications.level.", resultLevels)
	prefixed("applications.measure.", indicatorMeasures)
	for step := range stepRoles {
		keys = append(keys, "application.step."+step, "application.hint."+step)
	}
	for reason := range applicationReasonInputs {
		keys = append(keys, "applications.reason."+reason)
	}
	for reason := range ruleListReasons {
		if strings.HasPrefix(reason, "REPORT_") {
			continue
		}
		keys = append(keys, "applications.reason."+reason)
	}
	prefixed("applications.field.application.", append(applicationInputs, "returnReason"))
	for _, l := range languages {
		for _, key := range keys {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %q", l, key)
			}
		}
	}
	if len(applicationStates) != 7 || len(applicationPhases) != 5 {
		t.Errorf("enums from the proto: %v %v", applicationStates, applicationPhases)
	}
	for state := range applicationSteps {
		if !slices.Contains(applicationStates, state) {
			t.Errorf("steps from the unknown state %s", state)
		}
	}
}

// An empty kind is left out, so the API names it as a missing field; a date no one could read is marked
// beside its input and nothing is sent; a body the API could not read shows the API's own words.
func TestCreateApplicationWithoutKindOrWithAnUnreadableDate(t *testing.T) {
	var answer map[string]any
	api := applicationAPI("APPLICATION_STATE_DRAFT", func(*http.Request, string) (int, any) { return http.StatusBadRequest, answer })
	c := newTestConsole(t, api)
	s := member()
	target := "/console/partnerships/" + loopPartnership + "/applications"
	rec := serve(c, http.MethodPost, target, url.Values{"csrf": {s.CSRF}, "startDate": {"15/1 2027"}}, sessionCookieFor(t, c, s))
	if n, _ := posts(api); rec.Code != http.StatusBadRequest || n != 0 {
		t.Fatalf("%d with %d posts", rec.Code, n)
	}
	loopContains(t, rec.Body.String(), `id="startDate-error">Skriv den första dagen som år-månad-dag.`, `value="15/1 2027"`)

	answer = loopRefusal(3, "INVALID_ARGUMENT", "invalid", "application.kind", "value must not be in list [0]")
	serve(c, http.MethodPost, target, url.Values{"csrf": {s.CSRF}, "startDate": {"2027-01-15"}}, sessionCookieFor(t, c, s))
	if _, body := posts(api); body != `{"startDate":"2027-01-15"}`+"\n" {
		t.Errorf("API got %s", body)
	}

	answer = loopRefusal(3, "INVALID_ARGUMENT", `the request body does not fit: "kind" expects one of ...`)
	rec = serve(c, http.MethodPost, target, url.Values{"csrf": {s.CSRF}, "kind": {"X"}}, sessionCookieFor(t, c, s))
	loopContains(t, rec.Body.String(), `Uppgifterna kunde inte tas emot. <span class="detail" lang="en">(the request body does not fit: &#34;kind&#34; expects one of ...)</span>`)
}
