package domain

import (
	"fmt"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// Date is a calendar date; the platform's civil.Date, shared by every service.
type Date = civil.Date

// Period is a validity period of a version of rules: From and To both inclusive; a zero To means open-ended,
// as in the partnership service, so that versions hand over from one day (To) to the next (From).
type Period struct {
	From, To Date
}

// Contains reports whether d falls within p, both ends included.
func (p Period) Contains(d Date) bool {
	if d.IsZero() || d.Before(p.From) {
		return false
	}
	return p.To.IsZero() || !d.After(p.To)
}

// Overlaps reports whether p and o share at least one day.
func (p Period) Overlaps(o Period) bool {
	return (o.To.IsZero() || !p.From.After(o.To)) && (p.To.IsZero() || !o.From.After(p.To))
}

// String writes p for messages: "2025-01-01 to 2025-12-31" or "from 2010-01-01".
func (p Period) String() string {
	if p.To.IsZero() {
		return fmt.Sprintf("from %s", p.From)
	}
	return fmt.Sprintf("%s to %s", p.From, p.To)
}
