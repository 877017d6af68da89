package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
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

type networkStep struct {
	s  Step
	to Status
}

// lifecycle is the whole state machine, forward step first so that clients can offer it first.
var lifecycle = map[Status][]networkStep{
	StatusPlanned:    {{StepOpen, StatusRecruiting}, {StepClose, StatusClosed}},
	StatusRecruiting: {{StepStart, StatusRunning}, {StepClose, StatusClosed}},
	StatusRunning:    {{StepClose, StatusClosed}},
	StatusClosed:     nil,
}

// Statuses returns every status in lifecycle order.
func Statuses() []Status {
	return []Status{StatusPlanned, StatusRecruiting, StatusRunning, StatusClosed}
}

// Steps returns every step in lifecycle order.
func Steps() []Step { return []Step{StepOpen, StepStart, StepClose} }

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := lifecycle[s]
	return ok
}

// Final reports whether no step leads out of s (closed).
func (s Status) Final() bool { return s.Valid() && len(lifecycle[s]) == 0 }

// Valid reports whether s is a known step.
func (s Step) Valid() bool {
	for _, k := range Steps() {
		if k == s {
			return true
		}
	}
	return false
}

// AllowedSteps returns the steps allowed from a status, forward step first; none for closed or an unknown
// status.
func AllowedSteps(from Status) []Step {
	steps := lifecycle[from]
	out := make([]Step, len(steps))
	for i, s := range steps {
		out[i] = s.s
	}
	return out
}

// ApplyStep returns the status that step s leads to from status from. A step the lifecycle does not allow
// returns a *fault.FailedPrecondition (Reason ILLEGAL_TRANSITION, Type STATE) naming the steps allowed
// instead, and from unchanged. An unknown from status is stored data gone wrong, not a client's mistake, and
// returns a plain error, which the server reports as internal.
func ApplyStep(from Status, s Step) (Status, error) {
	steps, ok := lifecycle[from]
	if !ok {
		return from, fmt.Errorf("network has unknown status %q", string(from))
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
	msg := fmt.Sprintf("cannot %s a network that is %s; ", verb, from)
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
		Violations: []fault.PreconditionViolation{{Type: TypeState, Subject: "network", Description: msg}},
	}
}
