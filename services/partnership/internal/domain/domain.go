// Package domain holds the partnership service's types and the programme's rules about them: Swedish
// organisation numbers, the kinds of organisation that may take part, what makes an organisation or a
// partnership well formed, and the partnership lifecycle.
//
// It is plain Go: no gRPC, no SQL. Rules report problems as platform/fault values whose field paths are
// request paths (e.g. "organization.swedish.org_number"), so the server can return them unchanged and a
// client can point at the field to fix. Checks that need stored data (does this id name an organisation?)
// belong to the store and server; this package gives them the rules to apply once they have the data.
package domain

// Reasons the domain puts in faults; clients may switch on them, so they never change once published.
const (
	// ReasonInvalidArgument is the Reason of every *fault.Invalid from this package, matching
	// fault.InvalidField so that all bad-input errors look alike to clients.
	ReasonInvalidArgument = "INVALID_ARGUMENT"
	// ReasonIllegalTransition says a lifecycle step is not allowed from the partnership's state.
	ReasonIllegalTransition = "ILLEGAL_TRANSITION"
	// ReasonPartyKind says an organisation cannot take the role it was given in a partnership.
	ReasonPartyKind = "PARTY_KIND"
)
