package domain

import "fmt"

// Milestone is a day in a network's four years that its partnerships plan for: each year of the cohort
// beginning, and the network's end.
type Milestone struct {
	ID, Title string
	Day       Date
	// Year is the cohort year that begins (2, 3, ...), 0 for the end.
	Year int
}

// Milestones are n's milestones: the first day of each year of its cohort after the first (when the year's
// plans and reports turn), and its end.
func (n Network) Milestones() []Milestone {
	var out []Milestone
	end := n.End()
	for year := 2; ; year++ {
		day := n.CohortStart.AddMonths(12 * (year - 1))
		if !day.Before(end) {
			break
		}
		out = append(out, Milestone{ID: fmt.Sprintf("network/%s/year-%d", n.ID, year), Day: day, Year: year,
			Title: fmt.Sprintf("Year %d of the network %s begins", year, n.Name)})
	}
	return append(out, Milestone{ID: fmt.Sprintf("network/%s/end", n.ID), Day: end, Title: fmt.Sprintf("The network %s ends", n.Name)})
}
