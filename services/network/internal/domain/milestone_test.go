package domain

import (
	"testing"

	"github.com/partnerskap/partnerskap/platform/civil"
)

func TestMilestones(t *testing.T) {
	n := Network{ID: "n", Name: "Youth voice", CohortStart: civil.Date{Year: 2026, Month: 3, Day: 1}}
	got := n.Milestones()
	want := []string{"2027-03-01", "2028-03-01", "2029-03-01", n.End().String()}
	if len(got) != len(want) {
		t.Fatalf("milestones %+v", got)
	}
	for i, m := range got {
		if m.Day.String() != want[i] {
			t.Errorf("milestone %d on %s, want %s", i, m.Day, want[i])
		}
	}
	if last := got[len(got)-1]; last.ID != "network/n/end" || last.Title != "The network Youth voice ends" {
		t.Errorf("the end: %+v", last)
	}
}
