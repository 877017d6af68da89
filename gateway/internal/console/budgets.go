package console

import (
	"net/http"
	"net/url"

	financev1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
)

// budget is what the console reads of the API's Budget: enough to name it, link to its claims and show its
// lines.
type budget struct {
	ID               string       `json:"id"`
	PartnershipID    string       `json:"partnershipId"`
	ApplicationID    string       `json:"applicationId"`
	ApplicationKind  string       `json:"applicationKind"`
	State            string       `json:"state"`
	Lines            []budgetLine `json:"lines"`
	Total            *money       `json:"total"`
	ApprovedTotal    *money       `json:"approvedTotal"`
	Revision         int          `json:"revision"`
	ApprovedRevision int          `json:"approvedRevision"`
	CreateTime       string       `json:"createTime"`
}

// budgetLine is one line of a budget's newest revision.
type budgetLine struct {
	ID          string `json:"id"`
	Category    string `json:"category"`
	Year        int    `json:"year"`
	Description string `json:"description"`
	Amount      *money `json:"amount"`
}

// applicationKinds and budgetStates are the words a budget is named with, for the catalogue test.
var (
	applicationKinds = enumNames(financev1.ApplicationKind_name)
	budgetStates     = enumNames(financev1.BudgetState_name)
)

// maxBudgetsShown is the one page of budgets a partnership page reads: a partnership has one budget per
// application (an inception, a few project years), so 500 is never reached.
const maxBudgetsShown = "500"

// listBudgets reads the budgets of a partnership, oldest first, as the bearer of token. ListClaims filters
// by budget, not by partnership, so the partnership page links to the claims of each budget.
func (c *Console) listBudgets(r *http.Request, token, partnershipID string) ([]budget, error) {
	var answer struct {
		Budgets []budget `json:"budgets"`
	}
	q := url.Values{"partnership_id": {partnershipID}, "page_size": {maxBudgetsShown}}
	err := c.api.call(r.Context(), r, token, apiRequest{method: http.MethodGet, path: "/v1/budgets", query: q}, &answer)
	return answer.Budgets, err
}
