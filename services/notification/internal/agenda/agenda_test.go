package agenda

import (
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"
)

func day(s string) civil.Date {
	d, err := civil.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// A deadline is reminded of once at each distance: at the nearest one not below the days left.
func TestRemindersDue(t *testing.T) {
	today := day("2026-12-06")
	ds := []Deadline{{ID: "in-20", Due: day("2026-12-26")}, {ID: "in-10", Due: day("2026-12-16")}, {ID: "in-2", Due: day("2026-12-08")},
		{ID: "today", Due: today}, {ID: "past", Due: day("2026-12-05")}}
	got := map[string]int{}
	for _, r := range RemindersDue(ds, []int{3, 14}, today) {
		got[r.Deadline.ID] = r.Days
	}
	want := map[string]int{"in-10": 14, "in-2": 3, "today": 3}
	if len(got) != len(want) {
		t.Fatalf("reminders %v, want %v", got, want)
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("%s reminded at %d days, want %d", id, got[id], n)
		}
	}
}

// Who acts on what: coordinators decide claims; a member acts for their organisation and applies in windows;
// a partner acts for theirs; an auditor acts on nothing.
func TestConcerns(t *testing.T) {
	claim := Deadline{Kind: ClaimDecision, PartnershipID: "p"}
	window := Deadline{Kind: WindowCloses}
	report := Deadline{Kind: ReportDue, OrgIDs: []string{"malmo"}}
	visit := Deadline{Kind: VisitPlanned, OrgIDs: []string{"malmo", "lusaka"}}
	for _, tc := range []struct {
		p    Person
		d    Deadline
		want bool
	}{
		{Person{Role: "coordinator"}, claim, true},
		{Person{Role: "coordinator"}, report, false},
		{Person{Role: "member", OrgIDs: []string{"malmo"}}, report, true},
		{Person{Role: "member", OrgIDs: []string{"vaxjo"}}, report, false},
		{Person{Role: "member", OrgIDs: []string{"vaxjo"}}, window, true},
		{Person{Role: "partner", OrgIDs: []string{"lusaka"}}, visit, true},
		{Person{Role: "partner", OrgIDs: []string{"lusaka"}}, window, false},
		{Person{Role: "auditor"}, claim, false},
	} {
		if got := tc.p.Concerns(tc.d); got != tc.want {
			t.Errorf("%+v concerned by %+v: %t, want %t", tc.p, tc.d, got, tc.want)
		}
	}
}

func TestDigest(t *testing.T) {
	today := day("2026-12-07") // a Monday
	if !DigestDue(today, time.Monday) || DigestDue(today, time.Tuesday) || DigestWeek(today) != "2026-W50" {
		t.Errorf("Monday 7 December 2026: due %t, week %s", DigestDue(today, time.Monday), DigestWeek(today))
	}
	ds := []Deadline{{ID: "b", Due: day("2026-12-20")}, {ID: "a", Due: day("2026-12-08")}, {ID: "late", Due: day("2026-12-22")}, {ID: "past", Due: day("2026-12-01")}}
	got := Digest(ds, today)
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" {
		t.Errorf("digest %+v", got)
	}
}
