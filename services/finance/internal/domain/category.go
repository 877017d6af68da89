// Package domain holds the finance service's programme rules as plain Go: budget categories and caps, budget
// and claim lifecycles, the double-entry ledger with its hash chain, and the SIE 4 export of payments. Nothing
// here knows of gRPC, SQL or clocks, so every rule can be tested on its own; errors are the platform's fault
// types, naming fields and rules in words a municipal official understands.
package domain

import (
	"fmt"
	"strings"
)

// Stable reasons of the errors this package returns.
const (
	ReasonInvalidArgument    = "INVALID_ARGUMENT"
	ReasonBudgetRules        = "BUDGET_RULES"
	ReasonBadState           = "BAD_STATE"
	ReasonSelfApproval       = "SELF_APPROVAL"
	ReasonLineOverspent      = "BUDGET_LINE_OVERSPENT"
	ReasonBudgetClosed       = "BUDGET_CLOSED"
	ReasonUnbalanced         = "LEDGER_UNBALANCED"
	ReasonChainBroken        = "LEDGER_CHAIN_BROKEN"
	ReasonIneligibleCategory = "INELIGIBLE_CATEGORY"
)

// Category is a kind of cost; the lower-case snake-case value is what the API and the database carry.
type Category string

// The categories the programme funds.
const (
	CategoryTravel                    Category = "travel"
	CategoryAccommodation             Category = "accommodation"
	CategoryLocalTravel               Category = "local_travel"
	CategoryVenue                     Category = "venue"
	CategoryVisa                      Category = "visa"
	CategoryClimateCompensation       Category = "climate_compensation"
	CategoryInterpretationTranslation Category = "interpretation_translation"
	CategoryWorkInput                 Category = "work_input"
	CategoryOtherApproved             Category = "other_approved"
)

// The categories the programme never funds. They exist as values, rather than being simply unknown, so that a
// refusal can say why ("per diems are not funded") instead of "unknown category".
const (
	CategorySalaries  Category = "salaries"
	CategoryPerDiems  Category = "per_diems"
	CategoryExtraDays Category = "extra_days"
)

type categoryInfo struct {
	label    string
	eligible bool
	// refusal explains an ineligible category in plain words; empty for eligible ones.
	refusal string
}

var categories = map[Category]categoryInfo{
	CategoryTravel:                    {label: "travel", eligible: true},
	CategoryAccommodation:             {label: "accommodation", eligible: true},
	CategoryLocalTravel:               {label: "local travel in the partner country", eligible: true},
	CategoryVenue:                     {label: "venue rent", eligible: true},
	CategoryVisa:                      {label: "visa costs", eligible: true},
	CategoryClimateCompensation:       {label: "climate compensation for travel", eligible: true},
	CategoryInterpretationTranslation: {label: "interpretation and translation", eligible: true},
	CategoryWorkInput:                 {label: "work input (hours × hourly rate)", eligible: true},
	CategoryOtherApproved:             {label: "other approved costs", eligible: true},
	CategorySalaries: {label: "salaries", refusal: "salaries as such are not funded; " +
		"the working time of Swedish participants is budgeted as work input (hours × hourly rate)"},
	CategoryPerDiems: {label: "per diems", refusal: "per diems (traktamente) are not funded; " +
		"budget the actual costs of travel, accommodation and local travel instead"},
	CategoryExtraDays: {label: "extra days", refusal: "extra days added to a trip are not funded; " +
		"budget only the days of the exchange itself"},
}

// Categories returns every category, the eligible ones first, in the order of the programme's guideline.
func Categories() []Category {
	return []Category{
		CategoryTravel, CategoryAccommodation, CategoryLocalTravel, CategoryVenue, CategoryVisa,
		CategoryClimateCompensation, CategoryInterpretationTranslation, CategoryWorkInput, CategoryOtherApproved,
		CategorySalaries, CategoryPerDiems, CategoryExtraDays,
	}
}

// EligibleCategories returns the categories the programme funds.
func EligibleCategories() []Category {
	var out []Category
	for _, c := range Categories() {
		if c.Eligible() {
			out = append(out, c)
		}
	}
	return out
}

// Valid reports whether c is a known category, eligible or not.
func (c Category) Valid() bool { _, ok := categories[c]; return ok }

// Eligible reports whether the programme funds c.
func (c Category) Eligible() bool { return categories[c].eligible }

// Label is the category in words for messages, e.g. "local travel in the partner country".
func (c Category) Label() string {
	if i, ok := categories[c]; ok {
		return i.label
	}
	return string(c)
}

// Refusal says in plain words why the programme does not fund c; empty when it does or c is unknown.
func (c Category) Refusal() string { return categories[c].refusal }

// categoryChoices lists the eligible values for "choose ..." messages.
func categoryChoices() string {
	var s []string
	for _, c := range EligibleCategories() {
		s = append(s, string(c))
	}
	return strings.Join(s, ", ")
}

// unknownCategory is the message for a value that is no category at all.
func unknownCategory(c Category) string {
	return fmt.Sprintf("%q is not a cost category; choose %s", string(c), categoryChoices())
}
