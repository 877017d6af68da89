package domain

import (
	"errors"
	"slices"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/lifecycle"
)

// Step is a named move from one status to the next. Clients name the step, never the target status, so the
// rules of each lifecycle live in one table.
type Step string

// The steps of budgets and claims.
const (
	StepSubmit  Step = "submit"
	StepApprove Step = "approve"
	StepReject  Step = "reject"
	StepClose   Step = "close"
	StepPay     Step = "pay"
	// StepReturn sends a submitted budget back to its writers as a draft, with the coordinator's reason.
	StepReturn Step = "return"
)

// Status is where a budget or claim is in its life; lower-case words that read naturally in messages.
type Status string

// The statuses of budgets and claims. A budget uses draft, submitted, approved and closed; a claim draft,
// submitted, approved, partly_approved, rejected and paid.
const (
	StatusDraft          Status = "draft"
	StatusSubmitted      Status = "submitted"
	StatusApproved       Status = "approved"
	StatusPartlyApproved Status = "partly_approved"
	StatusRejected       Status = "rejected"
	StatusClosed         Status = "closed"
	StatusPaid           Status = "paid"
)

// budgetLifecycle: a coordinator approves a submitted budget or returns it to its writers; an approved budget
// is closed when its partnership ends. A change after approval is a new revision (see Revise), never a step
// back.
var budgetLifecycle = lifecycle.Machine[Status, Step]{Subject: "budget", Noun: "a budget",
	Steps: []Step{StepSubmit, StepApprove, StepReturn, StepClose},
	Edges: map[Status][]lifecycle.Edge[Status, Step]{
		StatusDraft:     {{Step: StepSubmit, To: StatusSubmitted}},
		StatusSubmitted: {{Step: StepApprove, To: StatusApproved}, {Step: StepReturn, To: StatusDraft}},
		StatusApproved:  {{Step: StepClose, To: StatusClosed}},
		StatusClosed:    nil,
	}}

// claimLifecycle: approval in part is its own status so that reports can tell it from approval in full; both
// may be paid. Rejected and paid are final.
var claimLifecycle = lifecycle.Machine[Status, Step]{Subject: "claim", Noun: "a claim",
	Steps: []Step{StepSubmit, StepApprove, StepReject, StepPay},
	Edges: map[Status][]lifecycle.Edge[Status, Step]{
		StatusDraft:          {{Step: StepSubmit, To: StatusSubmitted}},
		StatusSubmitted:      {{Step: StepApprove, To: StatusApproved}, {Step: StepReject, To: StatusRejected}},
		StatusApproved:       {{Step: StepPay, To: StatusPaid}},
		StatusPartlyApproved: {{Step: StepPay, To: StatusPaid}},
		StatusRejected:       nil,
		StatusPaid:           nil,
	}}

// next applies step on m and names the object (e.g. "budgets/0190…") in a refusal's violation.
func next(m lifecycle.Machine[Status, Step], from Status, step Step, subject string) (Status, error) {
	to, err := m.Apply(from, step)
	var fp *fault.FailedPrecondition
	if errors.As(err, &fp) {
		for i := range fp.Violations {
			fp.Violations[i].Subject = subject
		}
	}
	return to, err
}

// NextBudgetStatus returns the status of a budget after step, or a *fault.FailedPrecondition
// (ILLEGAL_TRANSITION) when the step is not allowed from from. subject names the budget in the violation.
func NextBudgetStatus(from Status, step Step, subject string) (Status, error) {
	return next(budgetLifecycle, from, step, subject)
}

// NextClaimStatus returns the status of a claim after step, or a *fault.FailedPrecondition when the step is
// not allowed from from. Approval in part is decided by Decide, which picks StatusPartlyApproved itself.
func NextClaimStatus(from Status, step Step, subject string) (Status, error) {
	return next(claimLifecycle, from, step, subject)
}

// PayableStatuses are the claim statuses a payment may move on: those the claim lifecycle has a pay step
// from (approved in full or in part), so that the rule lives in the table above and nowhere else.
func PayableStatuses() []Status {
	var out []Status
	for s := range claimLifecycle.Edges {
		if slices.Contains(claimLifecycle.Allowed(s), StepPay) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
