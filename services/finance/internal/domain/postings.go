package domain

import (
	"fmt"
	"sort"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// The ledger's accounts. Money flows one way through them, so each balance answers one question:
//
//	programme/grant            minus everything Sida granted the programme (the recorded grants)
//	programme/commitments      what is left of the grants after everything ICLD has committed in approved budgets
//	budget/<budget>/<line>     what is left of an approved budget line for further claims (never below 0 but by an admin's reversal)
//	payable/<organisation>     approved claims not yet paid to that organisation
//	paid/<organisation>        everything paid to that organisation
//
// A grant moves money from the grant account to commitments; budget approval from commitments to the lines; claim approval from the lines to payable; payment
// from payable to paid. Every step is one balanced transaction, and corrections are reversals.
const AccountCommitments = "programme/commitments"

// AccountGrant is where Sida's grants come from.
const AccountGrant = "programme/grant"

// BudgetLineAccount names the account of one budget line.
func BudgetLineAccount(budgetID, lineID string) string { return "budget/" + budgetID + "/" + lineID }

// PayableAccount names what is owed to an organisation.
func PayableAccount(orgID string) string { return "payable/" + orgID }

// PaidAccount names what has been paid to an organisation.
func PaidAccount(orgID string) string { return "paid/" + orgID }

// LineSpend is what approved claims have taken of one budget line.
type LineSpend struct {
	LineID   string
	Approved money.Amount
	Spent    money.Amount
}

// ApproveRevision returns the new approved amount of every line when lines become a budget's approved revision,
// given what is spent on the lines of the revision approved before (empty for a first approval), and the
// postings that move the difference from the commitments account to the lines. A revision may shrink or drop a
// line only down to what claims have already taken of it: the money is gone. The postings are empty when no
// amount changed.
func ApproveRevision(budgetID string, lines []Line, before []LineSpend) ([]LineSpend, []Posting, error) {
	old := make(map[string]LineSpend, len(before))
	for _, b := range before {
		old[b.LineID] = b
	}
	var vs []fault.PreconditionViolation
	var after []LineSpend
	var postings []Posting
	total := money.Zero(money.SEK)
	move := func(lineID string, delta money.Amount) error {
		if delta.IsZero() {
			return nil
		}
		postings = append(postings, Posting{Account: BudgetLineAccount(budgetID, lineID), Amount: delta})
		var err error
		total, err = total.Add(delta)
		return err
	}
	seen := map[string]bool{}
	for _, l := range lines {
		seen[l.ID] = true
		prev, had := old[l.ID]
		spent, approved := money.Zero(money.SEK), money.Zero(money.SEK)
		if had {
			spent, approved = prev.Spent, prev.Approved
		}
		if l.Amount.Minor < spent.Minor {
			vs = append(vs, fault.PreconditionViolation{Type: ReasonLineOverspent, Subject: "lines/" + l.ID,
				Description: fmt.Sprintf("the line %q cannot go down to %s: approved claims have already taken %s of it", l.ID, l.Amount, spent)})
			continue
		}
		delta, err := l.Amount.Sub(approved)
		if err != nil {
			return nil, nil, money.Invalid(err, "lines.amount")
		}
		if err := move(l.ID, delta); err != nil {
			return nil, nil, money.Invalid(err, "lines.amount")
		}
		after = append(after, LineSpend{LineID: l.ID, Approved: l.Amount, Spent: spent})
	}
	for _, b := range before {
		if seen[b.LineID] {
			continue
		}
		if b.Spent.IsPositive() {
			vs = append(vs, fault.PreconditionViolation{Type: ReasonLineOverspent, Subject: "lines/" + b.LineID,
				Description: fmt.Sprintf("the line %q cannot be removed: approved claims have already taken %s of it", b.LineID, b.Spent)})
			continue
		}
		neg, err := b.Approved.Neg()
		if err != nil {
			return nil, nil, money.Invalid(err, "lines.amount")
		}
		if err := move(b.LineID, neg); err != nil {
			return nil, nil, money.Invalid(err, "lines.amount")
		}
		// A removed line stays with nothing approved, so an old claim still finds it and nothing new fits.
		after = append(after, LineSpend{LineID: b.LineID, Approved: money.Zero(money.SEK), Spent: money.Zero(money.SEK)})
	}
	if len(vs) > 0 {
		return nil, nil, &fault.FailedPrecondition{Reason: ReasonLineOverspent, Message: vs[0].Description, Violations: vs}
	}
	if !total.IsZero() {
		neg, err := total.Neg()
		if err != nil {
			return nil, nil, money.Invalid(err, "lines.amount")
		}
		postings = append(postings, Posting{Account: AccountCommitments, Amount: neg})
	}
	return after, postings, nil
}

// ClaimPostings returns the postings of a claim approval: each budget line gives what was approved on it to the
// Swedish organisation's payable account. approvedByLine maps budget line ids to SEK amounts; lines with
// nothing approved are left out, and a claim with nothing approved posts nothing.
func ClaimPostings(budgetID, orgID string, approvedByLine map[string]money.Amount) ([]Posting, error) {
	ids := make([]string, 0, len(approvedByLine))
	for id := range approvedByLine {
		ids = append(ids, id)
	}
	sort.Strings(ids) // the same claim always posts the same transaction
	var postings []Posting
	total := money.Zero(money.SEK)
	for _, id := range ids {
		a := approvedByLine[id]
		if a.IsZero() {
			continue
		}
		neg, err := a.Neg()
		if err != nil {
			return nil, money.Invalid(err, "approved")
		}
		if total, err = total.Add(a); err != nil {
			return nil, money.Invalid(err, "approved")
		}
		postings = append(postings, Posting{Account: BudgetLineAccount(budgetID, id), Amount: neg})
	}
	if total.IsZero() {
		return nil, nil
	}
	return append(postings, Posting{Account: PayableAccount(orgID), Amount: total}), nil
}

// PaymentPostings returns the postings of paying a batch: per receiving organisation, its payable account
// gives the amount to its paid account.
func PaymentPostings(byOrg map[string]money.Amount) ([]Posting, error) {
	orgs := make([]string, 0, len(byOrg))
	for o := range byOrg {
		orgs = append(orgs, o)
	}
	sort.Strings(orgs)
	var postings []Posting
	for _, o := range orgs {
		a := byOrg[o]
		neg, err := a.Neg()
		if err != nil {
			return nil, money.Invalid(err, "amount")
		}
		postings = append(postings, Posting{Account: PayableAccount(o), Amount: neg}, Posting{Account: PaidAccount(o), Amount: a})
	}
	return postings, nil
}
