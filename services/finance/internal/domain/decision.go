package domain

import (
	"fmt"
	"sort"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// ClaimDecision is everything a coordinator's decision on a submitted claim depends on. The server reads it
// under the claim's row lock, a share lock on the budget and the locks on the budget's spend rows, so that what
// DecideClaim allows still holds when the decision commits.
type ClaimDecision struct {
	// BudgetID and OrgID name the claim's budget and its Swedish organisation, between whose accounts the
	// approved money moves.
	BudgetID, OrgID string
	Lines           []ClaimLine
	// Creator wrote the claim, Submitter sent it to ICLD and Approver decides it; all are token subjects.
	Creator, Submitter, Approver string
	// Decisions holds one decision per claim line.
	Decisions []LineDecision
	// BudgetStatus is the status of the claim's budget.
	BudgetStatus Status
	// Spend is what is approved and already spent on each line of the budget, by budget line id.
	Spend map[string]LineSpend
}

// DecidedClaim is what an allowed decision changes.
type DecidedClaim struct {
	// Status is approved, partly_approved or rejected.
	Status Status
	// Approved is the claim's approved total in SEK.
	Approved money.Amount
	// ByBudgetLine is what the decision takes of each budget line the claim is charged to.
	ByBudgetLine map[string]money.Amount
	// Postings move the approved money from the budget lines to the organisation's payable account; a
	// rejection has none.
	Postings []Posting
}

// DecideClaim applies every rule of a decision on a claim, in the order a coordinator can act on them: the
// decisions themselves (see decideLines), four eyes (whoever wrote or submitted the claim may not decide it),
// an open budget for anything approved (a rejection moves no money, so a closed budget may still reject), and
// enough left on each budget line. It returns a *fault.Invalid or a *fault.FailedPrecondition whose fields,
// subjects and messages are ready for the client.
func DecideClaim(d ClaimDecision) (DecidedClaim, error) {
	status, total, err := decideLines(d.Lines, d.Decisions)
	if err != nil {
		return DecidedClaim{}, err
	}
	if d.Approver == "" { // four eyes cannot tell an unknown approver from the claim's writer
		return DecidedClaim{}, fault.InvalidField("approver", "the approver is not known")
	}
	if err := CheckFourEyes(d.Approver, d.Creator, d.Submitter); err != nil {
		return DecidedClaim{}, err
	}
	if !total.IsZero() && d.BudgetStatus == StatusClosed {
		msg := "the claim's budget is closed; no more money moves on it"
		return DecidedClaim{}, &fault.FailedPrecondition{Reason: ReasonBudgetClosed, Message: msg,
			Violations: []fault.PreconditionViolation{{Type: ReasonBudgetClosed, Subject: "budgets/" + d.BudgetID, Description: msg}}}
	}
	byLine, err := sumByBudgetLine(d.Lines, d.Decisions)
	if err != nil {
		return DecidedClaim{}, err
	}
	if err := checkLinesLeft(byLine, d.Spend); err != nil {
		return DecidedClaim{}, err
	}
	postings, err := ClaimPostings(d.BudgetID, d.OrgID, byLine)
	if err != nil {
		return DecidedClaim{}, err
	}
	return DecidedClaim{Status: status, Approved: total, ByBudgetLine: byLine, Postings: postings}, nil
}

// sumByBudgetLine adds up the approved amounts per budget line: several claim lines may charge one budget line,
// and it is the sum that must fit in what is left of it.
func sumByBudgetLine(lines []ClaimLine, decisions []LineDecision) (map[string]money.Amount, error) {
	budgetLine := make(map[string]string, len(lines))
	for _, l := range lines {
		budgetLine[l.ID] = l.BudgetLineID
	}
	byLine := map[string]money.Amount{}
	for _, d := range decisions {
		id := budgetLine[d.LineID]
		sum, ok := byLine[id]
		if !ok {
			sum = money.Zero(money.SEK)
		}
		var err error
		if byLine[id], err = sum.Add(d.Approved); err != nil {
			return nil, money.Invalid(err, "decisions.approved")
		}
	}
	return byLine, nil
}

// checkLinesLeft refuses a decision that takes more of a budget line than its approved amount minus what
// earlier approvals spent of it, naming every such line (in id order, so the first named is always the same).
// A budget line without a spend row has nothing approved, so nothing left.
func checkLinesLeft(byLine map[string]money.Amount, spend map[string]LineSpend) error {
	ids := make([]string, 0, len(byLine))
	for id := range byLine {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var vs []fault.PreconditionViolation
	for _, id := range ids {
		left := money.Zero(money.SEK)
		if s, ok := spend[id]; ok {
			var err error
			if left, err = s.Approved.Sub(s.Spent); err != nil {
				return fmt.Errorf("what is left of budget line %q: %w", id, err)
			}
		}
		if asked := byLine[id]; asked.Minor > left.Minor {
			vs = append(vs, fault.PreconditionViolation{Type: ReasonLineOverspent, Subject: "budget_lines/" + id,
				Description: fmt.Sprintf("approving %s would overspend the budget line %q, which has %s left", asked, id, left)})
		}
	}
	if len(vs) == 0 {
		return nil
	}
	return &fault.FailedPrecondition{Reason: ReasonLineOverspent, Message: vs[0].Description, Violations: vs}
}
