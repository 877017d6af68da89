// Package programme holds the rules of ICLD's municipal partnership programme as plain Go: which countries
// may take part and when, the application kinds and their lifecycle, phase lengths, application windows,
// steering groups, teams and exchange visits.
//
// Every number ICLD can change lives in data (RuleSet, Window, CountryEligibility), each version with a
// validity Period, so that the rule that applied when a decision was taken still explains it later. The
// Default* functions return the numbers of programme.md for seeding; nothing here treats them as constants.
//
// Rules report bad input as *fault.Invalid whose field paths are request paths built from a caller's
// prefix, and broken programme rules as *fault.FailedPrecondition, both in words a municipal official
// understands. Checks that need stored data take that data as arguments; the store and server load it.
package programme

import (
	"fmt"
)

// Reasons this package puts in faults; clients may switch on them, so they never change once published.
const (
	// ReasonInvalidArgument is the Reason of every *fault.Invalid from this package, as in fault.InvalidField.
	ReasonInvalidArgument = "INVALID_ARGUMENT"
	// ReasonIllegalTransition says an application step is not allowed from the application's status.
	ReasonIllegalTransition = "ILLEGAL_TRANSITION"
	// ReasonCountryNotEligible says a country is not a cooperation country on the date that matters.
	ReasonCountryNotEligible = "COUNTRY_NOT_ELIGIBLE"
	// ReasonPeriodOverlap says a new version of some rule data would overlap another version's validity.
	ReasonPeriodOverlap = "PERIOD_OVERLAP"
	// ReasonNoRulesInForce says no version of the programme rules applies on a date.
	ReasonNoRulesInForce = "NO_RULES_IN_FORCE"
	// ReasonOutsideWindow says an application was submitted outside every window for its kind.
	ReasonOutsideWindow = "OUTSIDE_APPLICATION_WINDOW"
	// ReasonInceptionNotClosed says a project was applied for before the inception phase closed.
	ReasonInceptionNotClosed = "INCEPTION_NOT_CLOSED"
	// ReasonInceptionExists says a partnership already has its one inception application.
	ReasonInceptionExists = "INCEPTION_EXISTS"
	// ReasonSteeringGroupIncomplete says the steering group's composition breaks the programme's rule.
	ReasonSteeringGroupIncomplete = "STEERING_GROUP_INCOMPLETE"
	// ReasonTeamIncomplete says an inception or project team breaks the programme's rule.
	ReasonTeamIncomplete = "TEAM_INCOMPLETE"
	// ReasonVisitsNotCompliant says the parties did not meet as often, or host as evenly, as the rules ask.
	ReasonVisitsNotCompliant = "VISITS_NOT_COMPLIANT"
)

// Types of fault.PreconditionViolation this package reports, naming the kind of rule that was broken.
const (
	TypeState             = "STATE"
	TypeEligibility       = "ELIGIBILITY"
	TypeApplicationWindow = "APPLICATION_WINDOW"
	TypeProgrammeRules    = "PROGRAMME_RULES"
	TypePhase             = "PHASE"
	TypeSteeringGroup     = "STEERING_GROUP"
	TypeTeam              = "TEAM"
	TypeVisits            = "VISITS"
)

// path joins a request-path prefix and a field name, so callers may validate a message at the top level
// (empty prefix) or nested inside another.
func path(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// plural writes a count with its noun ("1 meeting", "2 meetings", "no meetings"), because messages built
// from numbers must still read as sentences.
func plural(n int, one, many string) string {
	switch n {
	case 0:
		return "no " + many
	case 1:
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
