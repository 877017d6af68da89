package programme

import (
	"slices"

	machine "github.com/partnerskap/partnerskap/platform/lifecycle"
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
	// StatusReturned is a submitted application ICLD sent back with reasons; it is edited and submitted again.
	StatusReturned ApplicationStatus = "returned"
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
	StepReturn  ApplicationStep = "return"
)

// applicationLifecycle is the whole state machine, forward step first so clients can offer it first.
var applicationLifecycle = machine.Machine[ApplicationStatus, ApplicationStep]{
	Subject: "application",
	Noun:    "an application",
	Edges: map[ApplicationStatus][]machine.Edge[ApplicationStatus, ApplicationStep]{
		StatusDraft:     {{Step: StepSubmit, To: StatusSubmitted}},
		StatusSubmitted: {{Step: StepApprove, To: StatusApproved}, {Step: StepReturn, To: StatusReturned}, {Step: StepReject, To: StatusRejected}},
		StatusReturned:  {{Step: StepSubmit, To: StatusSubmitted}},
		StatusApproved:  {{Step: StepStart, To: StatusRunning}},
		StatusRunning:   {{Step: StepClose, To: StatusClosed}},
		StatusRejected:  nil,
		StatusClosed:    nil,
	},
	Steps: []ApplicationStep{StepSubmit, StepApprove, StepReturn, StepReject, StepStart, StepClose},
}

// ApplicationStatuses returns every status in lifecycle order.
func ApplicationStatuses() []ApplicationStatus {
	return []ApplicationStatus{StatusDraft, StatusSubmitted, StatusReturned, StatusApproved, StatusRejected, StatusRunning, StatusClosed}
}

// ApplicationSteps returns every step in lifecycle order.
func ApplicationSteps() []ApplicationStep { return slices.Clone(applicationLifecycle.Steps) }

// Valid reports whether s is a known status.
func (s ApplicationStatus) Valid() bool { return applicationLifecycle.Known(s) }

// Final reports whether no step leads out of s (rejected, closed).
func (s ApplicationStatus) Final() bool { return applicationLifecycle.Final(s) }

// Valid reports whether s is a known step.
func (s ApplicationStep) Valid() bool { return applicationLifecycle.KnownStep(s) }

// AllowedSteps returns the steps allowed from a status, forward step first; none for a final or unknown
// status.
func AllowedSteps(from ApplicationStatus) []ApplicationStep {
	return applicationLifecycle.Allowed(from)
}

// ApplyStep returns the status that step s leads to from status from, or a *fault.FailedPrecondition
// (Reason ILLEGAL_TRANSITION, Type STATE) naming the steps allowed instead; see platform/lifecycle.
func ApplyStep(from ApplicationStatus, s ApplicationStep) (ApplicationStatus, error) {
	return applicationLifecycle.Apply(from, s)
}

// Editable reports whether the applicant may still change an application in status s: while it is a draft
// or has been returned. After approval only ICLD changes it, as a recorded revision (Frozen).
func (s ApplicationStatus) Editable() bool { return s == StatusDraft || s == StatusReturned }

// Frozen reports whether an application in status s holds what ICLD approved: changing it records a revision.
func (s ApplicationStatus) Frozen() bool { return s == StatusApproved || s == StatusRunning }
