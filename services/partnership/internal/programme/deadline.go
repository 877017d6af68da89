package programme

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// DeadlineKind is what kind of thing is due.
type DeadlineKind string

// The kinds of deadline the partnership service answers.
const (
	DeadlineWindowCloses  DeadlineKind = "application_window_closes"
	DeadlineReportDue     DeadlineKind = "report_due"
	DeadlineVisitsMissing DeadlineKind = "visits_missing"
	DeadlineVisitPlanned  DeadlineKind = "visit_planned"
)

// Deadline is something due: what, for whom, by when, and the resource to act on.
type Deadline struct {
	// ID is the same for the same thing due on the same day, so that calendars and reminders know it again.
	ID    string
	Kind  DeadlineKind
	Title string
	Due   Date
	// PartnershipID is empty for what is programme-wide.
	PartnershipID string
	// OrgIDs are the organisations that act on it.
	OrgIDs []string
	// Responsible names who acts, in words.
	Responsible string
	// Resource is the REST path of what to act on.
	Resource string
	// Facts are what Title is made of, for a reader's own language (partnerskap.type.v1.Deadline.facts).
	Facts map[string]string
}

// SortDeadlines orders deadlines by day, then id: the order of every answer.
func SortDeadlines(ds []Deadline) {
	slices.SortFunc(ds, func(a, b Deadline) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// WindowDeadlines are the application windows that close within span: for every Swedish municipality and
// region, the last day to submit an application of the window's kind.
func WindowDeadlines(ws []Window, span Period) []Deadline {
	var out []Deadline
	for _, w := range ws {
		if !span.Contains(w.Period.To) {
			continue
		}
		out = append(out, Deadline{ID: fmt.Sprintf("window-closes/%s/%s", w.Kind, w.Period.To), Kind: DeadlineWindowCloses,
			Title: fmt.Sprintf("The window for %s applications closes", strings.ToLower(w.Kind.Label())), Due: w.Period.To,
			Responsible: "Swedish municipalities and regions", Resource: "/v1/application-windows",
			Facts: map[string]string{"application": string(w.Kind)}})
	}
	return out
}

// PartnershipAgenda is what one partnership has ahead of it, as its deadlines are worked out from.
type PartnershipAgenda struct {
	ID, Title string
	// Swedish is the Swedish party, which reports and plans; Parties are all of them.
	Swedish Party
	Parties []Party
	// Applications and Reports are the partnership's; Visits its visits of every state.
	Applications []Application
	Reports      []Report
	Visits       []Visit
	// MissingVisits describes what the current year still lacks under the visit rule (empty when it
	// complies, or when the partnership is not measured); Year is that year.
	MissingVisits []string
	Year          int
}

// Deadlines are the partnership's deadlines within span under the report rule: a report expected of an
// approved application and not yet submitted (a partial one for each year but the last, and the final one),
// the visits the year still lacks (due on its last day), and its planned visits (on their first day).
func (a PartnershipAgenda) Deadlines(rule ReportRule, span Period) []Deadline {
	var out []Deadline
	orgs := make([]string, len(a.Parties))
	for i, p := range a.Parties {
		orgs[i] = p.OrgID
	}
	base := "/v1/partnerships/" + a.ID
	for _, app := range a.Applications {
		switch app.Status {
		case StatusApproved, StatusRunning, StatusClosed:
		default:
			continue
		}
		for _, want := range expectedReports(app) {
			due := ReportDue(rule, want.Kind, want.Year, app)
			if !span.Contains(due) || a.reported(app.ID, want.Kind, want.Year) {
				continue
			}
			what := fmt.Sprintf("Partial report of %d", want.Year)
			if want.Kind == ReportFinal {
				what = fmt.Sprintf("Final report of the %s", strings.ToLower(app.Kind.Label()))
			}
			out = append(out, Deadline{ID: fmt.Sprintf("report-due/%s/%s/%d", app.ID, want.Kind, want.Year), Kind: DeadlineReportDue,
				Title: what + " for " + a.Title, Due: due, PartnershipID: a.ID, OrgIDs: []string{a.Swedish.OrgID},
				Responsible: a.Swedish.display(), Resource: base + "/reports",
				Facts: map[string]string{"partnership": a.Title, "report": string(want.Kind), "year": strconv.Itoa(want.Year), "application": string(app.Kind)}})
		}
	}
	if yearEnd := (Date{Year: a.Year, Month: 12, Day: 31}); len(a.MissingVisits) > 0 && span.Contains(yearEnd) {
		out = append(out, Deadline{ID: fmt.Sprintf("visits-missing/%s/%d", a.ID, a.Year), Kind: DeadlineVisitsMissing,
			Title: fmt.Sprintf("Visits for %s in %d: %s", a.Title, a.Year, strings.Join(a.MissingVisits, "; ")), Due: yearEnd,
			PartnershipID: a.ID, OrgIDs: orgs, Responsible: partiesNamed(a.Parties), Resource: base + "/compliance",
			Facts: map[string]string{"partnership": a.Title, "year": strconv.Itoa(a.Year)}})
	}
	for _, v := range a.Visits {
		if v.State != VisitPlanned || !span.Contains(v.Start) {
			continue
		}
		host, _ := partyByID(a.Parties, v.HostOrgID)
		out = append(out, Deadline{ID: "visit/" + v.ID, Kind: DeadlineVisitPlanned,
			Title: fmt.Sprintf("Visit hosted by %s (%s to %s): %s", host.display(), v.Start, v.End, v.Purpose), Due: v.Start,
			PartnershipID: a.ID, OrgIDs: orgs, Responsible: partiesNamed(a.Parties), Resource: base + "/visits/" + v.ID,
			Facts: map[string]string{"partnership": a.Title, "host": host.display(), "start": v.Start.String(), "end": v.End.String(), "purpose": v.Purpose}})
	}
	return out
}

// expectedReport is a report an application owes.
type expectedReport struct {
	Kind ReportKind
	Year int
}

// expectedReports are the reports an application owes: a partial one for each of its years but the last,
// which its final report covers.
func expectedReports(app Application) []expectedReport {
	var out []expectedReport
	for y := app.Start.Year; y < app.End.Year; y++ {
		out = append(out, expectedReport{Kind: ReportPartial, Year: y})
	}
	return append(out, expectedReport{Kind: ReportFinal, Year: app.End.Year})
}

// reported reports whether the report of an application's kind and year has been submitted (or approved).
func (a PartnershipAgenda) reported(applicationID string, kind ReportKind, year int) bool {
	for _, r := range a.Reports {
		if r.ApplicationID == applicationID && r.Kind == kind && r.Year == year && (r.Status == ReportSubmitted || r.Status == ReportApproved) {
			return true
		}
	}
	return false
}

// partiesNamed names the parties in a sentence: "Malmö stad and Lusaka City Council".
func partiesNamed(ps []Party) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.display()
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
