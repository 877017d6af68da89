package iati

import (
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// Version is the IATI Standard version the documents declare and follow.
const Version = "2.03"

// Header describes the publisher and the document. Every activity in the document is reported by this one
// organisation, in one default currency and one default language.
type Header struct {
	// GeneratedAt is when the document was made (iati-activities/@generated-datetime), and the
	// last-updated-datetime of activities that carry none of their own.
	GeneratedAt time.Time
	// ReportingOrgRef is the publisher's IATI organisation identifier, e.g. "SE-ON-2021004284" (SE-ON: the
	// Swedish organisation number). It is configuration, not code; its agency prefix must be in the
	// OrganisationRegistrationAgency codelist, and every activity identifier must start with it plus "-".
	ReportingOrgRef string
	// ReportingOrgName is the publisher's name, written as the reporting-org narrative.
	ReportingOrgName string
	// ReportingOrgType is an OrganisationType code, e.g. "10" (government).
	ReportingOrgType string
	// DefaultCurrency is an ISO 4217 code from the Currency codelist ("SEK"), the iati-activity
	// default-currency of every activity; budgets and transactions in it may leave their Currency empty.
	DefaultCurrency string
	// Lang is the default language of every narrative, a Language code ("en"), written as the xml:lang of
	// each iati-activity: the narratives inherit it, so they carry no xml:lang of their own.
	Lang string
}

// Date is a calendar date; the zero Date means "absent".
type Date = civil.Date

// Activity is one iati-activity: a network, a partnership or a funded application.
type Activity struct {
	// Identifier is the full iati-identifier: Header.ReportingOrgRef + "-" + the local id. Once published it
	// must never change.
	Identifier string
	// HierarchyLevel is 1 for a network, 2 for a partnership, 3 for an application.
	HierarchyLevel int
	// LastUpdated is when the activity's data last changed (@last-updated-datetime); zero means
	// Header.GeneratedAt.
	LastUpdated time.Time
	Title       string
	Description string
	// Status is an ActivityStatus code: 1 pipeline, 2 implementation, 3 finalisation, 4 closed,
	// 5 cancelled, 6 suspended.
	Status int
	// The four activity dates; zero means absent. A start (planned or actual) is required.
	PlannedStart, PlannedEnd, ActualStart, ActualEnd Date
	// Participants are the organisations taking part, at least one.
	Participants []Participant
	// RecipientCountry is an ISO 3166-1 alpha-2 code from the Country codelist (XK for Kosovo), or "" for an
	// activity without one country, such as a network.
	RecipientCountry string
	Sectors          []Sector
	Related          []Related
	Budgets          []Budget
	Transactions     []Transaction
	// Documents are links to the activity's public documents.
	Documents []DocumentLink
	// Results are the activity's expected results, with their indicators' baselines, targets and actuals.
	Results []Result
}

// DocumentLink is one document-link: a public document at URL.
type DocumentLink struct {
	URL string
	// Format is the document's IANA media type ("application/pdf").
	Format string
	Title  string
	// Category is a DocumentCategory code, e.g. "A08" (results, outcomes and outputs) or "A09" (memorandum of
	// understanding).
	Category string
}

// Result is one result of the activity.
type Result struct {
	// Type is a ResultType code: 1 output, 2 outcome.
	Type       int
	Title      string
	Indicators []Indicator
}

// Indicator is one indicator of a result.
type Indicator struct {
	// Measure is an IndicatorMeasure code: 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative.
	Measure int
	Title   string
	// Baseline is where the indicator stood; its Year is required when it is given (zero Year: none).
	Baseline IndicatorValue
	// Periods are the periods reported on, each with its target and what was achieved.
	Periods []ResultPeriod
}

// IndicatorValue is a baseline: a year, a day, a value (absent for a qualitative indicator) and a comment.
type IndicatorValue struct {
	Year    int
	Date    Date
	Value   string
	Comment string
}

// ResultPeriod is one period of an indicator: its target and the actual value reached in it.
type ResultPeriod struct {
	Start, End Date
	// Target and Actual are values as written ("12", "37.5"); "" leaves the element out.
	Target, Actual string
	// ActualComment describes the actual value, all a qualitative indicator has.
	ActualComment string
}

// Participant is one participating-org.
type Participant struct {
	// Ref is the organisation's IATI identifier (e.g. "SE-ON-2120001124"); "" when it has none, and then
	// Name is required.
	Ref  string
	Name string
	// Type is an OrganisationType code ("11" local government); "" leaves it out.
	Type string
	// Role is an OrganisationRole code: 1 funding, 2 accountable, 3 extending, 4 implementing.
	Role int
}

// Sector is one sector of the activity in one vocabulary.
type Sector struct {
	// Vocabulary is a SectorVocabulary code with a codelist here: "1" (OECD DAC 5-digit purpose codes, e.g.
	// 15150, 15112, 15185), "7" (SDG goal, e.g. "16") or "8" (SDG target, e.g. "16.7").
	Vocabulary string
	Code       string
	// Percentage is this sector's share; the shares of one vocabulary must add up to exactly 100 (a single
	// sector carries 100). Check refuses other sums rather than spreading them.
	Percentage int
}

// Related is one related-activity link.
type Related struct {
	// Type is a RelatedActivityType code: 1 parent, 2 child, 3 sibling (4 co-funded, 5 third party).
	Type int
	// Ref is the related activity's full iati-identifier.
	Ref string
}

// Budget is the planned amount for one period of at most a year. Splitting a longer budget into such
// periods (by calendar year) is the caller's job: Check refuses longer periods.
type Budget struct {
	Start, End Date
	// ValueMinor is the amount in minor units (öre), never negative; it is written with two decimals.
	ValueMinor int64
	// Currency is a Currency code; "" means Header.DefaultCurrency.
	Currency string
	// ValueDate is the date of the exchange rate the value was converted at; zero means Start.
	ValueDate Date
}

// Transaction is one transaction.
type Transaction struct {
	// Type is a TransactionType code: 2 outgoing commitment, 3 disbursement, 4 expenditure, ...
	Type int
	Date Date
	// ValueMinor is the amount in minor units (öre), written with two decimals. It may be negative: IATI
	// reports a reversal or a refund as a negative transaction.
	ValueMinor int64
	// Currency is a Currency code; "" means Header.DefaultCurrency.
	Currency string
	// ValueDate is the date of the exchange rate the value was converted at; zero means Date.
	ValueDate Date
	// Description is optional free text.
	Description string
}

// The codes the writer itself writes; the tests check that each is in its codelist.
const (
	dateTypePlannedStart = "1"
	dateTypeActualStart  = "2"
	dateTypePlannedEnd   = "3"
	dateTypeActualEnd    = "4"
	descriptionGeneral   = "1" // DescriptionType 1: general description
)

// The result types the writer writes (ResultType codelist).
const (
	ResultOutput  = 1
	ResultOutcome = 2
)
