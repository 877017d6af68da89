package domain

import "slices"

// MinVisitsPerYear is the programme's minimum of exchange visits a year between a partnership's parties; a
// member below it lags the cohort. Callers pass it to Lagging so that a changed rule is data, not code.
const MinVisitsPerYear = 2

// Parts of a cohort row that come from the partnership service and may be missing when it does not answer;
// the names appear in CohortRow.Missing and in the API.
const (
	PartPartnership   = "partnership"
	PartVisits        = "visits"
	PartSteeringGroup = "steering_group"
)

// CohortRow lines up one member partnership for the cohort view.
type CohortRow struct {
	PartnershipID string
	Title         string
	// Phase is the partnership's lifecycle state, e.g. "inception".
	Phase string
	// MonthsSinceStart is civil.MonthsBetween(the network's cohort start, today).
	MonthsSinceStart int
	// VisitsThisYear counts the partnership's exchange visits starting in the current calendar year.
	VisitsThisYear int
	// SteeringGroupBalanced reports whether the steering group meets the programme's composition rule.
	SteeringGroupBalanced bool
	// Missing names the parts that could not be read (PartPartnership, PartVisits, PartSteeringGroup); the
	// view shows the rest rather than failing whole.
	Missing []string
}

// Has reports whether part was read, i.e. is not listed in r.Missing.
func (r CohortRow) Has(part string) bool { return !slices.Contains(r.Missing, part) }

// Lagging reports whether a row lags the cohort: fewer visits this year than minVisits (the programme's
// minimum is MinVisitsPerYear) or an unbalanced steering group. Only parts that were read count: a visit
// count or steering group the partnership service did not give is unknown, not zero, and must not mark a
// partnership as lagging on an outage.
func (r CohortRow) Lagging(minVisits int) bool {
	if r.Has(PartVisits) && r.VisitsThisYear < minVisits {
		return true
	}
	return r.Has(PartSteeringGroup) && !r.SteeringGroupBalanced
}
