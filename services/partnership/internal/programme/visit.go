package programme

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
)

// Limits on a visit's fields. A trip of more than MaxVisitDays is a typing mistake in a date, not an
// exchange visit; MaxTravellers per party is far above any funded delegation (about 4 people).
const (
	MaxVisitDays   = 60
	MaxTravellers  = 100
	MaxPurposeLen  = 2000
	MaxOutcomesLen = 5000
)

// Visit is one exchange trip between the parties.
type Visit struct {
	// ID is assigned by the store; empty for a visit not yet stored.
	ID         string
	Start, End Date
	// HostOrgID is the party whose municipality receives the visit.
	HostOrgID string
	// Participants maps a party's organisation ID to the number of people it sends.
	Participants map[string]int
	Purpose      string
	Outcomes     string
	// State is where the visit stands; only held visits count for compliance.
	State VisitState
}

// VisitState is where a visit stands: planned, then held or cancelled.
type VisitState string

// The states of a visit.
const (
	VisitPlanned   VisitState = "planned"
	VisitHeld      VisitState = "held"
	VisitCancelled VisitState = "cancelled"
)

// Reasons of the refusals of a visit's changes.
const (
	// ReasonVisitNotOver: a visit is recorded as held only once its last day has come.
	ReasonVisitNotOver = "VISIT_NOT_OVER"
	// ReasonVisitState: the change does not apply to a visit in its state (a held one is not cancelled, a
	// cancelled one does not change).
	ReasonVisitState = "VISIT_STATE"
)

// Over reports whether v's last day has come by today: only then may it be recorded as held.
func (v Visit) Over(today Date) bool { return !v.End.After(today) }

// notOver explains why v cannot be held yet.
func (v Visit) notOver(today Date) string {
	return fmt.Sprintf("the visit ends on %s, after today (%s); plan it now, and record it as held once it is over", v.End, today)
}

// CheckRecordedHeld refuses to record a new visit as held before its last day, naming prefix.end_date.
func (v Visit) CheckRecordedHeld(today Date, prefix string) error {
	if v.State != VisitHeld || v.Over(today) {
		return nil
	}
	return &fault.Invalid{Reason: ReasonVisitNotOver, Violations: []fault.FieldViolation{{Field: path(prefix, "end_date"), Description: v.notOver(today)}}}
}

// CheckHold says whether v may be recorded as held today: a planned visit whose last day has come.
func (v Visit) CheckHold(today Date) error {
	if err := v.checkPlanned("held"); err != nil {
		return err
	}
	if !v.Over(today) {
		return visitRefusal(v, ReasonVisitNotOver, v.notOver(today))
	}
	return nil
}

// CheckCancel says whether v may be cancelled: only a planned visit (a held one took place).
func (v Visit) CheckCancel() error { return v.checkPlanned("cancelled") }

func (v Visit) checkPlanned(to string) error {
	if v.State == VisitPlanned {
		return nil
	}
	return visitRefusal(v, ReasonVisitState, fmt.Sprintf("the visit is %s; only a planned visit is %s", v.State, to))
}

// EditableVisitFields are the fields of a visit in state s that may change: every field of a planned visit,
// the outcomes of a held one, nothing of a cancelled one.
func EditableVisitFields(s VisitState) []string {
	switch s {
	case VisitPlanned:
		return []string{"start_date", "end_date", "host_organization_id", "travellers", "purpose", "outcomes"}
	case VisitHeld:
		return []string{"outcomes"}
	}
	return nil
}

// CheckEdit refuses a change of fields a visit in its state keeps.
func (v Visit) CheckEdit(fields []string) error {
	editable := EditableVisitFields(v.State)
	for _, f := range fields {
		if !slices.Contains(editable, f) {
			if len(editable) == 0 {
				return visitRefusal(v, ReasonVisitState, "a cancelled visit does not change")
			}
			return visitRefusal(v, ReasonVisitState, fmt.Sprintf("the visit was %s; only its %s may change, not %s", v.State, strings.Join(editable, ", "), f))
		}
	}
	return nil
}

func visitRefusal(v Visit, reason, description string) error {
	return &fault.FailedPrecondition{Reason: reason, Message: description,
		Violations: []fault.PreconditionViolation{{Type: reason, Subject: "visits/" + v.ID, Description: description}}}
}

// Validate checks v against the parties of its partnership: both dates, the end not before the start and
// at most MaxVisitDays days in all, a host that is a party, travellers (1..MaxTravellers) only from
// parties and at least some from a party other than the host, a purpose of 1..MaxPurposeLen characters and
// outcomes of at most MaxOutcomesLen. It returns a *fault.Invalid naming prefix.start_date,
// prefix.end_date, prefix.host_organization_id, prefix.participants (prefix.participants.<org id> for one
// party's count), prefix.purpose and prefix.outcomes, or nil.
func (v Visit) Validate(parties []Party, prefix string) error {
	inv := &fault.Invalid{Reason: ReasonInvalidArgument}
	startF, endF := path(prefix, "start_date"), path(prefix, "end_date")
	switch {
	case v.Start.IsZero():
		inv.Add(startF, "enter the first day of the visit, as YYYY-MM-DD")
	case !v.Start.Valid():
		inv.Add(startF, "the first day of the visit is not a calendar date")
	}
	switch {
	case v.End.IsZero():
		inv.Add(endF, "enter the last day of the visit, as YYYY-MM-DD")
	case !v.End.Valid():
		inv.Add(endF, "the last day of the visit is not a calendar date")
	case v.Start.IsZero() || !v.Start.Valid():
	case v.End.Before(v.Start):
		inv.Add(endF, fmt.Sprintf("the visit ends on %s, before it starts on %s", v.End, v.Start))
	case civil.DaysBetween(v.Start, v.End)+1 > MaxVisitDays:
		inv.Add(endF, fmt.Sprintf("%s to %s is %d days; an exchange visit lasts at most %d days, so check the dates",
			v.Start, v.End, civil.DaysBetween(v.Start, v.End)+1, MaxVisitDays))
	}

	hostF := path(prefix, "host_organization_id")
	host, hostOK := partyByID(parties, v.HostOrgID)
	switch {
	case strings.TrimSpace(v.HostOrgID) == "":
		inv.Add(hostF, "choose the party that hosts the visit: "+partyChoices(parties))
	case !hostOK:
		inv.Add(hostF, fmt.Sprintf("organisation %s is not a party to this partnership; the host is %s", v.HostOrgID, partyChoices(parties)))
	}

	partF := path(prefix, "participants")
	orgs := make([]string, 0, len(v.Participants))
	for o := range v.Participants {
		orgs = append(orgs, o)
	}
	sort.Strings(orgs) // map order would make the answer change between identical requests
	guests, badCounts := 0, false
	for _, o := range orgs {
		n := v.Participants[o]
		p, ok := partyByID(parties, o)
		switch {
		case !ok:
			badCounts = true
			inv.Add(path(partF, o), fmt.Sprintf("organisation %s is not a party to this partnership; list travellers from %s", o, partyChoices(parties)))
		case n < 1 || n > MaxTravellers:
			badCounts = true
			inv.Add(path(partF, o), fmt.Sprintf("%s sends %d travellers; give 1 to %d, or leave the party out", p.display(), n, MaxTravellers))
		case o != v.HostOrgID:
			guests += n
		}
	}
	if guests == 0 && !badCounts {
		// An exchange visit means people travel to another party's municipality; the host alone is a meeting at home.
		who := "the host"
		if hostOK {
			who = host.display()
		}
		inv.Add(partF, fmt.Sprintf("list the travellers from a party other than %s, which hosts the visit", who))
	}

	if msg := prose.CheckText(strings.TrimSpace(v.Purpose), "the purpose", 1, MaxPurposeLen, true); msg != "" {
		inv.Add(path(prefix, "purpose"), msg)
	}
	if msg := prose.CheckText(strings.TrimSpace(v.Outcomes), "the outcomes", 0, MaxOutcomesLen, true); msg != "" {
		inv.Add(path(prefix, "outcomes"), msg)
	}
	return inv.Err()
}

func partyByID(parties []Party, orgID string) (Party, bool) {
	for _, p := range parties {
		if p.OrgID == orgID {
			return p, true
		}
	}
	return Party{}, false
}

// YearCompliance is one calendar year of a partnership measured against the visit rule.
type YearCompliance struct {
	Year int
	// Meetings is the number of visits starting in Year.
	Meetings int
	// HostedBy counts those visits per host organisation; every party is present, with 0 if it hosted none.
	HostedBy map[string]int
	// Violations lists what the year lacks; none means it complies.
	Violations []Violation
}

// Compliant reports whether the year met the visit rule.
func (y YearCompliance) Compliant() bool { return len(y.Violations) == 0 }

// Compliance evaluates each year in years: meetings are the held visits starting in that calendar year (a
// planned or cancelled one did not take place), so a trip over New Year counts once, in the year it began. A
// year with too few meetings gets one partnership-wide violation (RuleMeetingsPerYear); each party that hosted too few gets its own (RuleHostedPerParty).
func Compliance(rule VisitRule, parties []Party, visits []Visit, years []int) []YearCompliance {
	out := make([]YearCompliance, 0, len(years))
	for _, year := range years {
		y := YearCompliance{Year: year, HostedBy: map[string]int{}}
		for _, p := range parties {
			y.HostedBy[p.OrgID] = 0
		}
		for _, v := range visits {
			if v.State == VisitHeld && v.Start.Year == year {
				y.Meetings++
				y.HostedBy[v.HostOrgID]++
			}
		}
		if y.Meetings < rule.MinMeetingsPerYear {
			y.Violations = append(y.Violations, Violation{Rule: RuleMeetingsPerYear, Description: fmt.Sprintf(
				"in %d the parties met %s; the programme asks for at least %s a year",
				year, times(y.Meetings), plural(rule.MinMeetingsPerYear, "meeting", "meetings"))})
		}
		for _, p := range parties {
			if n := y.HostedBy[p.OrgID]; n < rule.MinHostedPerParty {
				y.Violations = append(y.Violations, violation(p, RuleHostedPerParty, fmt.Sprintf(
					"%s hosted %s in %d; each party hosts at least %s a year",
					p.display(), plural(n, "meeting", "meetings"), year, plural(rule.MinHostedPerParty, "meeting", "meetings"))))
			}
		}
		out = append(out, y)
	}
	return out
}

// times writes how often something happened: "not at all", "once", "twice", "3 times".
func times(n int) string {
	switch n {
	case 0:
		return "not at all"
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}
