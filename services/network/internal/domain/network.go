package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Limits on a network's fields. A network runs four years by default; less than a year cannot hold an
// inception phase, and more than ten years is a typing mistake, not a cohort.
const (
	DefaultDurationMonths = 48
	MinDurationMonths     = 12
	MaxDurationMonths     = 120
	MaxDisplayNameLen     = 200
	MaxThemeLen           = 100
	// MaxPersonLen bounds the coordinator, research advisor, communication contact and expert fields.
	MaxPersonLen = 200
	// MaxExperts bounds the pool of experts; a network has a handful, so hundreds are a client's loop gone wrong.
	MaxExperts = 100
)

// Expert is one member of the network's pool of experts.
type Expert struct {
	Name string
	// Field is the expert's field of expertise, e.g. "public health"; optional.
	Field string
	// Organization is where the expert works; optional, since some experts are independent.
	Organization string
}

// Network is a group of partnerships on one theme in one cluster that start their inception together and work
// in parallel, four years by default, with ICLD's extended support.
type Network struct {
	// ID is assigned by the store; empty for a network not yet stored.
	ID string
	// Name is the network's display name, e.g. "Equitable health, East Africa".
	Name string
	// Theme is free text: one of DefaultThemes or another an admin names.
	Theme   string
	Cluster Cluster
	// CohortStart is the day the members' inception starts; every member's inception starts near it.
	CohortStart Date
	// DurationMonths is how long the network runs; 0 means DefaultDurationMonths, as an unset API field does.
	DurationMonths int
	// Status is empty for a network not yet stored; the server creates networks planned.
	Status Status
	// CoordinatorSubject is the token subject of the ICLD project coordinator who manages the network.
	CoordinatorSubject   string
	ResearchAdvisor      string
	CommunicationContact string
	Experts              []Expert
}

// DefaultThemes returns the themes of ICLD's networks today (programme.md), for seeding and for clients to
// offer first; an admin may name others.
func DefaultThemes() []string {
	return []string{"human rights", "equitable health", "climate action"}
}

// Months returns how many months n runs: DurationMonths, or DefaultDurationMonths when it is unset (0).
func (n Network) Months() int {
	if n.DurationMonths == 0 {
		return DefaultDurationMonths
	}
	return n.DurationMonths
}

// End returns the network's last day: CohortStart plus its months, less one day, so a four-year network
// starting 2021-01-01 ends 2024-12-31 and the next cohort can start the day after. It is derived, never
// stored, so changing the start or duration cannot leave a stale end. The zero start gives the zero Date.
func (n Network) End() Date {
	return n.CohortStart.AddMonths(n.Months()).AddDays(-1)
}

// Validate checks n's own fields and returns a *fault.Invalid naming prefix.display_name,
// prefix.theme, prefix.cluster, prefix.cohort_start, prefix.duration_months, prefix.state,
// prefix.coordinator, prefix.research_advisor, prefix.communication_contact, prefix.experts and
// prefix.experts[i].name (.field, .organization), or nil. An empty Status passes: it is the server's to set.
func (n Network) Validate(prefix string) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	if msg := prose.CheckText(strings.TrimSpace(n.Name), "the network's name", 1, MaxDisplayNameLen, false); msg != "" {
		v.Add(path(prefix, "display_name"), msg)
	}
	if msg := prose.CheckText(strings.TrimSpace(n.Theme), "the theme", 1, MaxThemeLen, false); msg != "" {
		if strings.TrimSpace(n.Theme) == "" {
			msg = fmt.Sprintf("enter the theme, e.g. %s", prose.JoinOr(quoteAll(DefaultThemes())))
		}
		v.Add(path(prefix, "theme"), msg)
	}
	switch {
	case n.Cluster == "":
		v.Add(path(prefix, "cluster"), "choose the network's cluster: "+clusterChoices())
	case !n.Cluster.Valid():
		v.Add(path(prefix, "cluster"), fmt.Sprintf("%s is not a cluster; choose %s", prose.Quote(string(n.Cluster)), clusterChoices()))
	}
	if msg := checkDate(n.CohortStart, "the cohort start, the day the members' inception starts"); msg != "" {
		v.Add(path(prefix, "cohort_start"), msg)
	}
	if m := n.Months(); m < MinDurationMonths || m > MaxDurationMonths {
		v.Add(path(prefix, "duration_months"), fmt.Sprintf("a network runs %d to %d months (%d, four years, when left out), not %d",
			MinDurationMonths, MaxDurationMonths, DefaultDurationMonths, m))
	}
	if n.Status != "" && !n.Status.Valid() {
		v.Add(path(prefix, "state"), fmt.Sprintf("%s is not a network state; a network is %s", prose.Quote(string(n.Status)), statusChoices()))
	}
	// A slice, not a map: the same request must list its problems in the same order every time.
	for _, p := range []struct{ field, value, what string }{
		{"coordinator", n.CoordinatorSubject, "the coordinator"},
		{"research_advisor", n.ResearchAdvisor, "the research advisor"},
		{"communication_contact", n.CommunicationContact, "the communication contact"},
	} {
		if msg := prose.CheckText(p.value, p.what, 0, MaxPersonLen, false); msg != "" {
			v.Add(path(prefix, p.field), msg)
		}
	}
	validateExperts(v, n.Experts, path(prefix, "experts"))
	return v.Err()
}

func validateExperts(v *fault.Invalid, experts []Expert, field string) {
	if len(experts) > MaxExperts {
		v.Add(field, fmt.Sprintf("%d experts are listed; at most %d are allowed", len(experts), MaxExperts))
		return
	}
	for i, e := range experts {
		at := index(field, i)
		if msg := prose.CheckText(strings.TrimSpace(e.Name), "the expert's name", 1, MaxPersonLen, false); msg != "" {
			v.Add(at+".name", msg)
		}
		if msg := prose.CheckText(e.Field, "the expert's field", 0, MaxPersonLen, false); msg != "" {
			v.Add(at+".field", msg)
		}
		if msg := prose.CheckText(e.Organization, "the expert's organisation", 0, MaxPersonLen, false); msg != "" {
			v.Add(at+".organization", msg)
		}
	}
}

// checkDate says what is wrong with a required date, or "": missing, not a calendar date, or outside the
// years civil.ParseDate accepts (a Date built from an API message never went through civil.ParseDate).
func checkDate(d Date, what string) string {
	switch {
	case d.IsZero():
		return "enter " + what + ", as YYYY-MM-DD"
	case !d.Valid():
		return fmt.Sprintf("%d-%02d-%02d is not a calendar date", d.Year, int(d.Month), d.Day)
	case d.Year < civil.MinYear || d.Year > civil.MaxYear:
		return fmt.Sprintf("the year %d is outside %d to %d", d.Year, civil.MinYear, civil.MaxYear)
	}
	return ""
}

func statusChoices() string {
	names := make([]string, 0, len(Statuses()))
	for _, s := range Statuses() {
		names = append(names, string(s))
	}
	return prose.JoinOr(names)
}

func quoteAll(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = prose.Quote(s)
	}
	return out
}
