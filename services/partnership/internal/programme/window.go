package programme

import (
	"fmt"
	"sort"
	"time"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Window is an application window: the days on which applications of one kind may be submitted. Windows
// vary from year to year, so they are data, one row per kind and opening.
type Window struct {
	// ID is assigned by the store; empty for a window not yet stored.
	ID     string
	Kind   ApplicationKind
	Period Period
}

// DefaultWindows returns the windows of programme.md for the years fromYear to toYear: 15 Feb-15 Mar and
// 15 Sep-15 Oct for every kind but inception, which may be applied for at any time. IDs are empty.
func DefaultWindows(fromYear, toYear int) []Window {
	var out []Window
	for y := fromYear; y <= toYear; y++ {
		for _, p := range []Period{
			{From: Date{Year: y, Month: time.February, Day: 15}, To: Date{Year: y, Month: time.March, Day: 15}},
			{From: Date{Year: y, Month: time.September, Day: 15}, To: Date{Year: y, Month: time.October, Day: 15}},
		} {
			for _, k := range ApplicationKinds() {
				if k != KindInception {
					out = append(out, Window{Kind: k, Period: p})
				}
			}
		}
	}
	return out
}

// Validate checks w's own fields and returns a *fault.Invalid naming prefix.kind, prefix.opens and
// prefix.closes (the ApplicationWindow message's fields), or nil. A window must close: an open-ended one
// would accept applications for ever, which no call for applications does. Inception has no windows: it may be applied for at any time, so a window for it
// would only mislead whoever reads the list.
func (w Window) Validate(prefix string) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	switch {
	case !w.Kind.Valid():
		v.Add(path(prefix, "kind"), fmt.Sprintf("%s is not an application kind; choose %s", prose.Quote(string(w.Kind)), kindChoices()))
	case w.Kind == KindInception:
		v.Add(path(prefix, "kind"), "inception may be applied for at any time and has no application windows")
	}
	validatePeriod(v, w.Period, path(prefix, "opens"), path(prefix, "closes"))
	if w.Period.To.IsZero() {
		v.Add(path(prefix, "closes"), "enter the last day of the window, as YYYY-MM-DD")
	}
	return v.Err()
}

// CheckWindow checks that an application of kind may be submitted on the date on. Inception may always be
// submitted. Otherwise, outside every window for kind, it returns a *fault.FailedPrecondition (Reason
// OUTSIDE_APPLICATION_WINDOW, Type APPLICATION_WINDOW) giving the next window's dates, or saying none is
// planned. An unknown kind is bad input: a *fault.Invalid on "kind".
func CheckWindow(windows []Window, kind ApplicationKind, on Date) error {
	if !kind.Valid() {
		return fault.InvalidField("kind", fmt.Sprintf("%s is not an application kind; choose %s", prose.Quote(string(kind)), kindChoices()))
	}
	if kind == KindInception {
		return nil
	}
	var next []Period
	for _, w := range windows {
		if w.Kind != kind {
			continue
		}
		if w.Period.Contains(on) {
			return nil
		}
		if w.Period.From.After(on) {
			next = append(next, w.Period)
		}
	}
	msg := fmt.Sprintf("%s applications can be submitted only in an application window, and %s is outside them; ", kind.Label(), on)
	if len(next) == 0 {
		msg += fmt.Sprintf("no window for %s applications is planned yet; ICLD announces the next one", kind.Label())
	} else {
		sort.Slice(next, func(i, j int) bool { return next[i].From.Before(next[j].From) })
		msg += fmt.Sprintf("the next window for %s applications is %s", kind.Label(), next[0])
	}
	return &fault.FailedPrecondition{
		Reason:     ReasonOutsideWindow,
		Message:    msg,
		Violations: []fault.PreconditionViolation{{Type: TypeApplicationWindow, Subject: "application-windows/" + string(kind), Description: msg}},
	}
}

// CheckNoWindowOverlap checks that w shares no day with another window of the same kind; a window with w's
// own ID is skipped, so an update may move its own dates. Overlapping windows would make the "next
// window" ambiguous. It returns a *fault.FailedPrecondition (Reason PERIOD_OVERLAP, Type
// APPLICATION_WINDOW), or nil.
func CheckNoWindowOverlap(existing []Window, w Window) error {
	var clashes []Period
	for _, e := range existing {
		if e.Kind != w.Kind || (w.ID != "" && e.ID == w.ID) {
			continue
		}
		if e.Period.Overlaps(w.Period) {
			clashes = append(clashes, e.Period)
		}
	}
	if len(clashes) == 0 {
		return nil
	}
	return overlapFault(TypeApplicationWindow, "application-windows/"+string(w.Kind),
		"the window for "+w.Kind.Label()+" applications", w.Period, clashes)
}
