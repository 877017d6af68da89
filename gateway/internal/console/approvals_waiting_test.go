package console

import (
	"net/http"
	"strings"
	"testing"
)

// waitingAPI answers the dashboard's calls for a coordinator; budgets answers GET /v1/budgets.
func waitingAPI(budgets func() (int, any)) *fakeAPI {
	return &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		q := r.URL.Query()
		switch r.URL.Path {
		case "/v1/deadlines":
			return http.StatusOK, map[string]any{}
		case "/v1/partnerships":
			// Unfiltered: the titles of what waits; filtered: the submitted ones.
			all := []any{map[string]any{"id": "p1", "title": "Youth & voice", "createTime": "2026-11-01T08:00:00Z"},
				map[string]any{"id": "p2", "title": "Clean water"}}
			if q.Get("state") == "" {
				return http.StatusOK, map[string]any{"partnerships": all}
			}
			if q.Get("state") != "PARTNERSHIP_STATE_SUBMITTED" {
				return http.StatusBadRequest, map[string]any{"message": "unfiltered"}
			}
			return http.StatusOK, map[string]any{"partnerships": all[:1]}
		case "/v1/partnerships/-/applications":
			if q.Get("state") != "APPLICATION_STATE_SUBMITTED" {
				return http.StatusBadRequest, map[string]any{"message": "unfiltered"}
			}
			return http.StatusOK, map[string]any{"applications": []any{map[string]any{"id": "a1", "partnershipId": "p2",
				"kind": "APPLICATION_KIND_PROJECT", "state": "APPLICATION_STATE_SUBMITTED", "updateTime": "2026-11-20T08:00:00Z"}}}
		case "/v1/partnerships/-/reports":
			if q.Get("state") != "REPORT_STATE_SUBMITTED" {
				return http.StatusBadRequest, map[string]any{"message": "unfiltered"}
			}
			return http.StatusOK, map[string]any{"reports": []any{map[string]any{"id": "r1", "partnershipId": "p9",
				"kind": "REPORT_KIND_PARTIAL", "year": 2026, "state": "REPORT_STATE_SUBMITTED"}}}
		case "/v1/budgets":
			return budgets()
		case "/v1/claims":
			if q.Get("state") != claimStateSubmitted {
				return http.StatusBadRequest, map[string]any{"message": "unfiltered"}
			}
			return http.StatusOK, map[string]any{"claims": []any{submittedClaim(claimStateSubmitted)}}
		}
		return http.StatusNotFound, map[string]any{"message": "not found"}
	}}
}

// A coordinator's dashboard lists what waits for their decision, each linked to its page: submitted
// partnerships and claims as the API filters them, and the submitted budgets among all.
func TestDashboardListsWhatWaitsForACoordinator(t *testing.T) {
	api := waitingAPI(func() (int, any) {
		return http.StatusOK, map[string]any{"budgets": []any{
			map[string]any{"id": "b1", "state": "BUDGET_STATE_APPROVED", "applicationKind": "APPLICATION_KIND_INCEPTION"},
			map[string]any{"id": "b2", "state": "BUDGET_STATE_SUBMITTED", "applicationKind": "APPLICATION_KIND_PROJECT",
				"total": map[string]any{"currencyCode": "SEK", "amountMinor": "25000000"}}}}
	})
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/", nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("%d\n%s", rec.Code, body)
	}
	for _, want := range []string{`<h2 id="waiting-heading">Väntar på ditt beslut</h2>`, "Partnerskap (1)",
		`<a href="/console/partnerships/p1">Youth &amp; voice</a>`, "Budgetar (1)", `<a href="/console/budgets/b2">Budget för projekt</a>, 250` + "\u00a0000,00\u00a0kr",
		"Ansökningar (1)", `<a href="/console/partnerships/p2/applications/a1">Clean water: projekt</a>`,
		"Rapporter (1)", `<a href="/console/partnerships/p9/reports/r1">p9: delrapport 2026</a>`,
		"Ersättningsanspråk (1)", `<a href="/console/claims/` + claimID + `">2026-03-01 – 2026-03-31</a>, 13` + "\u00a0532,19\u00a0kr"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %s", want)
		}
	}
	if strings.Contains(body, "/console/budgets/b1") || strings.Contains(body, "kan vara ofullständig") {
		t.Errorf("an approved budget waits, or a kind is missing:\n%s", body)
	}
}

// A kind the API does not answer is named, and the rest of the dashboard is shown.
func TestDashboardNamesWhatCouldNotBeRead(t *testing.T) {
	api := waitingAPI(func() (int, any) { return http.StatusServiceUnavailable, map[string]any{"message": "finance is down"} })
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/", nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "listan kan vara ofullständig: Budgetar.") || !strings.Contains(body, "Ersättningsanspråk (1)") {
		t.Errorf("%d\n%s", rec.Code, body)
	}
}

// A member decides nothing; their dashboard lists what ICLD returned to their organisation instead, as the
// API finds it in their scope.
func TestDashboardOfAMemberListsWhatWasReturned(t *testing.T) {
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		q := r.URL.Query()
		switch r.URL.Path {
		case "/v1/deadlines":
			return http.StatusOK, map[string]any{}
		case "/v1/partnerships":
			return http.StatusOK, map[string]any{"partnerships": []any{map[string]any{"id": "p1", "title": "Youth & voice"}}}
		case "/v1/partnerships/-/applications":
			if q.Get("state") != "APPLICATION_STATE_RETURNED" {
				return http.StatusBadRequest, map[string]any{"message": "not what was returned"}
			}
			return http.StatusOK, map[string]any{"applications": []any{map[string]any{"id": "a1", "partnershipId": "p1",
				"kind": "APPLICATION_KIND_INCEPTION", "state": "APPLICATION_STATE_RETURNED"}}}
		case "/v1/partnerships/-/reports":
			if q.Get("state") != "REPORT_STATE_RETURNED" {
				return http.StatusBadRequest, map[string]any{"message": "not what was returned"}
			}
			return http.StatusOK, map[string]any{"reports": []any{}}
		}
		return http.StatusNotFound, map[string]any{"message": "not found"}
	}}
	c := newTestConsole(t, api)
	body := serve(c, http.MethodGet, "/console/", nil, sessionCookieFor(t, c, member())).Body.String()
	for _, want := range []string{`<h2 id="waiting-heading">Tillbaka hos er för ändring</h2>`, "Ansökningar (1)",
		`<a href="/console/partnerships/p1/applications/a1">Youth &amp; voice: förstudie</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("a member's dashboard lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, "Väntar på ditt beslut") || strings.Contains(body, "kan vara ofullständig") {
		t.Errorf("a member's dashboard shows decisions or a missing kind:\n%s", body)
	}
}

// Every title of the section, built at run time, has its words.
func TestWaitingSectionTitlesHaveWords(t *testing.T) {
	for _, l := range languages {
		for _, key := range []string{"waiting.title", "waiting.empty", "returned.title", "returned.empty"} {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %s", l, key)
			}
		}
	}
}
