package console

import (
	"strconv"
	"strings"
)

// cohortAnswer is GET /v1/networks/{id}/cohort: the network service's view of each member.
type cohortAnswer struct {
	Rows []struct {
		PartnershipID         string   `json:"partnershipId"`
		Title                 string   `json:"title"`
		State                 string   `json:"state"`
		MonthsSinceStart      int32    `json:"monthsSinceStart"`
		VisitsThisYear        int32    `json:"visitsThisYear"`
		SteeringGroupBalanced bool     `json:"steeringGroupBalanced"`
		Lagging               bool     `json:"lagging"`
		Missing               []string `json:"missing"`
	} `json:"rows"`
}

// networkReport is GET /v1/reports/networks/{id}: the reporting service's view, with money and compliance.
type networkReport struct {
	Rows []struct {
		PartnershipID     string `json:"partnershipId"`
		Title             string `json:"title"`
		State             string `json:"state"`
		CountryCode       string `json:"countryCode"`
		CompliantThisYear bool   `json:"compliantThisYear"`
		Budgeted          *money `json:"budgeted"`
		Approved          *money `json:"approved"`
		Paid              *money `json:"paid"`
	} `json:"rows"`
	AsOfTime string `json:"asOfTime"`
}

// cohortMissingParts are the parts the network service may name as missing from a row, for the catalogue.
var cohortMissingParts = []string{"partnership", "visits", "steering_group"}

// cohortTable is the cohort side by side: one column per member partnership, one row per measure, every
// cell already in the page's language.
type cohortTable struct {
	Columns []cohortColumn
	Rows    []cohortMeasure
	// ReportMissing says the reporting service did not answer: money and compliance are not shown.
	ReportMissing bool
	// AsOf is the day of the newest event the report reflects.
	AsOf string
}

type cohortColumn struct{ ID, Title string }

type cohortMeasure struct {
	Label string
	Cells []string
}

// buildCohort lines the network service's cohort and the reporting service's rows up by partnership: the
// network service's members first, in its order, then any the report knows that it does not (a read model
// lags or leads by moments). A cell neither service answered for shows "–".
func buildCohort(l lang, cohort cohortAnswer, report networkReport, haveReport bool) cohortTable {
	type column struct {
		cohortColumn
		cohort, report int // indexes into the answers' rows, -1 when absent
	}
	var cols []column
	at := map[string]int{}
	for i, row := range cohort.Rows {
		at[row.PartnershipID] = len(cols)
		cols = append(cols, column{cohortColumn{row.PartnershipID, row.Title}, i, -1})
	}
	for i, row := range report.Rows {
		if j, ok := at[row.PartnershipID]; ok {
			cols[j].report = i
			if cols[j].Title == "" {
				cols[j].Title = row.Title
			}
			continue
		}
		at[row.PartnershipID] = len(cols)
		cols = append(cols, column{cohortColumn{row.PartnershipID, row.Title}, -1, i})
	}
	t := cohortTable{ReportMissing: !haveReport, AsOf: formatDate(report.AsOfTime)}
	if report.AsOfTime == "" {
		t.AsOf = ""
	}
	const none = "–"
	yesNo := func(b bool) string {
		if b {
			return translate(l, "cohort.yes")
		}
		return translate(l, "cohort.no")
	}
	measure := func(key string, cell func(c column) string) {
		m := cohortMeasure{Label: translate(l, key)}
		for _, c := range cols {
			m.Cells = append(m.Cells, cell(c))
		}
		t.Rows = append(t.Rows, m)
	}
	fromCohort := func(f func(i int) string) func(c column) string {
		return func(c column) string {
			if c.cohort < 0 {
				return none
			}
			return f(c.cohort)
		}
	}
	fromReport := func(f func(i int) string) func(c column) string {
		return func(c column) string {
			if c.report < 0 {
				return none
			}
			return f(c.report)
		}
	}
	for _, c := range cols {
		t.Columns = append(t.Columns, c.cohortColumn)
	}
	measure("cohort.state", func(c column) string {
		state := ""
		if c.cohort >= 0 {
			state = cohort.Rows[c.cohort].State
		}
		if state == "" && c.report >= 0 {
			state = report.Rows[c.report].State
		}
		if state == "" {
			return none
		}
		return translate(l, "state."+state)
	})
	measure("cohort.monthsSinceStart", fromCohort(func(i int) string { return strconv.Itoa(int(cohort.Rows[i].MonthsSinceStart)) }))
	measure("cohort.visitsThisYear", fromCohort(func(i int) string { return strconv.Itoa(int(cohort.Rows[i].VisitsThisYear)) }))
	measure("cohort.steeringGroupBalanced", fromCohort(func(i int) string { return yesNo(cohort.Rows[i].SteeringGroupBalanced) }))
	measure("cohort.lagging", fromCohort(func(i int) string { return yesNo(cohort.Rows[i].Lagging) }))
	measure("cohort.missing", fromCohort(func(i int) string { return missingParts(l, cohort.Rows[i].Missing) }))
	if !haveReport {
		return t
	}
	measure("cohort.country", fromReport(func(i int) string { return strings.ToUpper(report.Rows[i].CountryCode) }))
	measure("cohort.compliantThisYear", fromReport(func(i int) string { return yesNo(report.Rows[i].CompliantThisYear) }))
	amount := func(pick func(i int) *money) func(c column) string {
		return fromReport(func(i int) string { return sekOrZero(l, pick(i)) })
	}
	measure("cohort.budgeted", amount(func(i int) *money { return report.Rows[i].Budgeted }))
	measure("cohort.approved", amount(func(i int) *money { return report.Rows[i].Approved }))
	measure("cohort.paid", amount(func(i int) *money { return report.Rows[i].Paid }))
	return t
}

// sekOrZero shows an amount of a report, where an amount left out is zero kronor (the API omits zeros).
func sekOrZero(l lang, m *money) string {
	if _, ok := m.Minor(); ok {
		return showSEK(l, m)
	}
	return formatSEK(l, 0)
}

// missingParts names, in l, the parts of a row the partnership service could not give; "–" for none.
func missingParts(l lang, parts []string) string {
	if len(parts) == 0 {
		return "–"
	}
	names := make([]string, 0, len(parts))
	for _, p := range parts {
		if msg, ok := lookup(l, "cohort.missing."+p); ok {
			names = append(names, msg)
		} else {
			names = append(names, p)
		}
	}
	return strings.Join(names, ", ")
}
