// Package lifecycle is the state machine every resource with a lifecycle shares: partnerships, applications,
// networks, budgets, claims and whatever follows. A machine is data (which steps lead from which status to
// which), so each rule set reads as one table, and the refusals of an illegal step read the same everywhere: a
// FAILED_PRECONDITION with reason ILLEGAL_TRANSITION naming the steps allowed instead.
package lifecycle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/prose"
)

// Edge is one step out of a status and the status it leads to.
type Edge[S, T ~string] struct {
	Step T
	To   S
}

// Machine is a lifecycle of statuses S moved by steps T.
type Machine[S, T ~string] struct {
	// Subject names the resource in violations and in errors about stored data ("network").
	Subject string
	// Noun names it with its article inside messages ("a network").
	Noun string
	// Edges lists, for every status, the steps out of it, forward step first so clients can offer it first;
	// a final status maps to nothing. A status missing here is unknown.
	Edges map[S][]Edge[S, T]
	// Steps is every step, in lifecycle order.
	Steps []T
	// FinalClause, when set, ends the refusal of a step from a final status in place of "it is final and allows
	// no further steps", for a resource whose API answered in its own words before it moved onto this package
	// (partnerships: "it is final and allows no transitions"); clients may have shown those words to people.
	FinalClause string
}

// Known reports whether s is a status of the machine.
func (m Machine[S, T]) Known(s S) bool {
	_, ok := m.Edges[s]
	return ok
}

// Final reports whether no step leads out of s.
func (m Machine[S, T]) Final(s S) bool { return m.Known(s) && len(m.Edges[s]) == 0 }

// KnownStep reports whether t is a step of the machine.
func (m Machine[S, T]) KnownStep(t T) bool { return slices.Contains(m.Steps, t) }

// Allowed returns the steps out of from, forward step first; none for a final or unknown status.
func (m Machine[S, T]) Allowed(from S) []T {
	edges := m.Edges[from]
	out := make([]T, len(edges))
	for i, e := range edges {
		out[i] = e.Step
	}
	return out
}

// Apply returns the status that step t leads to from from. A step the lifecycle does not allow returns a
// *fault.FailedPrecondition naming the steps allowed instead, and from unchanged. An unknown from status is
// stored data gone wrong, not a client's mistake, and returns a plain error, which the server reports as
// internal.
func (m Machine[S, T]) Apply(from S, t T) (S, error) {
	edges, ok := m.Edges[from]
	if !ok {
		return from, fmt.Errorf("%s has unknown status %q", m.Subject, string(from))
	}
	for _, e := range edges {
		if e.Step == t {
			return e.To, nil
		}
	}
	verb := string(t)
	if !m.KnownStep(t) {
		verb = fmt.Sprintf("apply unknown step %s to", prose.Quote(string(t)))
	}
	msg := fmt.Sprintf("cannot %s %s that is %s; ", verb, m.Noun, from)
	switch allowed := m.Allowed(from); {
	case len(allowed) > 0:
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		msg += fmt.Sprintf("allowed from %s: %s", from, strings.Join(names, ", "))
	case m.FinalClause != "":
		msg += m.FinalClause
	default:
		msg += "it is final and allows no further steps"
	}
	return from, &fault.FailedPrecondition{
		Reason:     "ILLEGAL_TRANSITION",
		Message:    msg,
		Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: m.Subject, Description: msg}},
	}
}
