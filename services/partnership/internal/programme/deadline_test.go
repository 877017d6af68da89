package programme

import (
	"slices"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// A partnership's deadlines: the reports its approved applications owe and have not submitted, the visits
// its year lacks, its planned visits; each within the span asked, for the party that acts.
func TestPartnershipDeadlines(t *testing.T) {
	project := Application{ID: "app", Kind: KindProject, Status: StatusRunning, Start: mustDate("2026-01-01"), End: mustDate("2027-12-31")}
	draft := Application{ID: "draft", Kind: KindProject, Status: StatusDraft, Start: mustDate("2026-01-01"), End: mustDate("2026-12-31")}
	a := PartnershipAgenda{ID: "p", Title: "Youth voice", Swedish: malmo, Parties: both, Year: 2026,
		Applications: []Application{project, draft},
		Reports:      []Report{{ApplicationID: "app", Kind: ReportPartial, Year: 2026, Status: ReportDraft}},
		Visits: []Visit{
			{ID: "v1", Start: mustDate("2026-11-02"), End: mustDate("2026-11-05"), HostOrgID: lusaka.OrgID, Purpose: "Workshops", State: VisitPlanned},
			{ID: "v2", Start: mustDate("2026-10-02"), End: mustDate("2026-10-05"), HostOrgID: malmo.OrgID, Purpose: "Held", State: VisitHeld},
			{ID: "v3", Start: mustDate("2026-11-20"), End: mustDate("2026-11-21"), HostOrgID: malmo.OrgID, Purpose: "Off", State: VisitCancelled},
		},
		MissingVisits: []string{"Lusaka City Council hosted no meetings in 2026"},
	}
	span := Period{From: mustDate("2026-10-01"), To: mustDate("2028-06-30")}
	got := a.Deadlines(DefaultReportRule(), span)
	SortDeadlines(got)
	var ids []string
	for _, d := range got {
		ids = append(ids, d.ID)
	}
	want := []string{"visit/v1", "visits-missing/p/2026", "report-due/app/partial/2026", "report-due/app/final/2027"}
	if !slices.Equal(ids, want) {
		t.Fatalf("deadlines %v, want %v", ids, want)
	}
	if d := got[2]; d.Due != mustDate("2027-03-31") || !slices.Equal(d.OrgIDs, []string{malmo.OrgID}) || d.Responsible != "Malmö stad" ||
		d.Resource != "/v1/partnerships/p/reports" || d.Title != "Partial report of 2026 for Youth voice" {
		t.Errorf("the partial report's deadline: %+v", d)
	}
	if d := got[1]; d.Due != mustDate("2026-12-31") || d.Responsible != "Malmö stad and Lusaka City Council" {
		t.Errorf("the missing visits: %+v", d)
	}

	// A submitted report is no longer due; a span that ends earlier holds fewer deadlines.
	a.Reports[0].Status = ReportSubmitted
	if got := a.Deadlines(DefaultReportRule(), Period{From: mustDate("2026-10-01"), To: mustDate("2027-06-30")}); len(got) != 2 {
		t.Errorf("after the partial report was submitted, until mid-2027: %+v", got)
	}
}

func TestWindowDeadlines(t *testing.T) {
	ws := DefaultWindows(2026, 2027)
	got := WindowDeadlines(ws, Period{From: mustDate("2026-03-01"), To: mustDate("2026-03-31")})
	if len(got) == 0 {
		t.Fatal("no window closes in March 2026")
	}
	for _, d := range got {
		if d.Due != mustDate("2026-03-15") || d.PartnershipID != "" || d.Kind != DeadlineWindowCloses {
			t.Errorf("a window deadline: %+v", d)
		}
	}
}

func TestCheckReminderDays(t *testing.T) {
	for _, tc := range []struct {
		days []int
		bad  int
	}{{[]int{14, 3}, 0}, {nil, 0}, {[]int{731}, 1}, {[]int{-1, 3}, 1}, {[]int{3, 3}, 1}, {[]int{1, 2, 3, 4, 5, 6}, 1}} {
		v := &fault.Invalid{}
		CheckReminderDays(v, tc.days, "days")
		if len(v.Violations) != tc.bad {
			t.Errorf("%v: %v, want %d faults", tc.days, v.Violations, tc.bad)
		}
	}
	if r := (RuleSet{}).OrDefaults(); !slices.Equal(r.Reminders.DaysBefore, []int{14, 3}) {
		t.Errorf("a version without reminders: %v", r.Reminders)
	}
}
