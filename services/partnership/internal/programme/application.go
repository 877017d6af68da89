package programme

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// ApplicationKind is the kind of funding applied for; each kind has its own length and application windows.
type ApplicationKind string

// The application kinds of programme.md.
const (
	// KindInception is the preparation phase, about 12 months, once per partnership, applied for any time.
	KindInception ApplicationKind = "inception"
	// KindProject is the main phase, one to three years.
	KindProject ApplicationKind = "project"
	// KindSteeringGroup funds the steering group's work for a year.
	KindSteeringGroup ApplicationKind = "steering_group"
	// KindDevelopment develops or expands a partnership.
	KindDevelopment ApplicationKind = "development"
	// KindDissemination spreads a partnership's results.
	KindDissemination ApplicationKind = "dissemination"
)

// kindLabels name each kind in words, for messages ("project applications").
var kindLabels = map[ApplicationKind]string{
	KindInception:     "inception",
	KindProject:       "project",
	KindSteeringGroup: "steering group",
	KindDevelopment:   "development",
	KindDissemination: "dissemination",
}

// ApplicationKinds returns every kind, inception first, as a partnership meets them.
func ApplicationKinds() []ApplicationKind {
	return []ApplicationKind{KindInception, KindProject, KindSteeringGroup, KindDevelopment, KindDissemination}
}

// Valid reports whether k is a known application kind.
func (k ApplicationKind) Valid() bool {
	_, ok := kindLabels[k]
	return ok
}

// Label names k in words ("steering group"); an unknown kind is shown as its code.
func (k ApplicationKind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

// anApplication writes "an inception application", "a project application" for sentences.
func (k ApplicationKind) anApplication() string {
	l := k.Label()
	if l != "" && strings.ContainsRune("aeiou", rune(l[0])) {
		return "an " + l + " application"
	}
	return "a " + l + " application"
}

// stillStatus says where an unfinished application stands ("still a draft", "still running").
func stillStatus(s ApplicationStatus) string {
	if s == StatusDraft {
		return "still a draft"
	}
	return "still " + string(s)
}

// kindChoices lists the kinds for a message that asks the caller to choose one.
func kindChoices() string {
	names := make([]string, 0, len(kindLabels))
	for _, k := range ApplicationKinds() {
		names = append(names, string(k))
	}
	return prose.JoinAnd(names)
}

// Application is one funded phase inside a partnership.
type Application struct {
	ID     string
	Kind   ApplicationKind
	Status ApplicationStatus
	// Start and End are the planned first and last days of the phase.
	Start, End Date
	// WaiverReason is why an administrator let a project start without a closed inception; empty otherwise.
	WaiverReason string
	// Content is what the application promises, its results framework among it.
	Content Content
}

// MaxWaiverReasonLen bounds a waiver's recorded reason, in characters.
const MaxWaiverReasonLen = 2000

// CheckWaiverReason checks the reason an administrator records when waiving the inception prerequisite:
// optional, but plain text of at most MaxWaiverReasonLen characters. It returns a *fault.Invalid naming
// field, or nil.
func CheckWaiverReason(reason, field string) error {
	if msg := prose.CheckText(strings.TrimSpace(reason), "the waiver reason", 0, MaxWaiverReasonLen, true); msg != "" {
		return fault.InvalidField(field, msg)
	}
	return nil
}

// CheckDuration checks an application's dates against the length rule r sets for its kind: both dates
// present, the end not before the start, and Start.AddMonths(Min) <= End <= Start.AddMonths(Max). It
// returns a *fault.Invalid naming prefix.start_date, prefix.end_date or prefix.kind, or nil. A kind for
// which r has no rule has no length limit; RuleSet.Validate makes sure stored rule sets cover every kind.
func CheckDuration(r RuleSet, kind ApplicationKind, start, end Date, prefix string) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	startF, endF := path(prefix, "start_date"), path(prefix, "end_date")
	if !kind.Valid() {
		v.Add(path(prefix, "kind"), fmt.Sprintf("%s is not an application kind; choose %s", prose.Quote(string(kind)), kindChoices()))
	}
	if start.IsZero() {
		v.Add(startF, "enter the first day of the phase, as YYYY-MM-DD")
	}
	if end.IsZero() {
		v.Add(endF, "enter the last day of the phase, as YYYY-MM-DD")
	}
	if len(v.Violations) > 0 {
		return v
	}
	if end.Before(start) {
		v.Add(endF, fmt.Sprintf("the end date %s is before the start date %s", end, start))
		return v
	}
	rule, ok := r.Durations[kind]
	if !ok {
		return nil
	}
	// End is the last day of the work, so twelve months from 2025-01-01 end on 2025-12-31.
	earliest, latest := start.AddMonths(rule.MinMonths).AddDays(-1), start.AddMonths(rule.MaxMonths).AddDays(-1)
	switch {
	case end.Before(earliest):
		v.Add(endF, fmt.Sprintf("%s must last %s; %s to %s is shorter: end it on %s or later",
			kind.anApplication(), rule.describe(), start, end, earliest))
	case end.After(latest):
		v.Add(endF, fmt.Sprintf("%s must last %s; %s to %s is longer: end it on %s or earlier",
			kind.anApplication(), rule.describe(), start, end, latest))
	}
	return v.Err()
}

// CheckProjectPrerequisite checks that a project may be applied for: the partnership's applications (apps)
// must include a closed inception, unless an administrator waived that with a non-blank waiverReason. It
// returns a *fault.FailedPrecondition (Reason INCEPTION_NOT_CLOSED, Type PHASE) saying where the inception
// stands, or nil.
func CheckProjectPrerequisite(apps []Application, waiverReason string) error {
	if strings.TrimSpace(waiverReason) != "" {
		return nil
	}
	var open []string
	for _, a := range apps {
		if a.Kind != KindInception {
			continue
		}
		if a.Status == StatusClosed {
			return nil
		}
		if a.Status != StatusRejected {
			open = append(open, stillStatus(a.Status))
		}
	}
	msg := "a project needs a closed inception phase first, and this partnership has none"
	if len(open) > 0 {
		msg = fmt.Sprintf("a project needs a closed inception phase first; this partnership's inception is %s", prose.JoinAnd(open))
	}
	msg += "; an administrator may waive this with a recorded reason"
	return &fault.FailedPrecondition{
		Reason:     ReasonInceptionNotClosed,
		Message:    msg,
		Violations: []fault.PreconditionViolation{{Type: TypePhase, Subject: "application", Description: msg}},
	}
}

// CheckOneInception checks that a new inception application may be added: a partnership has one inception
// phase, so apps (its other applications) may hold no inception unless it was rejected. It returns a
// *fault.FailedPrecondition (Reason INCEPTION_EXISTS, Type PHASE), or nil.
func CheckOneInception(apps []Application) error {
	for _, a := range apps {
		if a.Kind != KindInception || a.Status == StatusRejected {
			continue
		}
		subject := "application"
		if a.ID != "" {
			subject = "applications/" + a.ID
		}
		msg := fmt.Sprintf("this partnership already has an inception application (%s); a partnership has one inception phase", a.Status)
		return &fault.FailedPrecondition{
			Reason:     ReasonInceptionExists,
			Message:    msg,
			Violations: []fault.PreconditionViolation{{Type: TypePhase, Subject: subject, Description: msg}},
		}
	}
	return nil
}
