// Package domain holds the network service's rules as plain Go: what a network is and how its status moves,
// who may join one and when, what an activity must say, and how the cohort view judges a partnership that
// lags.
//
// Nothing here talks to the database or to the partnership service. Checks that need other data (the
// partnership as the partnership service reports it, the other networks a partnership is in, the active
// members) take it as arguments; the store and server load it. Rules report bad input as *fault.Invalid whose
// field paths are request paths built from a caller's prefix, and broken programme rules as
// *fault.FailedPrecondition, both in words a municipal official understands. Numbers ICLD may change (the
// tolerance between a partnership's inception and the cohort start) are data, with Default* functions for
// seeding.
package domain

import (
	"fmt"
)

// Reasons this package puts in faults; clients may switch on them, so they never change once published.
const (
	// ReasonInvalidArgument is the Reason of every *fault.Invalid from this package, as in fault.InvalidField,
	// so that all bad input looks alike to clients.
	ReasonInvalidArgument = "INVALID_ARGUMENT"
	// ReasonIllegalTransition says a step is not allowed from the network's status.
	ReasonIllegalTransition = "ILLEGAL_TRANSITION"
	// ReasonNetworkNotRecruiting says the network takes no members now: it is planned, running or closed.
	ReasonNetworkNotRecruiting = "NETWORK_NOT_RECRUITING"
	// ReasonClusterMismatch says the partnership's international party lies outside the network's cluster.
	ReasonClusterMismatch = "CLUSTER_MISMATCH"
	// ReasonAlreadyInANetwork says the partnership is an active member of another recruiting or running network.
	ReasonAlreadyInANetwork = "ALREADY_IN_A_NETWORK"
	// ReasonInceptionNotAligned says the partnership's inception does not start on the cohort start, or is missing.
	ReasonInceptionNotAligned = "INCEPTION_NOT_ALIGNED"
	// ReasonPartnershipClosed says a completed or terminated partnership asked to join.
	ReasonPartnershipClosed = "PARTNERSHIP_CLOSED"
	// ReasonAlreadyRemoved says a membership was removed before and cannot be removed again.
	ReasonAlreadyRemoved = "ALREADY_REMOVED"
)

// Types of fault.PreconditionViolation this package reports, naming the kind of rule that was broken.
const (
	// TypeState marks a step that the network's status does not allow.
	TypeState = "STATE"
	// TypeNetworkMembership marks a rule about who may be, or stop being, a member of a network.
	TypeNetworkMembership = "NETWORK_MEMBERSHIP"
)

// path joins a request-path prefix and a field name, so callers may validate a message at the top level
// (empty prefix) or nested inside a request ("network").
func path(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// index names one element of a repeated field the way the partnership service does: "experts[2]".
func index(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

// plural writes a count with its noun ("1 day", "32 days"), because messages built from numbers must still
// read as sentences.
func plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
