package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	typev1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"
)

// dashboardDays is how far ahead the dashboard looks: far enough to prepare a report, near enough to matter.
const dashboardDays = 60

// deadlineKinds are the kinds of deadline the API can answer, for the catalogue test.
var deadlineKinds = enumNames(typev1.DeadlineKind_name)

// stockholm is the programme's day: the API counts "today" in Europe/Stockholm, so the window does too.
// A host without time zone data falls back to its local time; at worst the window starts a day early.
var stockholm = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	return time.Local
}()

// deadline is one thing due, as GET /v1/deadlines answers it.
type deadline struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	Title    string          `json:"title"`
	DueDate  json.RawMessage `json:"dueDate"`
	Resource string          `json:"resource"`
}

// dueRow is one row of the dashboard's table, ready to show.
type dueRow struct {
	// Sort is the ISO date, which sorts as the days do.
	Sort, Day string
	// What is the kind in the page's language; Title the API's own English sentence of what is due.
	What  *text
	Title string
	// Link is the console's page for it; empty when the console has none.
	Link string
}

// dashboardData is the dashboard's content.
type dashboardData struct {
	Rows []dueRow
	// Unavailable names the services that did not answer, so their deadlines may be missing.
	Unavailable string
	// Waiting is what waits for the person (a decision, or a change to what was returned); nil for auditors.
	Waiting *approvalsData
}

// showDashboard lists what is due for the person in the coming days, in the scope the API gives their role.
func (c *Console) showDashboard(w http.ResponseWriter, r *http.Request, s *session) {
	today := time.Now().In(stockholm)
	q := url.Values{"from": {today.Format(time.DateOnly)}, "to": {today.AddDate(0, 0, dashboardDays).Format(time.DateOnly)}}
	var answer struct {
		Deadlines   []deadline `json:"deadlines"`
		Unavailable []string   `json:"unavailable"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/deadlines", query: q}, &answer); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	l := languageOf(r)
	data := dashboardData{Unavailable: strings.Join(answer.Unavailable, ", ")}
	for _, d := range answer.Deadlines {
		day := formatDay(d.DueDate)
		data.Rows = append(data.Rows, dueRow{Sort: day, Day: showDay(l, day), What: kindText(l, d), Title: d.Title,
			Link: consolePath(d.Resource)})
	}
	// The API answers by day already; sorting here keeps the page right whatever order it comes in.
	slices.SortStableFunc(data.Rows, func(a, b dueRow) int { return strings.Compare(a.Sort, b.Sort) })
	data.Waiting = c.approvalsWaiting(r, s)
	c.render(w, r, http.StatusOK, "dashboard", "dashboard", data)
}

// kindText says what kind of thing is due in l, or, for a kind the catalogue does not know yet, the API's
// own (English) words.
func kindText(l lang, d deadline) *text {
	if msg, ok := lookup(l, "deadlineKind."+d.Kind); ok {
		return &text{Text: msg, Lang: l}
	}
	return &text{Text: d.Title, Lang: english}
}

// resourcePages are the API paths the console has a page for, and that page.
var resourcePages = []struct {
	api     *regexp.Regexp
	console string
}{
	{regexp.MustCompile(`^/v1/partnerships/([^/?#]+)$`), "/console/partnerships/"},
	{regexp.MustCompile(`^/v1/claims/([^/?#]+)$`), "/console/claims/"},
}

// consolePath is the console's page for an API resource path, or "" when the console has none (a report,
// a network): the table then shows the deadline without a link rather than one that leads nowhere.
func consolePath(resource string) string {
	for _, p := range resourcePages {
		if m := p.api.FindStringSubmatch(resource); m != nil {
			return p.console + url.PathEscape(m[1])
		}
	}
	return ""
}

// showDay shows an ISO date as l writes it: Swedish uses the ISO form itself, English the day, month and
// year in words. A value that is not a date is shown as it came.
func showDay(l lang, iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil || l != english {
		return iso
	}
	return t.Format("2 January 2006")
}
