package programme

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// ApplicationStatus is where an application is in its life; lower-case words so that they read naturally
// inside messages ("an application that is submitted").
type ApplicationStatus string

// The statuses of an application.
const (
	StatusDraft     ApplicationStatus = "draft"
	StatusSubmitted ApplicationStatus = "submitted"
	StatusApproved  ApplicationStatus = "approved"
	StatusRejected  ApplicationStatus = "rejected"
	StatusRunning   ApplicationStatus = "running"
	StatusClosed    ApplicationStatus = "closed"
)

// ApplicationStep moves an application from one status to the next; clients name the step, never the
// target status, so that the rules live in one place (ApplyStep).
type ApplicationStep string

// The steps of an application's life.
const (
	StepSubmit  ApplicationStep = "submit"
	StepApprove ApplicationStep = "approve"
	StepReject  ApplicationStep = "reject"
	StepStart   ApplicationStep = "start"
	StepClose   ApplicationStep = "close"
)

type appStep struct {
	s  ApplicationStep
	to ApplicationStatus
}

// applicationLifecycle is the whole state machine, forward step first so clients can offer it first.
var applicationLifecycle = map[ApplicationStatus][]appStep{
	StatusDraft:     {{StepSubmit, StatusSubmitted}},
	StatusSubmitted: {{StepApprove, StatusApproved}, {StepReject, StatusRejected}},
	StatusApproved:  {{StepStart, StatusRunning}},
	StatusRunning:   {{StepClose, StatusClosed}},
	StatusRejected:  nil,
	StatusClosed:    nil,
}

// ApplicationStatuses returns every status in lifecycle order.
func ApplicationStatuses() []ApplicationStatus {
	return []ApplicationStatus{StatusDraft, StatusSubmitted, StatusApproved, StatusRejected, StatusRunning, StatusClosed}
}

// ApplicationSteps returns every step in lifecycle order.
func ApplicationSteps() []ApplicationStep {
	return []ApplicationStep{StepSubmit, StepApprove, StepReject, StepStart, StepClose}
}

// Valid reports whether s is a known status.
func (s ApplicationStatus) Valid() bool {
	_, ok := applicationLifecycle[s]
	return ok
}

// Final reports whether no step leads out of s (rejected, closed).
func (s ApplicationStatus) Final() bool { return s.Valid() && len(applicationLifecycle[s]) == 0 }

// Valid reports whether s is a known step.
func (s ApplicationStep) Valid() bool {
	for _, k := range ApplicationSteps() {
		if k == s {
			return true
		}
	}
	return false
}

// AllowedSteps returns the steps allowed from a status, forward step first; none for a final or unknown one.
func AllowedSteps(from ApplicationStatus) []ApplicationStep {
	steps := applicationLifecycle[from]
	out := make([]ApplicationStep, len(steps))
	for i, s := range steps {
		out[i] = s.s
	}
	return out
}

// ApplyStep returns the status that step s leads to from status from. A step the lifecycle does not allow
// returns a *fault.FailedPrecondition (Reason ILLEGAL_TRANSITION, Type STATE) naming the steps allowed
// instead. An unknown from status is stored data gone wrong, not a client mistake, and returns a plain error.
func ApplyStep(from ApplicationStatus, s ApplicationStep) (ApplicationStatus, error) {
	steps, ok := applicationLifecycle[from]
	if !ok {
		return from, fmt.Errorf("application has unknown status %q", string(from))
	}
	for _, st := range steps {
		if st.s == s {
			return st.to, nil
		}
	}
	verb := string(s)
	if !s.Valid() {
		verb = fmt.Sprintf("apply unknown step %s to", prose.Quote(string(s)))
	}
	msg := fmt.Sprintf("cannot %s an application that is %s; ", verb, from)
	if allowed := AllowedSteps(from); len(allowed) == 0 {
		msg += "it is final and allows no further steps"
	} else {
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		msg += fmt.Sprintf("allowed from %s: %s", from, strings.Join(names, ", "))
	}
	return from, &fault.FailedPrecondition{
		Reason:     ReasonIllegalTransition,
		Message:    msg,
		Violations: []fault.PreconditionViolation{{Type: TypeState, Subject: "application", Description: msg}},
	}
}
