package console

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The dashboard asks the API for the person's deadlines of the next 60 days, as the person, and lists them by
// day, each linked to the console's page for it when there is one.
func TestDashboardListsWhatIsDue(t *testing.T) {
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		return http.StatusOK, map[string]any{"deadlines": []map[string]any{
			{"kind": "DEADLINE_KIND_REPORT_DUE", "title": "Partial report of 2026 for Youth voice",
				"dueDate": map[string]int{"year": 2027, "month": 3, "day": 31}, "resource": "/v1/partnerships/p1/reports/r1"},
			{"kind": "DEADLINE_KIND_CLAIM_DECISION", "title": "Claim for Youth voice waits for a decision",
				"dueDate": map[string]int{"year": 2027, "month": 1, "day": 5}, "resource": "/v1/claims/c1"},
			{"kind": "DEADLINE_KIND_VISIT_PLANNED", "title": "Steering group in Lusaka",
				"dueDate": map[string]int{"year": 2027, "month": 2, "day": 1}, "resource": "/v1/partnerships/p1"},
			{"kind": "DEADLINE_KIND_SOMETHING_NEW", "title": "Something new & unknown",
				"dueDate": map[string]int{"year": 2027, "month": 2, "day": 2}},
		}}
	}}
	c := newTestConsole(t, api)
	s := member()
	rec := serve(c, http.MethodGet, "/console/", nil, sessionCookieFor(t, c, s), &http.Cookie{Name: langCookie, Value: "en"})
	if rec.Code != http.StatusOK {
		t.Fatalf("dashboard: %d\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.String()

	// The deadlines first; then, for a member, the partnerships' titles and what was returned to them.
	if api.count() != 4 {
		t.Fatalf("%d API calls, want 4", api.count())
	}
	call := api.calls[0]
	if call.URL.Path != "/v1/deadlines" || call.Header.Get("Authorization") != "Bearer "+s.Token {
		t.Errorf("called %s as %q", call.URL.Path, call.Header.Get("Authorization"))
	}
	from, errFrom := time.Parse(time.DateOnly, call.URL.Query().Get("from"))
	to, errTo := time.Parse(time.DateOnly, call.URL.Query().Get("to"))
	today := time.Now().In(stockholm).Format(time.DateOnly)
	if errFrom != nil || errTo != nil || from.Format(time.DateOnly) != today || !to.Equal(from.AddDate(0, 0, 60)) {
		t.Errorf("window %s", call.URL.RawQuery)
	}

	// By day, whatever order the API answered in; claims and partnerships linked, a report not.
	want := []string{
		`<td>5 January 2027</td>`, `A claim waits for a decision`, `<a href="/console/claims/c1">Claim for Youth voice waits for a decision</a>`,
		`<td>1 February 2027</td>`, `A planned visit`, `<a href="/console/partnerships/p1">Steering group in Lusaka</a>`,
		`<td>2 February 2027</td>`, `Something new &amp; unknown`,
		`<td>31 March 2027</td>`, `A report is due`, `<td>Partial report of 2026 for Youth voice</td>`,
	}
	at := 0
	for _, w := range want {
		i := strings.Index(body[at:], w)
		if i < 0 {
			t.Fatalf("missing, or out of order: %s\n%s", w, body)
		}
		at += i + len(w)
	}
	if strings.Contains(body, "/reports/") || strings.Contains(body, "did not answer") {
		t.Errorf("a link to a page the console lacks, or a notice with every service answering:\n%s", body)
	}
	if !strings.Contains(body, `<a href="/console/" aria-current="page">Due</a>`) {
		t.Errorf("the nav does not mark the dashboard:\n%s", body)
	}
}

// A service that did not answer is named, since its deadlines may be missing; with nothing due, the page says
// so, in the person's language.
func TestDashboardSaysWhatIsMissingAndWhenNothingIsDue(t *testing.T) {
	api := &fakeAPI{answer: func(*http.Request, string) (int, any) {
		return http.StatusOK, map[string]any{"unavailable": []string{"finance", "network"}}
	}}
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/", nil, sessionCookieFor(t, c, member()), &http.Cookie{Name: langCookie, Value: "sv"})
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, `De här tjänsterna svarade inte: <span lang="en">finance, network</span>`) ||
		!strings.Contains(body, "Du har inget som ska vara klart") || strings.Contains(body, "<table") {
		t.Errorf("%d\n%s", rec.Code, body)
	}
}

// Signed in, the console's root leads to the dashboard; signed out, to sign in.
func TestHomeLeadsToTheDashboard(t *testing.T) {
	c := newTestConsole(t, &fakeAPI{})
	if rec := serve(c, http.MethodGet, "/", nil, sessionCookieFor(t, c, member())); rec.Header().Get("Location") != "/console/" {
		t.Errorf("signed in: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if rec := serve(c, http.MethodGet, "/console/", nil); rec.Header().Get("Location") != "/console/sign-in" {
		t.Errorf("signed out: %d %s", rec.Code, rec.Header().Get("Location"))
	}
}
