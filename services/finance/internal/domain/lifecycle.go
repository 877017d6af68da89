package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
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

type transition struct {
	step Step
	to   Status
}

// lifecycle is one state machine: for each status, the steps allowed from it, forward step first.
type lifecycle struct {
	what  string
	steps map[Status][]transition
}

// budgetLifecycle: a coordinator approves a submitted budget; an approved budget is closed when its
// partnership ends. A change after approval is a new revision (see Revise), never a step back.
var budgetLifecycle = lifecycle{what: "budget", steps: map[Status][]transition{
	StatusDraft:     {{StepSubmit, StatusSubmitted}},
	StatusSubmitted: {{StepApprove, StatusApproved}, {StepReturn, StatusDraft}},
	StatusApproved:  {{StepClose, StatusClosed}},
	StatusClosed:    nil,
}}

// claimLifecycle: approval in part is its own status so that reports can tell it from approval in full; both
// may be paid. Rejected and paid are final.
var claimLifecycle = lifecycle{what: "claim", steps: map[Status][]transition{
	StatusDraft:          {{StepSubmit, StatusSubmitted}},
	StatusSubmitted:      {{StepApprove, StatusApproved}, {StepReject, StatusRejected}},
	StatusApproved:       {{StepPay, StatusPaid}},
	StatusPartlyApproved: {{StepPay, StatusPaid}},
	StatusRejected:       nil,
	StatusPaid:           nil,
}}

// next returns the status step leads to from from, or a *fault.FailedPrecondition saying which steps are
// possible instead.
func (lc lifecycle) next(from Status, step Step, subject string) (Status, error) {
	ts, known := lc.steps[from]
	if !known {
		return "", fault.InvalidField("status", fmt.Sprintf("%q is not a status of a %s", string(from), lc.what))
	}
	var allowed []string
	for _, t := range ts {
		if t.step == step {
			return t.to, nil
		}
		allowed = append(allowed, string(t.step))
	}
	msg := fmt.Sprintf("a %s that is %s cannot be given the step %q", lc.what, from, string(step))
	if len(allowed) == 0 {
		msg += fmt.Sprintf("; a %s %s is final", from, lc.what)
	} else {
		msg += "; it can only be given: " + strings.Join(allowed, ", ")
	}
	return "", &fault.FailedPrecondition{Reason: ReasonBadState, Message: msg,
		Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: subject, Description: msg}}}
}

// NextBudgetStatus returns the status of a budget after step, or a *fault.FailedPrecondition when the step is
// not allowed from from. subject names the budget in the violation (e.g. "budgets/0190…").
func NextBudgetStatus(from Status, step Step, subject string) (Status, error) {
	return budgetLifecycle.next(from, step, subject)
}

// NextClaimStatus returns the status of a claim after step, or a *fault.FailedPrecondition when the step is
// not allowed from from. Approval in part is decided by Decide, which picks StatusPartlyApproved itself.
func NextClaimStatus(from Status, step Step, subject string) (Status, error) {
	return claimLifecycle.next(from, step, subject)
}
