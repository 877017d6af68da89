package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// State is where a partnership is in its life. The values are lower case words so that they read naturally
// inside messages ("a partnership that is draft") and in stored rows.
type State string

// The states of a partnership, in the order a partnership normally passes through them.
const (
	// StateDraft: the Swedish party is still writing the application.
	StateDraft State = "draft"
	// StateSubmitted: the application waits for ICLD's decision.
	StateSubmitted State = "submitted"
	// StateInception: ICLD approved it; the parties prepare the cooperation (about 12 months).
	StateInception State = "inception"
	// StateActive: the project runs.
	StateActive State = "active"
	// StateCompleted: the work ended as planned. Final.
	StateCompleted State = "completed"
	// StateTerminated: the work ended early or never started. Final.
	StateTerminated State = "terminated"
)

// Transition is a step that moves a partnership from one state to another; clients name the step, never the
// target state, so that the rules live in one place (Apply).
type Transition string

// The lifecycle steps.
const (
	// TransitionSubmit sends a draft application to ICLD.
	TransitionSubmit Transition = "submit"
	// TransitionApprove is ICLD's approval, which starts the inception phase.
	TransitionApprove Transition = "approve"
	// TransitionActivate starts the project after inception.
	TransitionActivate Transition = "activate"
	// TransitionComplete closes an active partnership that ran its course.
	TransitionComplete Transition = "complete"
	// TransitionTerminate ends any open partnership early; it needs a reason (see ValidateReason).
	TransitionTerminate Transition = "terminate"
)

// ReasonField is the request path of the free-text reason given with a transition.
const ReasonField = "reason"

// MaxReasonLen bounds the reason given with a transition, in characters.
const MaxReasonLen = 2000

// step is one allowed transition and where it leads.
type step struct {
	t  Transition
	to State
}

// lifecycle is the whole state machine. Each state's steps are listed in the order Allowed returns them:
// the forward step first, then terminate, so clients can show the likely action first.
var lifecycle = map[State][]step{
	StateDraft:      {{TransitionSubmit, StateSubmitted}, {TransitionTerminate, StateTerminated}},
	StateSubmitted:  {{TransitionApprove, StateInception}, {TransitionTerminate, StateTerminated}},
	StateInception:  {{TransitionActivate, StateActive}, {TransitionTerminate, StateTerminated}},
	StateActive:     {{TransitionComplete, StateCompleted}, {TransitionTerminate, StateTerminated}},
	StateCompleted:  nil,
	StateTerminated: nil,
}

// States returns every state in lifecycle order.
func States() []State {
	return []State{StateDraft, StateSubmitted, StateInception, StateActive, StateCompleted, StateTerminated}
}

// Transitions returns every transition in lifecycle order.
func Transitions() []Transition {
	return []Transition{TransitionSubmit, TransitionApprove, TransitionActivate, TransitionComplete, TransitionTerminate}
}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	_, ok := lifecycle[s]
	return ok
}

// Final reports whether no transition leads out of s (completed, terminated).
func (s State) Final() bool { return s.Valid() && len(lifecycle[s]) == 0 }

// Valid reports whether t is a known transition.
func (t Transition) Valid() bool {
	for _, k := range Transitions() {
		if k == t {
			return true
		}
	}
	return false
}

// Allowed returns the transitions allowed from a state, forward step first; none for a final or unknown state.
func Allowed(from State) []Transition {
	steps := lifecycle[from]
	out := make([]Transition, len(steps))
	for i, s := range steps {
		out[i] = s.t
	}
	return out
}

// Apply returns the state that transition t leads to from state from. A step the lifecycle does not allow
// returns a *fault.FailedPrecondition (Reason ILLEGAL_TRANSITION) that says what is allowed instead, so the
// caller can act on it. An unknown from state is stored data gone wrong, not a client mistake, and returns a
// plain error.
func Apply(from State, t Transition) (State, error) {
	steps, ok := lifecycle[from]
	if !ok {
		return from, fmt.Errorf("partnership has unknown state %q", string(from))
	}
	for _, s := range steps {
		if s.t == t {
			return s.to, nil
		}
	}
	return from, illegalTransition(from, t)
}

func illegalTransition(from State, t Transition) error {
	var msg string
	verb := string(t)
	if !t.Valid() {
		verb = fmt.Sprintf("apply unknown transition %q to", string(t))
	}
	allowed := Allowed(from)
	if len(allowed) == 0 {
		msg = fmt.Sprintf("cannot %s a partnership that is %s; it is final and allows no transitions", verb, from)
	} else {
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		msg = fmt.Sprintf("cannot %s a partnership that is %s; allowed from %s: %s", verb, from, from, strings.Join(names, ", "))
	}
	return &fault.FailedPrecondition{
		Reason:     ReasonIllegalTransition,
		Message:    msg,
		Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: "partnership", Description: msg}},
	}
}

// ValidateReason checks the reason given with a transition: terminating needs one, because ICLD and Sida
// must be able to see why funded work stopped; other steps may carry one. It returns a *fault.Invalid on
// the request field "reason", or nil.
func ValidateReason(t Transition, reason string) error {
	r := strings.TrimSpace(reason)
	if t == TransitionTerminate && r == "" {
		return fault.InvalidField(ReasonField, "say why the partnership is terminated; ICLD and Sida need the reason")
	}
	if msg := prose.CheckText(r, "the reason", 0, MaxReasonLen, true); msg != "" {
		return fault.InvalidField(ReasonField, msg)
	}
	return nil
}
