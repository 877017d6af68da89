package domain

import (
	"slices"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
	machine "github.com/partnerskap/partnerskap/platform/lifecycle"
	"github.com/partnerskap/partnerskap/platform/prose"
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

// lifecycle is the whole state machine. Each state's steps are listed in the order Allowed returns them:
// the forward step first, then terminate, so clients can show the likely action first.
var lifecycle = machine.Machine[State, Transition]{
	Subject: "partnership",
	Noun:    "a partnership",
	Edges: map[State][]machine.Edge[State, Transition]{
		StateDraft:      {{Step: TransitionSubmit, To: StateSubmitted}, {Step: TransitionTerminate, To: StateTerminated}},
		StateSubmitted:  {{Step: TransitionApprove, To: StateInception}, {Step: TransitionTerminate, To: StateTerminated}},
		StateInception:  {{Step: TransitionActivate, To: StateActive}, {Step: TransitionTerminate, To: StateTerminated}},
		StateActive:     {{Step: TransitionComplete, To: StateCompleted}, {Step: TransitionTerminate, To: StateTerminated}},
		StateCompleted:  nil,
		StateTerminated: nil,
	},
	Steps: []Transition{TransitionSubmit, TransitionApprove, TransitionActivate, TransitionComplete, TransitionTerminate},
	// The API answered a step on a closed partnership in these words before the lifecycle moved onto
	// platform/lifecycle, and keeps them.
	FinalClause: "it is final and allows no transitions",
}

// States returns every state in lifecycle order.
func States() []State {
	return []State{StateDraft, StateSubmitted, StateInception, StateActive, StateCompleted, StateTerminated}
}

// Transitions returns every transition in lifecycle order.
func Transitions() []Transition { return slices.Clone(lifecycle.Steps) }

// Valid reports whether s is a known state.
func (s State) Valid() bool { return lifecycle.Known(s) }

// Final reports whether no transition leads out of s (completed, terminated).
func (s State) Final() bool { return lifecycle.Final(s) }

// Valid reports whether t is a known transition.
func (t Transition) Valid() bool { return lifecycle.KnownStep(t) }

// Allowed returns the transitions allowed from a state, forward step first; none for a final or unknown state.
func Allowed(from State) []Transition { return lifecycle.Allowed(from) }

// Apply returns the state that transition t leads to from state from, or a *fault.FailedPrecondition (Reason
// ILLEGAL_TRANSITION, Type STATE) naming the transitions allowed instead; see platform/lifecycle. An unknown
// from state is stored data gone wrong, not a client mistake, and returns a plain error.
func Apply(from State, t Transition) (State, error) { return lifecycle.Apply(from, t) }

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
