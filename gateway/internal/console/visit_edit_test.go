package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// aVisit is GET .../visits/{id} of the planned visit partnershipAPI lists, in state.
func aVisit(state string) map[string]any {
	return map[string]any{"id": visitID, "state": state,
		"startDate": map[string]any{"year": 2026, "month": 12, "day": 20}, "endDate": map[string]any{"year": 2026, "month": 12, "day": 22},
		"hostOrganizationId": lusakaID, "travellers": []any{map[string]any{"organizationId": malmoID, "count": 3}},
		"purpose": "Youth councils meet", "outcomes": "", "etag": "3"}
}

// visitEditAPI answers the partnership's reads and the visit in state; each write with write.
func visitEditAPI(state string, write func(r *http.Request, body string) (int, any)) *fakeAPI {
	rest := partnershipAPI(write)
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		if r.Method == http.MethodGet && r.URL.Path == "/v1/partnerships/"+partnershipID+"/visits/"+visitID {
			return http.StatusOK, aVisit(state)
		}
		return rest.answer(r, body)
	}}
}

func visitEditPath() string {
	return "/console/partnerships/" + partnershipID + "/visits/" + visitID + "/edit"
}

// visitEditPosted is the form as the page fills it in, with changes.
func visitEditPosted(s *session, changes map[string]string) url.Values {
	form := url.Values{"csrf": {s.CSRF}, "etag": {"3"}, "startDate": {"2026-12-20"}, "endDate": {"2026-12-22"},
		"hostOrganizationId": {lusakaID}, "travellers-" + malmoID: {"3"}, "travellers-" + lusakaID: {""},
		"purpose": {"Youth councils meet"}, "outcomes": {""}}
	for k, v := range changes {
		form.Set(k, v)
	}
	return form
}

// The visits page links each planned visit's change form; the form shows the visit as it is.
func TestVisitEditLinkedAndFilledIn(t *testing.T) {
	c := newTestConsole(t, visitEditAPI("VISIT_STATE_PLANNED", noWrites(t)))
	ck := sessionCookieFor(t, c, member())
	loopContains(t, serve(c, http.MethodGet, "/console/partnerships/"+partnershipID+"/visits", nil, ck).Body.String(), `href="`+visitEditPath()+`"`)
	loopContains(t, serve(c, http.MethodGet, visitEditPath(), nil, ck).Body.String(), `name="etag" value="3"`, `value="2026-12-20"`,
		`name="travellers-`+malmoID+`" type="text" inputmode="numeric" class="short" value="3"`, ">Youth councils meet</textarea>")
}

// New dates are sent alone, with the etag the form was read with.
func TestVisitEditSendsOnlyTheChangedDates(t *testing.T) {
	var patch *http.Request
	var sent string
	c := newTestConsole(t, visitEditAPI("VISIT_STATE_PLANNED", func(r *http.Request, body string) (int, any) {
		patch, sent = r, body
		return http.StatusOK, aVisit("VISIT_STATE_PLANNED")
	}))
	s := member()
	rec := serve(c, http.MethodPost, visitEditPath(), visitEditPosted(s, map[string]string{"startDate": "2027-01-10", "endDate": "2027-01-12"}), sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/partnerships/"+partnershipID+"/visits" {
		t.Fatalf("%d:\n%s", rec.Code, rec.Body)
	}
	want := `{"endDate":{"day":12,"month":1,"year":2027},"etag":"3","startDate":{"day":10,"month":1,"year":2027}}`
	if patch == nil || patch.Method != http.MethodPatch || patch.URL.Path != "/v1/partnerships/"+partnershipID+"/visits/"+visitID ||
		patch.URL.Query().Get("update_mask") != "start_date,end_date" || strings.TrimSpace(sent) != want {
		t.Errorf("the API got %v %s", patch, sent)
	}
}

// A held visit offers only its outcomes; the API's VISIT_STATE refusal is said above the form; a stale
// etag shows the visit as it now is with what was typed.
func TestVisitEditRefusals(t *testing.T) {
	c := newTestConsole(t, visitEditAPI("VISIT_STATE_HELD", func(*http.Request, string) (int, any) {
		return http.StatusBadRequest, rpcRefusal(9, "VISIT_STATE", "the visit was held; only its outcomes may change, not purpose", nil)
	}))
	s := member()
	ck := sessionCookieFor(t, c, s)
	page := serve(c, http.MethodGet, visitEditPath(), nil, ck).Body.String()
	if strings.Contains(page, `id="visit.startDate"`) || !strings.Contains(page, `id="visit.outcomes"`) {
		t.Errorf("a held visit's form:\n%s", page)
	}
	rec := serve(c, http.MethodPost, visitEditPath(), visitEditPosted(s, map[string]string{"purpose": "Another purpose", "outcomes": "A plan"}), ck)
	loopContains(t, rec.Body.String(), "Besöket är inte planerat längre", `role="alert"`, ">A plan</textarea>")

	c = newTestConsole(t, visitEditAPI("VISIT_STATE_PLANNED", func(*http.Request, string) (int, any) {
		return http.StatusConflict, rpcRefusal(10, "ETAG_MISMATCH", `the visit changed (etag "2", now "3")`, nil)
	}))
	ck = sessionCookieFor(t, c, s)
	rec = serve(c, http.MethodPost, visitEditPath(), visitEditPosted(s, map[string]string{"etag": "2", "purpose": "Mine"}), ck)
	if rec.Code != http.StatusConflict {
		t.Fatalf("%d", rec.Code)
	}
	loopContains(t, rec.Body.String(), "Någon annan har ändrat besöket", "Så här ser besöket ut nu", "<dd>Youth councils meet</dd>",
		">Mine</textarea>", `name="etag" value="3"`)
}

// A date the console cannot read is marked beside it and nothing is sent.
func TestVisitEditUnreadableDate(t *testing.T) {
	c := newTestConsole(t, visitEditAPI("VISIT_STATE_PLANNED", noWrites(t)))
	s := member()
	rec := serve(c, http.MethodPost, visitEditPath(), visitEditPosted(s, map[string]string{"endDate": "22 december"}), sessionCookieFor(t, c, s))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("%d", rec.Code)
	}
	loopContains(t, rec.Body.String(), `id="visit.endDate-error"`, `href="#visit.endDate"`)
}
