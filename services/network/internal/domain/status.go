package domain

import (
	"slices"

	machine "github.com/partnerskap/partnerskap/platform/lifecycle"
)

// Status is where a network stands. The values are lower-case words so that they read naturally inside
// messages ("a network that is recruiting") and in stored rows.
type Status string

// The statuses of a network, in the order a network passes through them.
const (
	// StatusPlanned: ICLD prepares the network; nobody may join yet.
	StatusPlanned Status = "planned"
	// StatusRecruiting: partnerships whose inception starts with the cohort may join.
	StatusRecruiting Status = "recruiting"
	// StatusRunning: the cohort works in parallel; the membership is settled.
	StatusRunning Status = "running"
	// StatusClosed: the network has ended, or was called off. Final.
	StatusClosed Status = "closed"
)

// Step moves a network from one status to the next; clients name the step, never the target status, so that
// the rules live in one place (ApplyStep).
type Step string

// The steps of a network's life.
const (
	// StepOpen opens a planned network for recruiting.
	StepOpen Step = "open"
	// StepStart starts the cohort's work once recruiting is done.
	StepStart Step = "start"
	// StepClose ends a running network, or calls off one that never started.
	StepClose Step = "close"
)

// lifecycle is the whole state machine, forward step first so that clients can offer it first.
var lifecycle = machine.Machine[Status, Step]{
	Subject: "network",
	Noun:    "a network",
	Edges: map[Status][]machine.Edge[Status, Step]{
		StatusPlanned:    {{Step: StepOpen, To: StatusRecruiting}, {Step: StepClose, To: StatusClosed}},
		StatusRecruiting: {{Step: StepStart, To: StatusRunning}, {Step: StepClose, To: StatusClosed}},
		StatusRunning:    {{Step: StepClose, To: StatusClosed}},
		StatusClosed:     nil,
	},
	Steps: []Step{StepOpen, StepStart, StepClose},
}

// Statuses returns every status in lifecycle order.
func Statuses() []Status {
	return []Status{StatusPlanned, StatusRecruiting, StatusRunning, StatusClosed}
}

// Steps returns every step in lifecycle order.
func Steps() []Step { return slices.Clone(lifecycle.Steps) }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return lifecycle.Known(s) }

// Final reports whether no step leads out of s (closed).
func (s Status) Final() bool { return lifecycle.Final(s) }

// Valid reports whether s is a known step.
func (s Step) Valid() bool { return lifecycle.KnownStep(s) }

// AllowedSteps returns the steps allowed from a status, forward step first; none for closed or an unknown
// status.
func AllowedSteps(from Status) []Step { return lifecycle.Allowed(from) }

// ApplyStep returns the status that step s leads to from status from, or a *fault.FailedPrecondition
// (Reason ILLEGAL_TRANSITION, Type STATE) naming the steps allowed instead; see platform/lifecycle.
func ApplyStep(from Status, s Step) (Status, error) { return lifecycle.Apply(from, s) }
