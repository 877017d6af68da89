package domain

import (
	"fmt"
	"sort"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// ApplicationKind is the kind of application a budget belongs to; the finance service reads it from the
// partnership service and keeps its own copy of the values that carry money rules.
type ApplicationKind string

// The application kinds with caps.
const (
	KindInception     ApplicationKind = "inception"
	KindProject       ApplicationKind = "project"
	KindSteeringGroup ApplicationKind = "steering_group"
)

// CostZone is the group of countries that sets a cap: travel to Africa, Asia and Latin America costs more.
// It is not a cluster (the partnership service's world region) but follows from one: CostZoneOf.
type CostZone string

// The cost zones of the caps table.
const (
	CostZoneEurope                 CostZone = "europe"
	CostZoneAfricaAsiaLatinAmerica CostZone = "africa_asia_latin_america"
)

// CostZoneOf is the cost zone of a partnership in the cluster with the word cluster ("east_africa"), as the
// partnership service reports it for the partnership (its international party's country on its eligibility
// date). It reports false for an empty or unknown cluster, which must never fall into a zone by default: a
// new region of the world gets its zone here, on purpose.
func CostZoneOf(cluster string) (CostZone, bool) {
	switch cluster {
	case "europe":
		return CostZoneEurope, true
	case "latin_america", "east_africa", "southern_africa", "asia":
		return CostZoneAfricaAsiaLatinAmerica, true
	}
	return "", false
}

// CapKey says which cap applies to a budget: its application kind, cost zone and number of parties (2 or 3).
type CapKey struct {
	Kind     ApplicationKind
	CostZone CostZone
	Parties  int
}

// String writes the key for messages: "project, africa_asia_latin_america, 3 parties".
func (k CapKey) String() string {
	return fmt.Sprintf("%s, %s, %d parties", k.Kind, k.CostZone, k.Parties)
}

// Cap is the most a budget of one CapKey may hold, in SEK.
type Cap struct {
	Key CapKey
	// Total is the cap on all eligible lines: per calendar year when PerYear, else for the whole phase.
	Total money.Amount
	// PerYear says Total applies to each calendar year's lines separately (projects, steering groups); an
	// inception's cap covers the whole phase.
	PerYear bool
	// LimitsWorkInput says WorkInputMax applies; only steering-group budgets have a separate work-input share.
	LimitsWorkInput bool
	// WorkInputMax is the most the work_input lines may hold, per year when PerYear.
	WorkInputMax money.Amount
}

// CapRules is one version of the caps table, valid for Period. Versions do not overlap, so On finds exactly
// the caps that applied on any date; a budget is checked against the version valid on its application's start.
type CapRules struct {
	// ID is assigned by the store; empty for a version not yet stored.
	ID     string
	Period Period
	Caps   []Cap
	// InKindHourlyRate values an hour of the international party's in-kind working time in reports.
	InKindHourlyRate money.Amount
}

// Find returns the cap for key, and whether the version has one.
func (r CapRules) Find(key CapKey) (Cap, bool) {
	for _, c := range r.Caps {
		if c.Key == key {
			return c, true
		}
	}
	return Cap{}, false
}

// DefaultInKindHourlyRateKronor is the notional hourly value of in-kind work until an admin sets the
// programme's own figure: programme.md gives none, so this is a placeholder, stated as such in the README.
const DefaultInKindHourlyRateKronor = 300

// DefaultCapRules returns the caps of programme.md ("Money"), valid from 2010-01-01 with no end.
func DefaultCapRules() CapRules {
	kr := money.Kronor
	var caps []Cap
	add := func(kind ApplicationKind, perYear bool, eu2, world2, eu3, world3 int64, work2, work3 int64) {
		for _, c := range []struct {
			zone    CostZone
			parties int
			total   int64
			work    int64
		}{{CostZoneEurope, 2, eu2, work2}, {CostZoneAfricaAsiaLatinAmerica, 2, world2, work2}, {CostZoneEurope, 3, eu3, work3}, {CostZoneAfricaAsiaLatinAmerica, 3, world3, work3}} {
			caps = append(caps, Cap{Key: CapKey{kind, c.zone, c.parties}, Total: kr(c.total), PerYear: perYear,
				LimitsWorkInput: c.work > 0, WorkInputMax: kr(c.work)})
		}
	}
	add(KindInception, false, 220_000, 275_000, 275_000, 330_000, 0, 0)
	add(KindProject, true, 450_000, 500_000, 600_000, 650_000, 0, 0)
	add(KindSteeringGroup, true, 300_000, 300_000, 400_000, 400_000, 150_000, 200_000)
	return CapRules{Period: Period{From: Date{Year: 2010, Month: 1, Day: 1}}, Caps: caps, InKindHourlyRate: kr(DefaultInKindHourlyRateKronor)}
}

// Validate checks that r is a usable version: a period that starts before it ends, caps in SEK above nought,
// a work-input share no larger than the total, parties 2 or 3, known kinds and cost zones, and no key twice.
// It returns a *fault.Invalid naming fields under "caps[i]", or nil.
func (r CapRules) Validate() error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	if !r.Period.From.Valid() || r.Period.From.IsZero() {
		v.Add("valid_from", "give the first day on which these caps apply")
	}
	if !r.Period.To.IsZero() && r.Period.To.Before(r.Period.From) {
		v.Add("valid_to", fmt.Sprintf("the last day %s is before the first day %s", r.Period.To, r.Period.From))
	}
	if r.InKindHourlyRate.Currency != money.SEK || !r.InKindHourlyRate.IsPositive() {
		v.Add("in_kind_hourly_rate", "give the notional hourly rate of in-kind work in SEK, above 0")
	}
	if len(r.Caps) == 0 {
		v.Add("caps", "give at least one cap")
	}
	seen := map[CapKey]int{}
	for i, c := range r.Caps {
		at := fmt.Sprintf("caps[%d]", i)
		switch c.Key.Kind {
		case KindInception, KindProject, KindSteeringGroup:
		default:
			v.Add(at+".kind", fmt.Sprintf("%q is not an application kind with a cap; choose inception, project or steering_group", c.Key.Kind))
		}
		if c.Key.CostZone != CostZoneEurope && c.Key.CostZone != CostZoneAfricaAsiaLatinAmerica {
			v.Add(at+".cost_zone", fmt.Sprintf("%q is not a cost zone; choose europe or africa_asia_latin_america", c.Key.CostZone))
		}
		if c.Key.Parties != 2 && c.Key.Parties != 3 {
			v.Add(at+".parties", fmt.Sprintf("a partnership has 2 or 3 parties, not %d", c.Key.Parties))
		}
		if c.Total.Currency != money.SEK || !c.Total.IsPositive() {
			v.Add(at+".total", "give the cap in SEK, above 0")
		}
		if c.LimitsWorkInput {
			if c.WorkInputMax.Currency != money.SEK || !c.WorkInputMax.IsPositive() {
				v.Add(at+".work_input_max", "give the work-input share in SEK, above 0")
			} else if c.WorkInputMax.Currency == c.Total.Currency && c.WorkInputMax.Minor > c.Total.Minor {
				v.Add(at+".work_input_max", fmt.Sprintf("the work-input share %s is more than the whole cap %s", c.WorkInputMax, c.Total))
			}
		}
		if j, dup := seen[c.Key]; dup {
			v.Add(at, fmt.Sprintf("caps[%d] already gives the cap for %s", j, c.Key))
		}
		seen[c.Key] = i
	}
	return v.Err()
}

// CapHistory is every version of the caps table.
type CapHistory []CapRules

// On returns the version valid on d, and whether there is one.
func (h CapHistory) On(d Date) (CapRules, bool) {
	for _, r := range h {
		if r.Period.Contains(d) {
			return r, true
		}
	}
	return CapRules{}, false
}

// CheckAdd returns a *fault.FailedPrecondition when r would overlap a stored version, naming each; two valid
// versions on one day would make On ambiguous.
func (h CapHistory) CheckAdd(r CapRules) error {
	var vs []fault.PreconditionViolation
	sorted := append(CapHistory(nil), h...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Period.From.Before(sorted[j].Period.From) })
	for _, o := range sorted {
		if o.Period.Overlaps(r.Period) {
			vs = append(vs, fault.PreconditionViolation{Type: "OVERLAP", Subject: o.ID,
				Description: fmt.Sprintf("the caps valid %s already apply on some of the days %s; end them first", o.Period, r.Period)})
		}
	}
	if len(vs) == 0 {
		return nil
	}
	return &fault.FailedPrecondition{Reason: "CAP_RULES_OVERLAP", Message: vs[0].Description, Violations: vs}
}
