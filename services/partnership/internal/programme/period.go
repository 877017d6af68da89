package programme

import (
	"fmt"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Period is a validity or activity period: From and To both inclusive; a zero To means open-ended.
// Inclusive ends match how the programme writes dates ("15 Feb-15 Mar": the 15th of March is still open).
type Period struct {
	From, To Date
}

// OpenEnded reports whether the period has no last day.
func (p Period) OpenEnded() bool { return p.To.IsZero() }

// Contains reports whether d falls within p, both ends included. The zero Date is in no period.
func (p Period) Contains(d Date) bool {
	if d.IsZero() || d.Before(p.From) {
		return false
	}
	return p.OpenEnded() || !d.After(p.To)
}

// Overlaps reports whether p and o share at least one day. Because both ends are inclusive, periods that
// touch (one's To is the other's From) overlap, and consecutive ones (To, then To+1 day) do not: that is
// how one version of a rule hands over to the next.
func (p Period) Overlaps(o Period) bool {
	pStartsInTime := o.OpenEnded() || !p.From.After(o.To)
	oStartsInTime := p.OpenEnded() || !o.From.After(p.To)
	return pStartsInTime && oStartsInTime
}

// String writes p for messages: "2025-02-15 to 2025-03-15", or "from 2010-01-01" when open-ended.
func (p Period) String() string {
	switch {
	case p.From.IsZero() && p.To.IsZero():
		return ""
	case p.OpenEnded():
		return "from " + p.From.String()
	}
	return p.From.String() + " to " + p.To.String()
}

// phrase writes p inside a sentence: "from 2010-01-01 to 2022-12-31", or "from 2010-01-01" when open-ended.
func (p Period) phrase() string {
	if p.OpenEnded() {
		return "from " + p.From.String()
	}
	return "from " + p.From.String() + " to " + p.To.String()
}

// Validate checks that p has a first day, that both dates are real calendar dates, and that it does not end
// before it begins. It returns a *fault.Invalid naming fromField or toField, or nil.
func (p Period) Validate(fromField, toField string) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	validatePeriod(v, p, fromField, toField)
	return v.Err()
}

// validatePeriod adds p's problems to v, so that callers validating a larger message collect them all.
func validatePeriod(v *fault.Invalid, p Period, fromField, toField string) {
	fromOK := true
	switch {
	case p.From.IsZero():
		v.Add(fromField, "enter the first day, as YYYY-MM-DD")
		fromOK = false
	case !p.From.Valid():
		v.Add(fromField, fmt.Sprintf("%d-%02d-%02d is not a calendar date", p.From.Year, int(p.From.Month), p.From.Day))
		fromOK = false
	}
	switch {
	case p.To.IsZero():
	case !p.To.Valid():
		v.Add(toField, fmt.Sprintf("%d-%02d-%02d is not a calendar date", p.To.Year, int(p.To.Month), p.To.Day))
	case fromOK && p.To.Before(p.From):
		v.Add(toField, fmt.Sprintf("the last day %s is before the first day %s", p.To, p.From))
	}
}

// overlapFault reports that a new version of some rule data overlaps existing versions. Overlaps depend on
// stored data, so this is a FailedPrecondition, not bad input; what names the data in the sentence
// ("the eligibility of Vietnam (VN)") and subject the resource that was checked.
func overlapFault(typ, subject, what string, p Period, clashes []Period) error {
	shown := make([]string, len(clashes))
	for i, c := range clashes {
		shown[i] = c.phrase()
	}
	msg := fmt.Sprintf("the period %s overlaps %s %s; versions must not share a day, so end one the day before the next begins",
		p.phrase(), what, prose.JoinAnd(shown))
	return &fault.FailedPrecondition{
		Reason:     ReasonPeriodOverlap,
		Message:    msg,
		Violations: []fault.PreconditionViolation{{Type: typ, Subject: subject, Description: msg}},
	}
}
