package programme

import (
	"errors"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

func TestVisitValidate(t *testing.T) {
	ok := Visit{
		Start: mustDate("2025-04-07"), End: mustDate("2025-04-11"), HostOrgID: lusaka.OrgID,
		Participants: map[string]int{malmo.OrgID: 4}, Purpose: "Workshop on young people's influence", Outcomes: "",
	}
	tests := []struct {
		name string
		edit func(*Visit)
		want map[string]string
	}{
		{"valid", func(*Visit) {}, nil},
		{"hosts travel too", func(v *Visit) { v.Participants = map[string]int{malmo.OrgID: 4, lusaka.OrgID: 2} }, nil},
		{"one day", func(v *Visit) { v.End = v.Start }, nil},
		{"60 days", func(v *Visit) { v.End = v.Start.AddDays(59) }, nil},
		{"61 days", func(v *Visit) { v.End = v.Start.AddDays(60) },
			map[string]string{"v.end_date": "2025-04-07 to 2025-06-06 is 61 days; an exchange visit lasts at most 60 days"}},
		{"ends before it starts", func(v *Visit) { v.End = mustDate("2025-04-06") },
			map[string]string{"v.end_date": "the visit ends on 2025-04-06, before it starts on 2025-04-07"}},
		{"no dates", func(v *Visit) { v.Start, v.End = Date{}, Date{} },
			map[string]string{"v.start_date": "enter the first day", "v.end_date": "enter the last day"}},
		{"not a calendar date", func(v *Visit) { v.Start = Date{Year: 2025, Month: 2, Day: 30} },
			map[string]string{"v.start_date": "not a calendar date"}},
		{"no host", func(v *Visit) { v.HostOrgID = "" },
			map[string]string{"v.host_organization_id": "choose the party that hosts the visit: Malmö stad or Lusaka City Council"}},
		{"host not a party", func(v *Visit) { v.HostOrgID = "org-x" },
			map[string]string{"v.host_organization_id": "organisation org-x is not a party to this partnership"}},
		{"no travellers", func(v *Visit) { v.Participants = nil },
			map[string]string{"v.participants": "list the travellers from a party other than Lusaka City Council, which hosts the visit"}},
		{"only the host's people", func(v *Visit) { v.Participants = map[string]int{lusaka.OrgID: 3} },
			map[string]string{"v.participants": "other than Lusaka City Council"}},
		{"zero travellers", func(v *Visit) { v.Participants = map[string]int{malmo.OrgID: 0} },
			map[string]string{"v.participants.org-malmo": "Malmö stad sends 0 travellers; give 1 to 100"}},
		{"101 travellers", func(v *Visit) { v.Participants = map[string]int{malmo.OrgID: 101} },
			map[string]string{"v.participants.org-malmo": "give 1 to 100"}},
		{"100 travellers", func(v *Visit) { v.Participants = map[string]int{malmo.OrgID: 100} }, nil},
		{"travellers from no party", func(v *Visit) { v.Participants = map[string]int{malmo.OrgID: 2, "org-x": 1} },
			map[string]string{"v.participants.org-x": "organisation org-x is not a party"}},
		{"no purpose", func(v *Visit) { v.Purpose = "  " }, map[string]string{"v.purpose": "enter the purpose"}},
		{"purpose of 2000 characters", func(v *Visit) { v.Purpose = strings.Repeat("ö", 2000) }, nil},
		{"purpose of 2001 characters", func(v *Visit) { v.Purpose = strings.Repeat("ö", 2001) },
			map[string]string{"v.purpose": "the purpose has 2001 characters; at most 2000 are allowed"}},
		{"outcomes too long", func(v *Visit) { v.Outcomes = strings.Repeat("x", MaxOutcomesLen+1) },
			map[string]string{"v.outcomes": "at most 5000"}},
		{"several problems at once", func(v *Visit) { v.End = mustDate("2025-01-01"); v.HostOrgID = "org-x"; v.Purpose = "" },
			map[string]string{"v.end_date": "before it starts", "v.host_organization_id": "not a party", "v.purpose": "enter the purpose"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := ok
			v.Participants = map[string]int{malmo.OrgID: 4}
			tt.edit(&v)
			faulttest.Invalid(t, v.Validate(both, "v"), tt.want)
		})
	}
}

func TestCompliance(t *testing.T) {
	rule := DefaultRuleSet().Visits
	visit := func(start, host string) Visit {
		return Visit{Start: mustDate(start), End: mustDate(start).AddDays(4), HostOrgID: host, State: VisitHeld}
	}
	tests := []struct {
		name     string
		visits   []Visit
		meetings int
		hosted   map[string]int
		want     []wantViolation
	}{
		{"exactly two meetings, one in each country", []Visit{visit("2025-04-07", lusaka.OrgID), visit("2025-10-06", malmo.OrgID)},
			2, map[string]int{malmo.OrgID: 1, lusaka.OrgID: 1}, nil},
		{"one meeting", []Visit{visit("2025-04-07", lusaka.OrgID)}, 1, map[string]int{malmo.OrgID: 0, lusaka.OrgID: 1},
			[]wantViolation{
				{"", RuleMeetingsPerYear, "in 2025 the parties met once; the programme asks for at least 2 meetings a year"},
				{malmo.OrgID, RuleHostedPerParty, "Malmö stad hosted no meetings in 2025; each party hosts at least 1 meeting a year"},
			}},
		{"two meetings in the same country", []Visit{visit("2025-04-07", lusaka.OrgID), visit("2025-10-06", lusaka.OrgID)},
			2, map[string]int{malmo.OrgID: 0, lusaka.OrgID: 2},
			[]wantViolation{{malmo.OrgID, RuleHostedPerParty, "Malmö stad hosted no meetings in 2025"}}},
		{"no meetings", nil, 0, map[string]int{malmo.OrgID: 0, lusaka.OrgID: 0},
			[]wantViolation{{"", RuleMeetingsPerYear, "in 2025 the parties met not at all"}, {malmo.OrgID, RuleHostedPerParty, ""}, {lusaka.OrgID, RuleHostedPerParty, ""}}},
		{"a trip over New Year counts in the year it began",
			[]Visit{visit("2024-12-30", malmo.OrgID), visit("2025-04-07", lusaka.OrgID), visit("2025-12-29", malmo.OrgID)},
			2, map[string]int{malmo.OrgID: 1, lusaka.OrgID: 1}, nil},
		{"other years do not count", []Visit{visit("2024-04-07", lusaka.OrgID), visit("2026-10-06", malmo.OrgID)},
			0, map[string]int{malmo.OrgID: 0, lusaka.OrgID: 0},
			[]wantViolation{{"", RuleMeetingsPerYear, ""}, {malmo.OrgID, RuleHostedPerParty, ""}, {lusaka.OrgID, RuleHostedPerParty, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compliance(rule, both, tt.visits, []int{2025})
			if len(got) != 1 {
				t.Fatalf("got %d years", len(got))
			}
			y := got[0]
			if y.Year != 2025 || y.Meetings != tt.meetings {
				t.Errorf("year %d meetings %d; want 2025 and %d", y.Year, y.Meetings, tt.meetings)
			}
			for org, n := range tt.hosted {
				if h, ok := y.HostedBy[org]; !ok || h != n {
					t.Errorf("HostedBy[%s] = %d, %v; want %d", org, h, ok, n)
				}
			}
			checkViolationList(t, y.Violations, tt.want)
			if y.Compliant() != (len(tt.want) == 0) {
				t.Errorf("Compliant() = %v with %d violations", y.Compliant(), len(y.Violations))
			}
		})
	}
}

func TestComplianceYearsAndRules(t *testing.T) {
	visits := []Visit{
		{Start: mustDate("2025-04-07"), HostOrgID: lusaka.OrgID, State: VisitHeld},
		{Start: mustDate("2025-10-06"), HostOrgID: malmo.OrgID, State: VisitHeld},
		{Start: mustDate("2025-11-10"), HostOrgID: malmo.OrgID, State: VisitHeld},
		// Neither a planned nor a cancelled visit took place.
		{Start: mustDate("2025-05-05"), HostOrgID: lusaka.OrgID, State: VisitPlanned},
		{Start: mustDate("2025-06-02"), HostOrgID: lusaka.OrgID, State: VisitCancelled},
	}
	got := Compliance(VisitRule{MinMeetingsPerYear: 2, MinHostedPerParty: 1}, both, visits, []int{2026, 2025})
	if len(got) != 2 || got[0].Year != 2026 || got[1].Year != 2025 {
		t.Fatalf("years come back in the order asked: %+v", got)
	}
	if got[0].Compliant() || !got[1].Compliant() || got[1].Meetings != 3 {
		t.Errorf("2026 compliant %v, 2025 compliant %v with %d meetings", got[0].Compliant(), got[1].Compliant(), got[1].Meetings)
	}
	// A stricter version of the rules, changed by an administrator, is applied as given.
	strict := Compliance(VisitRule{MinMeetingsPerYear: 4, MinHostedPerParty: 2}, both, visits, []int{2025})[0]
	checkViolationList(t, strict.Violations, []wantViolation{
		{"", RuleMeetingsPerYear, "met 3 times; the programme asks for at least 4 meetings a year"},
		{lusaka.OrgID, RuleHostedPerParty, "Lusaka City Council hosted 1 meeting in 2025; each party hosts at least 2 meetings a year"},
	})
	if len(Compliance(VisitRule{}, both, nil, nil)) != 0 {
		t.Error("no years asked, some answered")
	}
}

// A visit is planned, then held once its last day has come, or cancelled; a held visit keeps all but its
// outcomes, a cancelled one everything.
func TestVisitStates(t *testing.T) {
	today := mustDate("2026-06-10")
	planned := Visit{ID: "v", Start: mustDate("2026-06-08"), End: mustDate("2026-06-12"), State: VisitPlanned}
	reason := func(err error) string {
		var fp *fault.FailedPrecondition
		var inv *fault.Invalid
		switch {
		case errors.As(err, &fp):
			return fp.Reason
		case errors.As(err, &inv):
			return inv.Reason
		}
		return ""
	}
	if r := reason(planned.CheckHold(today)); r != ReasonVisitNotOver {
		t.Errorf("holding a visit before its last day: %q", r)
	}
	if err := planned.CheckHold(mustDate("2026-06-12")); err != nil {
		t.Errorf("holding a visit on its last day: %v", err)
	}
	asHeld := planned
	asHeld.State = VisitHeld
	if r := reason(asHeld.CheckRecordedHeld(today, "visit")); r != ReasonVisitNotOver {
		t.Errorf("recording a visit as held before its last day: %q", r)
	}
	if err := planned.CheckRecordedHeld(today, "visit"); err != nil {
		t.Errorf("planning a visit of next week: %v", err)
	}
	if err := planned.CheckCancel(); err != nil {
		t.Errorf("cancelling a planned visit: %v", err)
	}
	if r := reason(asHeld.CheckCancel()); r != ReasonVisitState {
		t.Errorf("cancelling a held visit: %q", r)
	}
	if r := reason(asHeld.CheckHold(today)); r != ReasonVisitState {
		t.Errorf("holding a held visit again: %q", r)
	}
	if err := planned.CheckEdit([]string{"start_date", "travellers", "outcomes"}); err != nil {
		t.Errorf("changing a planned visit: %v", err)
	}
	if err := asHeld.CheckEdit([]string{"outcomes"}); err != nil {
		t.Errorf("changing a held visit's outcomes: %v", err)
	}
	if r := reason(asHeld.CheckEdit([]string{"outcomes", "start_date"})); r != ReasonVisitState {
		t.Errorf("moving a held visit: %q", r)
	}
	cancelled := planned
	cancelled.State = VisitCancelled
	if r := reason(cancelled.CheckEdit([]string{"outcomes"})); r != ReasonVisitState {
		t.Errorf("changing a cancelled visit: %q", r)
	}
}
