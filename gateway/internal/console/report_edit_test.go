package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The edit page fills each input from the report: the objective's narrative, the indicator's value and
// evidence, in the application's order.
func TestReportEditShowsTheTextInInputs(t *testing.T) {
	c := newTestConsole(t, reportAPI("REPORT_STATE_DRAFT", nil))
	page := "/console/partnerships/" + loopPartnership + "/reports/" + loopReport
	if body := serve(c, http.MethodGet, page, nil, sessionCookieFor(t, c, member())).Body.String(); !strings.Contains(body, `href="`+page+`/edit"`) {
		t.Errorf("the report page does not link to its text:\n%s", body)
	}
	rec := serve(c, http.MethodGet, page+"/edit", nil, sessionCookieFor(t, c, member()))
	loopContains(t, rec.Body.String(), `<label for="narrative-0">Mål: Young people are heard</label>`,
		`>Two youth councils met the city board</textarea>`, `id="value-0" name="value-0" type="text" inputmode="decimal" maxlength="20" value="4"`,
		`id="evidence-0" name="evidence-0" type="text" maxlength="2000" value="Minutes of the board"`, `name="etag" value="9"`,
		`<input type="checkbox" id="done-0" name="done-0" value="on">`, `>Invite the opposition</textarea>`)
}

// The whole text is sent with every section in update_mask and the etag; only what was written is sent, a
// decimal comma as the API's point. A refusal of an item stands beside the input of the row it came from.
func TestReportEditSendsTheTextAndPlacesRefusals(t *testing.T) {
	var answer map[string]any
	api := reportAPI("REPORT_STATE_DRAFT", nil)
	inner := api.answer
	api.answer = func(r *http.Request, body string) (int, any) {
		if r.Method == http.MethodPatch {
			if answer != nil {
				return http.StatusBadRequest, answer
			}
			return http.StatusOK, aReport("REPORT_STATE_DRAFT")
		}
		return inner(r, body)
	}
	c := newTestConsole(t, api)
	s := member()
	page := "/console/partnerships/" + loopPartnership + "/reports/" + loopReport
	form := url.Values{"csrf": {s.CSRF}, "etag": {"9"}, "idempotencyKey": {"k"}, "narrative-0": {" Councils met "},
		"value-0": {"4,5"}, "evidence-0": {"Minutes"}, "done-0": {"on"}, "deviations": {"None"}, "lessons": {""}}
	rec := serve(c, http.MethodPost, page+"/edit", form, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != page {
		t.Fatalf("%d %s:\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	patch := api.calls[len(api.calls)-1]
	body := api.bodies[len(api.bodies)-1]
	if patch.Method != http.MethodPatch || patch.URL.Query().Get("update_mask") != "objectives,indicators,activities,deviations,lessons" ||
		patch.Header.Get("Idempotency-Key") != "k" {
		t.Errorf("sent %s %s %v", patch.Method, patch.URL, patch.Header)
	}
	want := `{"activities":[{"activityId":"workshops","comment":"","done":true}],"deviations":"None","etag":"9",` +
		`"indicators":[{"evidence":"Minutes","indicatorId":"proposals","value":{"comment":"","value":"4.5"}}],"lessons":"",` +
		`"objectives":[{"narrative":"Councils met","objectiveId":"youth-voice"}]}` + "\n"
	if body != want {
		t.Errorf("API got\n%s want\n%s", body, want)
	}

	answer = loopRefusal(3, "INVALID_ARGUMENT", "invalid", "report.indicators[0].value.value", `indicator "proposals" counts proposals; give the number reached`)
	form.Set("value-0", "")
	rec = serve(c, http.MethodPost, page+"/edit", form, sessionCookieFor(t, c, s))
	b := rec.Body.String()
	errAt, inputAt := strings.Index(b, `id="value-0-error"`), strings.Index(b, `<input id="value-0"`)
	if rec.Code != http.StatusBadRequest || errAt < 0 || inputAt < errAt || !strings.Contains(b[errAt:inputAt], "Skriv värdet som ett tal") {
		t.Fatalf("%d, no error beside the value:\n%s", rec.Code, b)
	}
	loopContains(t, b, `value="Minutes"`, `> Councils met </textarea>`, `aria-describedby="indicator-0-hint value-0-error" aria-invalid="true"`)
}

// Each input's sentence is in the catalogue in both languages.
func TestReportEditWordsAreInTheCatalogue(t *testing.T) {
	for _, l := range languages {
		for _, in := range reportEditInputs {
			if _, ok := lookup(l, "applications.field.report."+in); !ok {
				t.Errorf("%s lacks the sentence for %s", l, in)
			}
		}
	}
}
