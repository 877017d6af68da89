package console

import (
	"encoding/json"

	financev1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
)

// claim is what the console reads of the API's Claim (lowerCamelCase JSON).
type claim struct {
	ID                    string          `json:"id"`
	BudgetID              string          `json:"budgetId"`
	PartnershipID         string          `json:"partnershipId"`
	ReportID              string          `json:"reportId"`
	SwedishOrganizationID string          `json:"swedishOrganizationId"`
	PeriodStart           json.RawMessage `json:"periodStart"`
	PeriodEnd             json.RawMessage `json:"periodEnd"`
	State                 string          `json:"state"`
	Final                 bool            `json:"final"`
	Lines                 []claimLine     `json:"lines"`
	Total                 *money          `json:"total"`
	ApprovedTotal         *money          `json:"approvedTotal"`
	Submitter             string          `json:"submitter"`
	Approver              string          `json:"approver"`
	PaymentBatchID        string          `json:"paymentBatchId"`
	Etag                  string          `json:"etag"`
	CreateTime            string          `json:"createTime"`
	Creator               string          `json:"creator"`
}

// claimLine is one cost of a claim.
type claimLine struct {
	ID             string          `json:"id"`
	Date           json.RawMessage `json:"date"`
	Category       string          `json:"category"`
	BudgetLineID   string          `json:"budgetLineId"`
	Description    string          `json:"description"`
	SEK            *money          `json:"sek"`
	Receipt        *receipt        `json:"receipt"`
	Approved       *money          `json:"approved"`
	DecisionReason string          `json:"decisionReason"`
}

// receipt is the file that proves a cost.
type receipt struct {
	FileName   string `json:"fileName"`
	DocumentID string `json:"documentId"`
}

// Period shows the claim's reporting period as its first and last day.
func (c claim) Period() string { return formatDay(c.PeriodStart) + " – " + formatDay(c.PeriodEnd) }

// Day shows the day the cost was paid.
func (l claimLine) Day() string { return formatDay(l.Date) }

// claimStates are the states a claim can be in, for the list's filter and the catalogue test.
var claimStates = enumNames(financev1.ClaimState_name)

// claimStateSubmitted and claimStateDraft are the states in which the claim page offers a step.
const (
	claimStateDraft     = "CLAIM_STATE_DRAFT"
	claimStateSubmitted = "CLAIM_STATE_SUBMITTED"
)
