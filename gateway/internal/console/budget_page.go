package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	financev1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
)

// The budget page: per line, what the approved revision holds against what claims asked and what was paid,
// as a table and as a bar chart of the same figures. The figures per line come from the finance service's
// financial report of the budget's application (GET /v1/partnerships/{p}/applications/{a}/financial-report),
// which sums the claims' lines exactly in öre: claimed is every submitted or decided claim's cost, approved
// what coordinators approved of it, paid what payment batches paid. The console adds nothing up itself.

// budgetCategories are the cost categories a budget line can have, unspecified included, for the catalogue
// test. Read from the map itself: the ineligible categories are numbered from 20, after a gap.
var budgetCategories = func() []string {
	var out []string
	for _, name := range financev1.Category_name {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}()

// chartFills are the colours of budgeted, claimed and paid, each at least 3:1 against white.
var chartFills = [3]string{"#0b5394", "#a34700", "#1e7b34"}

// budgetRow is one line of the budget page's table, in öre.
type budgetRow struct {
	LineID, Category, Description string
	Year                          int
	Budgeted, Claimed, Approved   int64
	Paid                          int64
}

// Over says whether claims asked more than the line holds: the coordinator then approves at most what is
// left, and the page says so beside the line.
func (r budgetRow) Over() bool { return r.Claimed > r.Budgeted }

// SEK fields for the template's sek function, which takes the API's Money.
func (r budgetRow) BudgetedSEK() *money { return sekMoney(r.Budgeted) }
func (r budgetRow) ClaimedSEK() *money  { return sekMoney(r.Claimed) }
func (r budgetRow) ApprovedSEK() *money { return sekMoney(r.Approved) }
func (r budgetRow) PaidSEK() *money     { return sekMoney(r.Paid) }

// sekMoney is an amount of öre as the API writes Money.
func sekMoney(ore int64) *money {
	return &money{CurrencyCode: "SEK", AmountMinor: json.Number(strconv.FormatInt(ore, 10))}
}

// budgetPageData is the budget page's content.
type budgetPageData struct {
	B     budget
	Rows  []budgetRow
	Total budgetRow
	Chart barChart
	// Approved says the figures are the approved revision's; before approval they are the draft's, and
	// nothing can have been claimed.
	Approved bool
	// CanClaim offers a new claim: the API decides, this only hides a link a role could never use.
	CanClaim bool
}

// financialLine is one line of the API's FinancialReport.
type financialLine struct {
	BudgetID string `json:"budgetId"`
	LineID   string `json:"lineId"`
	Category string `json:"category"`
	Year     int    `json:"year"`
	Budgeted *money `json:"budgeted"`
	Claimed  *money `json:"claimed"`
	Approved *money `json:"approved"`
	Paid     *money `json:"paid"`
}

// showBudget shows one budget. A budget the person may not see is not found, exactly as the API says.
func (c *Console) showBudget(w http.ResponseWriter, r *http.Request, s *session) {
	var b budget
	path := "/v1/budgets/" + url.PathEscape(r.PathValue("id"))
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: path}, &b); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data := budgetPageData{B: b, Approved: b.ApprovedRevision > 0,
		CanClaim: b.State == "BUDGET_STATE_APPROVED" && slices.Contains([]string{"admin", "member"}, s.Role)}
	if data.Approved {
		var report struct {
			Lines []financialLine `json:"lines"`
		}
		reportPath := "/v1/partnerships/" + url.PathEscape(b.PartnershipID) + "/applications/" +
			url.PathEscape(b.ApplicationID) + "/financial-report"
		if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: reportPath}, &report); err != nil {
			c.apiProblem(w, r, err)
			return
		}
		data.Rows = rowsOfReport(b, report.Lines)
	} else {
		data.Rows = rowsOfDraft(b)
	}
	for _, row := range data.Rows {
		data.Total.Budgeted += row.Budgeted
		data.Total.Claimed += row.Claimed
		data.Total.Approved += row.Approved
		data.Total.Paid += row.Paid
	}
	if len(data.Rows) > 0 {
		data.Chart = budgetChart(languageOf(r), data.Rows)
	}
	c.render(w, r, http.StatusOK, "budget", "claims", data)
}

// rowsOfReport are the financial report's lines of budget b (the report covers the whole application),
// with each line's description from the budget.
func rowsOfReport(b budget, lines []financialLine) []budgetRow {
	described := map[string]string{}
	for _, l := range b.Lines {
		described[l.ID] = l.Description
	}
	var rows []budgetRow
	for _, l := range lines {
		if l.BudgetID != b.ID {
			continue
		}
		row := budgetRow{LineID: l.LineID, Category: l.Category, Year: l.Year, Description: described[l.LineID]}
		row.Budgeted, _ = l.Budgeted.Minor()
		row.Claimed, _ = l.Claimed.Minor()
		row.Approved, _ = l.Approved.Minor()
		row.Paid, _ = l.Paid.Minor()
		rows = append(rows, row)
	}
	return rows
}

// rowsOfDraft are the lines of a budget not yet approved: planned amounts, nothing claimed.
func rowsOfDraft(b budget) []budgetRow {
	rows := make([]budgetRow, 0, len(b.Lines))
	for _, l := range b.Lines {
		amount, _ := l.Amount.Minor()
		rows = append(rows, budgetRow{LineID: l.ID, Category: l.Category, Year: l.Year, Description: l.Description, Budgeted: amount})
	}
	return rows
}

// budgetChart draws budgeted, claimed and paid per line, in l.
func budgetChart(l lang, rows []budgetRow) barChart {
	chart := barChart{ID: "chart", Title: translate(l, "budget.chartTitle"), Summary: translate(l, "budget.chartSummary"),
		Series: []chartSeries{{translate(l, "budget.budgeted"), chartFills[0]}, {translate(l, "budget.claimed"), chartFills[1]},
			{translate(l, "budget.paid"), chartFills[2]}}}
	for _, row := range rows {
		label := row.LineID
		if row.Year != 0 {
			label += " (" + strconv.Itoa(row.Year) + ")"
		}
		chart.Groups = append(chart.Groups, chartGroup{Label: label, Values: []int64{row.Budgeted, row.Claimed, row.Paid}})
	}
	return chart
}
