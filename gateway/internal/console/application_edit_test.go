package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// appEditAPI answers the application of anApplication in state; each PATCH with patch.
func appEditAPI(state string, patch func(r *http.Request, body string) (int, any)) *fakeAPI {
	get := applicationAPI(state, nil)
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		if r.Method == http.MethodPatch {
			return patch(r, body)
		}
		if r.Method != http.MethodGet {
			return http.StatusMethodNotAllowed, map[string]any{"code": 12, "message": "not here"}
		}
		return get.answer(r, body)
	}}
}

// appEditForm is the edit form as the GET page fills it in (the current values), with changes applied.
func appEditForm(s *session, changes map[string]string) url.Values {
	form := url.Values{"csrf": {s.CSRF}, "etag": {"5"}, "startDate": {"2027-01-01"}, "endDate": {"2028-12-31"},
		"purpose": {"Young people influence decisions"}, "problem": {""}, "genderAndInclusion": {""}, "antiCorruption": {""},
		"objectives[0].id": {"youth-voice"}, "objectives[0].statement": {"Young people are heard"},
		"objectives[0].results[0].id": {"councils"}, "objectives[0].results[0].level": {"RESULT_LEVEL_OUTCOME"},
		"objectives[0].results[0].statement":                      {"Youth councils advise the city"},
		"objectives[0].results[0].indicators[0].id":               {"proposals"},
		"objectives[0].results[0].indicators[0].name":             {"Youth proposals decided on"},
		"objectives[0].results[0].indicators[0].measure":          {"INDICATOR_MEASURE_UNIT"},
		"objectives[0].results[0].indicators[0].unit":             {"proposals"},
		"objectives[0].results[0].indicators[0].baseline.value":   {"0"},
		"objectives[0].results[0].indicators[0].baseline.date":    {"2027-01-01"},
		"objectives[0].results[0].indicators[0].target.value":     {"12"},
		"objectives[0].results[0].indicators[1].name":             {""}, // the empty row the form offers
		"objectives[0].results[1].statement":                      {""},
		"objectives[1].statement":                                 {""},
		"plannedActivities[0].id":                                 {"workshops"},
		"plannedActivities[0].year":                               {"2027"},
		"plannedActivities[0].objectiveId":                        {"youth-voice"},
		"plannedActivities[0].description":                        {"Workshops in schools"},
		"plannedActivities[1].description":                        {""},
		"risks[0].description":                                    {""},
		"objectives[0].results[0].indicators[0].target.comment":   {""},
		"objectives[0].results[0].indicators[0].baseline.comment": {""},
	}
	for k, v := range changes {
		form.Set(k, v)
	}
	return form
}

func appEditPath() string { return applicationPath(loopPartnership, loopApplication) + "/edit" }

// The form shows the application's content with its etag, and one empty row of each kind to add.
func TestApplicationEditFormShowsTheContentAndEmptyRows(t *testing.T) {
	c := newTestConsole(t, appEditAPI("APPLICATION_STATE_DRAFT", nil))
	body := serve(c, http.MethodGet, appEditPath(), nil, sessionCookieFor(t, c, member())).Body.String()
	loopContains(t, body, `name="etag" value="5"`, `name="objectives[0].results[0].indicators[0].target.value" type="text" inputmode="decimal" class="short" value="12"`,
		`name="objectives[1].id"`, `name="objectives[0].results[1].id"`, `name="objectives[0].results[0].indicators[1].id"`,
		`name="objectives[1].results[0].indicators[0].id"`, `name="plannedActivities[1].id"`, `name="risks[0].description"`,
		`<option value="RESULT_LEVEL_OUTCOME" selected>`, `<label for="objectives.0.statement">`, "Nytt mål")
}

// The application page links the form while the application is a draft or returned, not once submitted.
func TestApplicationEditLinkedOnlyWhileEditable(t *testing.T) {
	for state, want := range map[string]bool{"APPLICATION_STATE_DRAFT": true, "APPLICATION_STATE_RETURNED": true, "APPLICATION_STATE_SUBMITTED": false} {
		c := newTestConsole(t, appEditAPI(state, nil))
		body := serve(c, http.MethodGet, applicationPath(loopPartnership, loopApplication), nil, sessionCookieFor(t, c, member())).Body.String()
		if got := strings.Contains(body, `href="`+appEditPath()+`"`); got != want {
			t.Errorf("%s: link shown %v", state, got)
		}
	}
}

// Only the fields changed are sent, under the etag the form was read with; a decimal comma is sent as the
// API's point, as text; the empty rows are left out.
func TestApplicationEditSendsOnlyTheChangedPaths(t *testing.T) {
	var patch *http.Request
	var sent string
	c := newTestConsole(t, appEditAPI("APPLICATION_STATE_DRAFT", func(r *http.Request, body string) (int, any) {
		patch, sent = r, body
		return http.StatusOK, anApplication("APPLICATION_STATE_DRAFT")
	}))
	s := member()
	rec := serve(c, http.MethodPost, appEditPath(), appEditForm(s, map[string]string{
		"objectives[0].results[0].indicators[0].target.value": "37,5", "risks[0].description": "Elections", "risks[0].mitigation": "Both sides on board"}),
		sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != applicationPath(loopPartnership, loopApplication) {
		t.Fatalf("%d:\n%s", rec.Code, rec.Body)
	}
	if patch == nil || patch.URL.Query().Get("update_mask") != "objectives,risks" {
		t.Fatalf("the API got %v", patch)
	}
	var body struct {
		Etag       string
		Objectives []struct {
			Results []struct {
				Indicators []struct{ Target map[string]any }
			}
		}
		Risks    []map[string]string
		Purpose  *string
		StartDae any
	}
	if err := json.Unmarshal([]byte(sent), &body); err != nil {
		t.Fatal(err)
	}
	if body.Etag != "5" || len(body.Objectives) != 1 || len(body.Objectives[0].Results) != 1 || len(body.Objectives[0].Results[0].Indicators) != 1 ||
		body.Objectives[0].Results[0].Indicators[0].Target["value"] != "37.5" || len(body.Risks) != 1 || body.Purpose != nil {
		t.Errorf("sent %s", sent)
	}
}

// Nothing changed, nothing sent.
func TestApplicationEditUnchangedSendsNothing(t *testing.T) {
	c := newTestConsole(t, appEditAPI("APPLICATION_STATE_DRAFT", func(*http.Request, string) (int, any) {
		t.Error("the API was asked to change")
		return http.StatusOK, nil
	}))
	s := member()
	if rec := serve(c, http.MethodPost, appEditPath(), appEditForm(s, nil), sessionCookieFor(t, c, s)); rec.Code != http.StatusSeeOther {
		t.Errorf("%d", rec.Code)
	}
}

// A field violation deep in the framework stands beside the input of the row it is about: the target of
// the second indicator, the objective of an activity (as the API names it in snake case); the rows on the
// page are the rows sent, so the empty rows before them do not shift the numbers.
func TestApplicationEditNestedRefusalBesideItsInput(t *testing.T) {
	c := newTestConsole(t, appEditAPI("APPLICATION_STATE_DRAFT", func(*http.Request, string) (int, any) {
		return http.StatusBadRequest, loopRefusal(3, "INVALID_ARGUMENT", "invalid",
			"application.objectives[0].results[0].indicators[1].target", "a qualitative indicator has no numbers",
			"application.planned_activities[0].objective_id", `"nope" is not one of this application's objectives`)
	}))
	s := member()
	form := appEditForm(s, map[string]string{"plannedActivities[0].objectiveId": "nope",
		"objectives[0].results[0].indicators[1].id": "", "objectives[0].results[0].indicators[1].name": ""})
	// The person wrote the second indicator in the third row, leaving the second empty.
	for k, v := range map[string]string{"id": "trust", "name": "Trust in the council", "measure": "INDICATOR_MEASURE_QUALITATIVE", "target.value": "3"} {
		form.Set("objectives[0].results[0].indicators[2]."+k, v)
	}
	rec := serve(c, http.MethodPost, appEditPath(), form, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("%d", rec.Code)
	}
	for _, input := range []string{"objectives[0].results[0].indicators[1].target.value", "plannedActivities[0].objectiveId"} {
		id := inputID(input)
		errAt, inputAt := strings.Index(body, `id="`+id+`-error"`), strings.Index(body, `id="`+id+`" name="`+input+`"`)
		if errAt < 0 || inputAt < errAt || !strings.Contains(body, `href="#`+id+`"`) {
			t.Errorf("%s: error at %d, input at %d:\n%s", input, errAt, inputAt, body)
		}
	}
	loopContains(t, body, `name="objectives[0].results[0].indicators[1].name" type="text" value="Trust in the council"`, "Skriv målvärdet som ett tal")
}

// A change someone made meanwhile (ETAG_MISMATCH) is said, the application as it now is is shown, and the
// form keeps what the person typed under the current etag.
func TestApplicationEditStaleEtag(t *testing.T) {
	c := newTestConsole(t, appEditAPI("APPLICATION_STATE_DRAFT", func(*http.Request, string) (int, any) {
		return http.StatusConflict, loopRefusal(10, "ETAG_MISMATCH", `the application changed since you read it (etag "4", now "5")`)
	}))
	s := member()
	form := appEditForm(s, map[string]string{"etag": "4", "purpose": "My own purpose"})
	rec := serve(c, http.MethodPost, appEditPath(), form, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusConflict {
		t.Fatalf("%d", rec.Code)
	}
	loopContains(t, rec.Body.String(), "Någon annan har ändrat ansökan sedan du öppnade formuläret", "Så här ser ansökan ut nu",
		"<dd>Young people influence decisions</dd>", ">My own purpose</textarea>", `name="etag" value="5"`, `role="alert"`)
}

// A date the console cannot read is marked beside its input and nothing is sent; "more rows" sends nothing
// and keeps what was typed.
func TestApplicationEditUnreadableDateAndMoreRows(t *testing.T) {
	c := newTestConsole(t, appEditAPI("APPLICATION_STATE_DRAFT", func(*http.Request, string) (int, any) {
		t.Error("the API was asked to change")
		return http.StatusOK, nil
	}))
	s := member()
	form := appEditForm(s, map[string]string{"objectives[0].results[0].indicators[0].target.date": "31/12/2028"})
	body := serve(c, http.MethodPost, appEditPath(), form, sessionCookieFor(t, c, s)).Body.String()
	loopContains(t, body, `id="objectives.0.results.0.indicators.0.target.date-error"`)
	form = appEditForm(s, map[string]string{"objectives[1].statement": "Officials learn from each other", "moreRows": "1"})
	body = serve(c, http.MethodPost, appEditPath(), form, sessionCookieFor(t, c, s)).Body.String()
	loopContains(t, body, ">Officials learn from each other</textarea>", `name="objectives[2].id"`)
}

// Every label, hint, choice and legend the form draws has its words in both languages (a missing key
// would show itself in brackets).
func TestApplicationEditWordsInBothLanguages(t *testing.T) {
	f := appFormOf(application{Objectives: []objective{{Results: []expectedResult{{Indicators: []indicator{{}}}}}},
		PlannedActivities: []plannedActivity{{}}, Risks: []risk{{}}}).withEmptyRows()
	var walk func(l lang, g editGroup)
	walk = func(l lang, g editGroup) {
		words := []string{g.Legend}
		for _, in := range g.Inputs {
			words = append(words, in.Label, in.Hint)
			for _, o := range in.Options {
				words = append(words, o.Label)
			}
		}
		for _, w := range words {
			if strings.HasPrefix(w, "[") {
				t.Errorf("%s lacks %s", l, w)
			}
		}
		for _, sub := range g.Groups {
			walk(l, sub)
		}
	}
	for _, l := range []lang{swedish, english} {
		for _, g := range f.sections(l, nil) {
			walk(l, g)
		}
	}
}

// After approval ICLD's coordinator changes the application as a revision: the form asks why, the reason
// goes with the change as revision_reason, and the API's refusal of a change without one stands beside it.
// A member is not offered the form then.
func TestApplicationEditRevisionByICLD(t *testing.T) {
	var patch *http.Request
	c := newTestConsole(t, appEditAPI("APPLICATION_STATE_RUNNING", func(r *http.Request, _ string) (int, any) {
		patch = r
		if r.URL.Query().Get("revision_reason") == "" {
			return http.StatusBadRequest, loopRefusal(3, "INVALID_ARGUMENT", "invalid", "revision_reason", "is empty; say why the approved application changes")
		}
		return http.StatusOK, anApplication("APPLICATION_STATE_RUNNING")
	}))
	coordinator := member()
	coordinator.Role = "coordinator"
	ck := sessionCookieFor(t, c, coordinator)
	loopContains(t, serve(c, http.MethodGet, applicationPath(loopPartnership, loopApplication), nil, ck).Body.String(), `href="`+appEditPath()+`"`)
	loopContains(t, serve(c, http.MethodGet, appEditPath(), nil, ck).Body.String(), `<textarea id="revisionReason" name="revisionReason"`)
	if body := serve(c, http.MethodGet, applicationPath(loopPartnership, loopApplication), nil, sessionCookieFor(t, c, member())).Body.String(); strings.Contains(body, appEditPath()) {
		t.Error("a member is offered to change a running application")
	}

	rec := serve(c, http.MethodPost, appEditPath(), appEditForm(coordinator, map[string]string{"purpose": "Wider purpose"}), ck)
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest || !strings.Contains(body, `id="revisionReason-error"`) ||
		strings.Index(body, `<textarea id="revisionReason"`) < strings.Index(body, `id="revisionReason-error"`) {
		t.Fatalf("%d:\n%s", rec.Code, body)
	}
	rec = serve(c, http.MethodPost, appEditPath(), appEditForm(coordinator, map[string]string{"purpose": "Wider purpose", "revisionReason": "Sida asked"}), ck)
	if rec.Code != http.StatusSeeOther || patch.URL.Query().Get("revision_reason") != "Sida asked" || patch.URL.Query().Get("update_mask") != "purpose" {
		t.Fatalf("%d, the API got %v", rec.Code, patch.URL)
	}
}
