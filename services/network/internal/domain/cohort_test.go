package domain

import "testing"

func TestCohortRowLagging(t *testing.T) {
	tests := []struct {
		name string
		row  CohortRow
		want bool
	}{
		{"two visits and a balanced group", CohortRow{VisitsThisYear: 2, SteeringGroupBalanced: true}, false},
		{"more visits than needed", CohortRow{VisitsThisYear: 5, SteeringGroupBalanced: true}, false},
		{"one visit", CohortRow{VisitsThisYear: 1, SteeringGroupBalanced: true}, true},
		{"no visits", CohortRow{SteeringGroupBalanced: true}, true},
		{"unbalanced group", CohortRow{VisitsThisYear: 3}, true},
		{"both", CohortRow{}, true},
		{"visits unknown, group balanced", CohortRow{SteeringGroupBalanced: true, Missing: []string{PartVisits}}, false},
		{"visits unknown, group unbalanced", CohortRow{Missing: []string{PartVisits}}, true},
		{"group unknown, enough visits", CohortRow{VisitsThisYear: 2, Missing: []string{PartSteeringGroup}}, false},
		{"group unknown, too few visits", CohortRow{VisitsThisYear: 1, Missing: []string{PartSteeringGroup}}, true},
		{"nothing known", CohortRow{Missing: []string{PartPartnership, PartVisits, PartSteeringGroup}}, false},
	}
	for _, tt := range tests {
		if got := tt.row.Lagging(MinVisitsPerYear); got != tt.want {
			t.Errorf("%s: Lagging(2) = %v; want %v", tt.name, got, tt.want)
		}
	}
	if (CohortRow{VisitsThisYear: 2, SteeringGroupBalanced: true}).Lagging(3) != true {
		t.Error("the minimum is the caller's: 2 visits lag a minimum of 3")
	}
	if MinVisitsPerYear != 2 {
		t.Errorf("MinVisitsPerYear = %d; the programme asks for 2", MinVisitsPerYear)
	}
}

func TestCohortRowHas(t *testing.T) {
	r := CohortRow{Missing: []string{PartVisits}}
	if r.Has(PartVisits) || !r.Has(PartSteeringGroup) || !r.Has(PartPartnership) {
		t.Errorf("Has disagrees with Missing %v", r.Missing)
	}
}
