// Package domain holds the partnership service's types and the programme's rules about them: Swedish
// organisation numbers, the kinds of organisation that may take part, what makes an organisation or a
// partnership well formed, and the partnership lifecycle.
//
// It is plain Go: no gRPC, no SQL. Rules report problems as platform/fault values whose field paths are
// request paths (e.g. "organization.swedish.org_number"), so the server can return them unchanged and a
// client can point at the field to fix. Checks that need stored data (does this id name an organisation?)
// belong to the store and server; this package gives them the rules to apply once they have the data.
package domain

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

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

// checkText applies the rules shared by every free-text field: valid UTF-8, no control characters (they
// break exports to IATI XML and CSV), and a length in characters, not bytes, so "Växjö" counts as five.
// It returns "" when the text is acceptable. what names the field in the sentence, e.g. "the title".
func checkText(s string, what string, minLen, maxLen int, multiline bool) string {
	if !utf8.ValidString(s) {
		return what + " is not valid UTF-8 text"
	}
	n := utf8.RuneCountInString(s)
	switch {
	case minLen > 0 && n == 0:
		return "enter " + what
	case n < minLen:
		return fmt.Sprintf("%s has %d characters; it needs at least %d", what, n, minLen)
	case n > maxLen:
		return fmt.Sprintf("%s has %d characters; at most %d are allowed", what, n, maxLen)
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return fmt.Sprintf("%s contains a control character (%U); remove it", what, r)
		}
	}
	return ""
}
