package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The visits page shows each visit and, per year, the meetings against what the rules ask, and which rule
// the year breaks in the person's language.
func TestVisitsShowVisitsAndComplianceByYear(t *testing.T) {
	api := partnershipAPI(noWrites(t))
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/partnerships/"+partnershipID+"/visits", nil, sessionCookieFor(t, c, member()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	for _, want := range []string{`<th scope="row">2025</th>`, "<td>1 av minst 2</td>", "<li>Lusaka City Council (ZM): 0</li>",
		`<p class="verdict fails">Nej</p>`, "Parterna har inte träffats så många gånger som programmet kräver",
		`<th scope="row">2026-12-20 – 2026-12-22</th>`, "<td>planerat</td>", "Malmö stad: 3", "Youth councils meet",
		`action="/console/partnerships/` + partnershipID + `/visits/` + visitID + `/hold"`, `name="etag" value="3"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, call := range api.calls {
		if call.URL.Path == "/v1/programme-rules" && call.URL.Query().Get("date") != "2025-12-31" {
			t.Errorf("the rules of 2025 were read for %s", call.URL.Query().Get("date"))
		}
	}
}

// Holding a visit before its last day is refused by the API (VISIT_NOT_OVER); the page says so beside that
// visit's hold button, in the person's language, and keeps the outcomes typed.
func TestHoldingAVisitBeforeItIsOverIsExplainedBesideIt(t *testing.T) {
	var sent string
	api := partnershipAPI(func(r *http.Request, body string) (int, any) {
		sent = r.URL.Path + " " + body
		return http.StatusBadRequest, rpcRefusal(9, "VISIT_NOT_OVER", "the visit ends on 2026-12-22, after today", nil,
			"the visit ends on 2026-12-22, after today (2026-12-06); plan it now, and record it as held once it is over")
	})
	c := newTestConsole(t, api)
	s := member()
	form := url.Values{"csrf": {s.CSRF}, "etag": {"3"}, "outcomes": {"A plan"}}
	rec := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/visits/"+visitID+"/hold", form, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	if want := "/v1/partnerships/" + partnershipID + "/visits/" + visitID + `:hold {"etag":"3","outcomes":"A plan"}`; strings.TrimSpace(sent) != want {
		t.Errorf("the API got %s, want %s", sent, want)
	}
	id := "hold-" + visitID
	for _, want := range []string{`id="` + id + `-error">Besöket kan markeras som genomfört först från och med dess sista dag.`,
		`aria-describedby="` + id + `-error"`, `(the visit ends on 2026-12-22, after today (2026-12-06)`, ">A plan</textarea>", "<title>Fel: Besök"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// A cancellation without a reason is refused beside the reason's input.
func TestCancellingAVisitNeedsAReason(t *testing.T) {
	api := partnershipAPI(func(*http.Request, string) (int, any) {
		return http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "invalid", []string{"reason", "give the reason, at most 2000 characters"})
	})
	c := newTestConsole(t, api)
	s := member()
	rec := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/visits/"+visitID+"/cancel",
		url.Values{"csrf": {s.CSRF}, "etag": {"3"}}, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	id := "cancel-" + visitID + "-reason"
	if rec.Code != http.StatusBadRequest || !strings.Contains(body, `id="`+id+`-error">Skriv varför besöket ställs in`) ||
		!strings.Contains(body, `aria-describedby="`+id+`-error"`) {
		t.Errorf("%d:\n%s", rec.Code, body)
	}
}

// Planning a visit: a date the console cannot read is marked beside it and nothing is sent; a good form is
// sent as a planned visit with its dates as days and its travellers per party.
func TestPlanningAVisit(t *testing.T) {
	var posts []string
	api := partnershipAPI(func(r *http.Request, body string) (int, any) {
		posts = append(posts, body)
		return http.StatusCreated, map[string]any{"id": visitID}
	})
	c := newTestConsole(t, api)
	s := member()
	form := url.Values{"csrf": {s.CSRF}, "idempotencyKey": {"k"}, "startDate": {"4 maj"}, "endDate": {"2027-05-06"},
		"hostOrganizationId": {lusakaID}, "travellers-" + malmoID: {"3"}, "travellers-" + lusakaID: {""}, "purpose": {"Youth councils meet"}}
	rec := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/visits", form, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	errAt, inputAt := strings.Index(body, `id="visit.startDate-error"`), strings.Index(body, `<input id="visit.startDate"`)
	if rec.Code != http.StatusBadRequest || errAt < 0 || inputAt < errAt || len(posts) != 0 {
		t.Fatalf("%d, %d posts:\n%s", rec.Code, len(posts), body)
	}
	if !strings.Contains(body, `value="4 maj"`) || !strings.Contains(body, `name="travellers-`+malmoID+`" type="text" inputmode="numeric" class="short" value="3"`) {
		t.Errorf("the form did not come back as it was filled in:\n%s", body)
	}
	form.Set("startDate", "2027-05-04")
	rec = serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/visits", form, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/partnerships/"+partnershipID+"/visits" || len(posts) != 1 {
		t.Fatalf("%d %v:\n%s", rec.Code, posts, rec.Body)
	}
	for _, want := range []string{`"startDate":{"day":4,"month":5,"year":2027}`, `"endDate":{"day":6,"month":5,"year":2027}`,
		`"state":"VISIT_STATE_PLANNED"`, `"travellers":[{"count":3,"organizationId":"` + malmoID + `"}]`, `"hostOrganizationId":"` + lusakaID + `"`} {
		if !strings.Contains(posts[0], want) {
			t.Errorf("the API got %s, without %s", posts[0], want)
		}
	}
}

// The API's refusal of the travellers ("visit.participants.<party>") is shown beside the travellers.
func TestVisitTravellersRefusalIsBesideThem(t *testing.T) {
	api := partnershipAPI(func(*http.Request, string) (int, any) {
		return http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "invalid", []string{"visit.participants", "list the travellers from a party other than Lusaka City Council, which hosts the visit"})
	})
	c := newTestConsole(t, api)
	s := member()
	form := url.Values{"csrf": {s.CSRF}, "startDate": {"2027-05-04"}, "endDate": {"2027-05-06"}, "hostOrganizationId": {lusakaID}, "purpose": {"x"}}
	body := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/visits", form, sessionCookieFor(t, c, s), langCookieOf(english)).Body.String()
	if !strings.Contains(body, `id="visit.travellers-error">list the travellers from a party other than Lusaka`) || !strings.Contains(body, `href="#visit.travellers"`) {
		t.Errorf("page:\n%s", body)
	}
}
