package programme

import (
	"fmt"
	"sort"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Sanity limits for rule data: an administrator's typo (360 months, 500 officials) is refused rather than
// silently making every application pass.
const (
	maxRuleMonths  = 120
	maxTeamPlaces  = 50
	maxYearMeeting = 52
	// maxReportMonths bounds how long after its period a report may be due.
	maxReportMonths = 24
)

// DurationRule bounds an application's length in months. End is the last day of the work, so an application
// lasts n months when End is the day before Start.AddMonths(n) (2025-01-01 to 2025-12-31 is 12 months); both
// boundaries are inclusive.
type DurationRule struct {
	MinMonths, MaxMonths int
}

// describe writes the rule for messages: "12 to 36 months", or "12 months" when both bounds agree.
func (d DurationRule) describe() string {
	if d.MinMonths == d.MaxMonths {
		return plural(d.MaxMonths, "month", "months")
	}
	return fmt.Sprintf("%d to %d months", d.MinMonths, d.MaxMonths)
}

// TeamRule is the composition of an inception or project team, per party.
type TeamRule struct {
	// MajorityPoliticians and OppositionPoliticians are exact numbers per party.
	MajorityPoliticians, OppositionPoliticians int
	// OfficialsMin and OfficialsMax bound the officials per party, leading officials included.
	OfficialsMin, OfficialsMax int
	// ProjectManagers is the exact number of project managers per party, each one of the officials;
	// 0 means the team needs none.
	ProjectManagers int
}

// VisitRule is how often the parties must meet in a calendar year.
type VisitRule struct {
	// MinMeetingsPerYear is the least number of exchange visits starting in a year.
	MinMeetingsPerYear int
	// MinHostedPerParty is the least number of those visits each party hosts.
	MinHostedPerParty int
}

// ReportRule is when a partnership's reports are due: a partial report a number of months after its
// accounting (calendar) year ends, a final report a number of months after its application's last day.
type ReportRule struct {
	PartialMonthsAfterYear int `json:"partial_months_after_year"`
	FinalMonthsAfterEnd    int `json:"final_months_after_end"`
}

// DefaultReportRule is three months for both: a year's report by 31 March of the year after.
func DefaultReportRule() ReportRule {
	return ReportRule{PartialMonthsAfterYear: 3, FinalMonthsAfterEnd: 3}
}

// ReminderRule is when people are reminded of a deadline: on each of DaysBefore days before it, once.
type ReminderRule struct {
	DaysBefore []int `json:"days_before"`
}

// DefaultReminderRule reminds two weeks ahead, and again three days ahead.
func DefaultReminderRule() ReminderRule { return ReminderRule{DaysBefore: []int{14, 3}} }

// MaxReminderDays is the farthest ahead a reminder may be (two years: a yearly report's due day is at most
// that far), and MaxReminders how many distances a rule or a person may give.
const (
	MaxReminderDays = 730
	MaxReminders    = 5
)

// CheckReminderDays checks distances before a deadline: at most MaxReminders, each 0 to MaxReminderDays
// days, none twice. It adds its faults to v under field.
func CheckReminderDays(v *fault.Invalid, days []int, field string) {
	if len(days) > MaxReminders {
		v.Add(field, fmt.Sprintf("give at most %d reminders", MaxReminders))
	}
	seen := map[int]bool{}
	for i, d := range days {
		switch {
		case d < 0 || d > MaxReminderDays:
			v.Add(fmt.Sprintf("%s[%d]", field, i), fmt.Sprintf("%d days before is not possible; give 0 to %d", d, MaxReminderDays))
		case seen[d]:
			v.Add(fmt.Sprintf("%s[%d]", field, i), fmt.Sprintf("%d days before is given twice", d))
		}
		seen[d] = true
	}
}

// RuleSet is one version of the programme's numbers, valid for Period. Versions do not overlap, so
// RuleSetOn finds exactly the numbers that applied on any date.
type RuleSet struct {
	// ID is assigned by the store; empty for a version not yet stored.
	ID                         string
	Period                     Period
	Durations                  map[ApplicationKind]DurationRule
	InceptionTeam, ProjectTeam TeamRule
	Visits                     VisitRule
	// Reports is when reports are due. A version stored before reports existed has none and gets
	// DefaultReportRule (OrDefaults).
	Reports ReportRule
	// Reminders is when people are reminded of deadlines; DefaultReminderRule for a version without one.
	Reminders ReminderRule
}

// OrDefaults fills in the parts of r a version written before they existed lacks.
func (r RuleSet) OrDefaults() RuleSet {
	if len(r.Reminders.DaysBefore) == 0 {
		r.Reminders = DefaultReminderRule()
	}
	if r.Reports == (ReportRule{}) {
		r.Reports = DefaultReportRule()
	}
	return r
}

// DefaultRuleSet returns the numbers of programme.md, valid from 2010-01-01 with no end. The inception is
// "about 12 months", taken as 6 to 18; development and dissemination have no published length, so they get
// generous bounds an administrator can tighten.
func DefaultRuleSet() RuleSet {
	return RuleSet{
		Period: Period{From: Date{Year: 2010, Month: 1, Day: 1}},
		Durations: map[ApplicationKind]DurationRule{
			KindInception:     {MinMonths: 6, MaxMonths: 18},
			KindProject:       {MinMonths: 12, MaxMonths: 36},
			KindSteeringGroup: {MinMonths: 12, MaxMonths: 12},
			KindDevelopment:   {MinMonths: 1, MaxMonths: 24},
			KindDissemination: {MinMonths: 1, MaxMonths: 12},
		},
		InceptionTeam: TeamRule{MajorityPoliticians: 1, OppositionPoliticians: 1, OfficialsMin: 1, OfficialsMax: 2},
		ProjectTeam:   TeamRule{OfficialsMin: 3, OfficialsMax: 5, ProjectManagers: 1},
		Visits:        VisitRule{MinMeetingsPerYear: 2, MinHostedPerParty: 1},
		Reports:       DefaultReportRule(),
		Reminders:     DefaultReminderRule(),
	}
}

// Validate checks that r is a usable version of the rules: a valid period, a length rule for every kind
// and for no unknown kind, and team and visit numbers that can be met. It returns a *fault.Invalid naming
// fields under prefix (valid_from, valid_to, durations.<kind>.min_months, inception_team.officials_max,
// visits.min_meetings_per_year, ...), or nil.
func (r RuleSet) Validate(prefix string) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	validatePeriod(v, r.Period, path(prefix, "valid_from"), path(prefix, "valid_to"))

	durations := path(prefix, "durations")
	for _, k := range ApplicationKinds() {
		d, ok := r.Durations[k]
		at := path(durations, string(k))
		switch {
		case !ok:
			v.Add(at, fmt.Sprintf("give the shortest and longest length of %s applications in months", k.Label()))
		case d.MinMonths < 0 || d.MinMonths > maxRuleMonths:
			// 0 means no minimum beyond ending on or after the start, which CheckDuration always asks.
			v.Add(path(at, "min_months"), fmt.Sprintf("the shortest length is %d months; give 0 to %d", d.MinMonths, maxRuleMonths))
		case d.MaxMonths < max(d.MinMonths, 1) || d.MaxMonths > maxRuleMonths:
			v.Add(path(at, "max_months"), fmt.Sprintf("the longest length is %d months; give %d to %d", d.MaxMonths, max(d.MinMonths, 1), maxRuleMonths))
		}
	}
	var unknown []string
	for k := range r.Durations {
		if !k.Valid() {
			unknown = append(unknown, string(k))
		}
	}
	sort.Strings(unknown) // map order would make the answer change between identical requests
	for _, k := range unknown {
		v.Add(path(durations, k), fmt.Sprintf("%s is not an application kind; choose %s", prose.Quote(k), kindChoices()))
	}

	validateTeamRule(v, r.InceptionTeam, path(prefix, "inception_team"))
	validateTeamRule(v, r.ProjectTeam, path(prefix, "project_team"))

	visits := path(prefix, "visits")
	if n := r.Visits.MinMeetingsPerYear; n < 0 || n > maxYearMeeting {
		v.Add(path(visits, "min_meetings_per_year"), fmt.Sprintf("%d meetings a year is not possible; give 0 to %d", n, maxYearMeeting))
	}
	if n := r.Visits.MinHostedPerParty; n < 0 || n > maxYearMeeting {
		v.Add(path(visits, "min_hosted_per_party"), fmt.Sprintf("%d hosted meetings a year is not possible; give 0 to %d", n, maxYearMeeting))
	}
	reports := path(prefix, "reports")
	if n := r.Reports.PartialMonthsAfterYear; n < 1 || n > maxReportMonths {
		v.Add(path(reports, "partial_months_after_year"), fmt.Sprintf("a yearly report due %d months after the year is not possible; give 1 to %d", n, maxReportMonths))
	}
	if n := r.Reports.FinalMonthsAfterEnd; n < 1 || n > maxReportMonths {
		v.Add(path(reports, "final_months_after_end"), fmt.Sprintf("a final report due %d months after the work is not possible; give 1 to %d", n, maxReportMonths))
	}
	CheckReminderDays(v, r.Reminders.DaysBefore, path(path(prefix, "reminders"), "days_before"))
	return v.Err()
}

func validateTeamRule(v *fault.Invalid, t TeamRule, prefix string) {
	inRange := func(field string, n, lo int, what string) {
		if n < lo || n > maxTeamPlaces {
			v.Add(path(prefix, field), fmt.Sprintf("%d %s per party is not possible; give %d to %d", n, what, lo, maxTeamPlaces))
		}
	}
	inRange("majority_politicians", t.MajorityPoliticians, 0, "politicians from the majority")
	inRange("opposition_politicians", t.OppositionPoliticians, 0, "politicians from the opposition")
	inRange("officials_min", t.OfficialsMin, 0, "officials")
	inRange("officials_max", t.OfficialsMax, max(t.OfficialsMin, 0), "officials")
	// A project manager is one of the officials, so there cannot be more managers than officials allowed.
	switch {
	case t.ProjectManagers < 0 || t.ProjectManagers > maxTeamPlaces:
		inRange("project_managers", t.ProjectManagers, 0, "project managers")
	case t.ProjectManagers > t.OfficialsMax:
		team := "a team without officials"
		if t.OfficialsMax > 0 {
			team = "a team of at most " + plural(t.OfficialsMax, "official", "officials")
		}
		v.Add(path(prefix, "project_managers"), fmt.Sprintf("a project manager is one of the officials, so %s cannot have %s",
			team, plural(t.ProjectManagers, "project manager", "project managers")))
	}
}

// RuleSetOn returns the version of the rules valid on the date on. With none it returns a
// *fault.FailedPrecondition (Reason NO_RULES_IN_FORCE, Type PROGRAMME_RULES) saying which periods the
// versions cover. Should stored versions overlap after all, the one that began last wins, as the newer word.
func RuleSetOn(versions []RuleSet, on Date) (RuleSet, error) {
	var found RuleSet
	ok := false
	var covered []string
	for _, r := range versions {
		covered = append(covered, r.Period.phrase())
		if r.Period.Contains(on) && (!ok || r.Period.From.After(found.Period.From)) {
			found, ok = r, true
		}
	}
	if ok {
		return found, nil
	}
	msg := fmt.Sprintf("no programme rules apply on %s", on)
	if len(covered) > 0 {
		msg += "; the rules cover " + prose.JoinAnd(covered)
	}
	return RuleSet{}, &fault.FailedPrecondition{
		Reason:     ReasonNoRulesInForce,
		Message:    msg,
		Violations: []fault.PreconditionViolation{{Type: TypeProgrammeRules, Subject: "programme-rules", Description: msg}},
	}
}

// CheckRuleSetNoOverlap checks that r shares no day with another version; a version with r's own ID is
// skipped, so an update may move its own dates. It returns a *fault.FailedPrecondition (Reason
// PERIOD_OVERLAP, Type PROGRAMME_RULES), or nil.
func CheckRuleSetNoOverlap(existing []RuleSet, r RuleSet) error {
	var clashes []Period
	for _, e := range existing {
		if r.ID != "" && e.ID == r.ID {
			continue
		}
		if e.Period.Overlaps(r.Period) {
			clashes = append(clashes, e.Period)
		}
	}
	if len(clashes) == 0 {
		return nil
	}
	return overlapFault(TypeProgrammeRules, "programme-rules", "the programme rules valid", r.Period, clashes)
}
