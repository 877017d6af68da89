package iati

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCheckAcceptsTheProgramme(t *testing.T) {
	if err := CheckHeader(header()); err != nil {
		t.Fatal(err)
	}
	for _, a := range programme() {
		if err := Check(a); err != nil {
			t.Error(err)
		}
	}
}

// Every code Check knows is refused by name, with its codelist, all in one error.
func TestCheckRefusesBadCodes(t *testing.T) {
	a := programme()[2]
	a.Status = 7
	a.Participants[0].Role = 5
	a.Participants[1].Type = "12"
	a.RecipientCountry = "AN" // Netherlands Antilles: in the list, but withdrawn
	a.Sectors = []Sector{
		{Vocabulary: "1", Code: "15159", Percentage: 100}, // not a DAC purpose code
		{Vocabulary: "8", Code: "16.99", Percentage: 100},
		{Vocabulary: "7", Code: "18", Percentage: 100},
		{Vocabulary: "2", Code: "151", Percentage: 100}, // DAC 3-digit: a real vocabulary without a list here
		{Vocabulary: "13", Code: "x", Percentage: 100},
	}
	a.Related[0].Type = 6
	a.Budgets[0].Currency = "SKR"
	a.Transactions[0].Type = 14
	a.Transactions[1].Currency = "ZMK" // Zambian kwacha before 2013: withdrawn
	err := Check(a)
	var p *Problems
	if !errors.As(err, &p) || p.Subject != `activity "`+a.Identifier+`"` {
		t.Fatalf("Check: %v", err)
	}
	for _, want := range []string{
		`activity status "7" is not in the ActivityStatus codelist`,
		`participant 1 (Swedish International Development Cooperation Agency (Sida)) role "5" is not in the OrganisationRole codelist`,
		`participant 2 (International Centre for Local Democracy (ICLD)) type "12" is not in the OrganisationType codelist`,
		`recipient country "AN" is withdrawn from the Country codelist`,
		`sector (vocabulary 1) "15159" is not in the Sector codelist`,
		`sector (vocabulary 8) "16.99" is not in the UNSDG-Targets codelist`,
		`sector (vocabulary 7) "18" is not in the UNSDG-Goals codelist`,
		`sector vocabulary "2" has no codelist here`,
		`sector vocabulary "13" is not in the SectorVocabulary codelist`,
		`budget 1 currency "SKR" is not in the Currency codelist`,
		`transaction 1 type "14" is not in the TransactionType codelist`,
		`transaction 2 currency "ZMK" is withdrawn from the Currency codelist`,
		`related activity 1 type "6" is not in the RelatedActivityType codelist`,
	} {
		if !containsProblem(p, want) {
			t.Errorf("missing problem %q", want)
		}
	}
	if len(p.List) != 13 {
		t.Errorf("%d problems, want 13:\n%s", len(p.List), strings.Join(p.List, "\n"))
	}
}

func TestCheckHeaderRefusesBadCodes(t *testing.T) {
	err := CheckHeader(Header{ReportingOrgRef: "SX-ON-2021004284", ReportingOrgType: "99", DefaultCurrency: "sek", Lang: "sw-SE"})
	var p *Problems
	if !errors.As(err, &p) || p.Subject != "header" {
		t.Fatalf("CheckHeader: %v", err)
	}
	for _, want := range []string{
		"the generation time is missing",
		`reporting-org ref "SX-ON-2021004284" does not start with an agency of the OrganisationRegistrationAgency codelist`,
		"the reporting organisation's name is empty",
		`reporting-org type "99" is not in the OrganisationType codelist`,
		`default currency "sek" is not in the Currency codelist`,
		`language "sw-SE" is not in the Language codelist`, // the codelist has ISO 639-1 codes only: sv
	} {
		if !containsProblem(p, want) {
			t.Errorf("missing problem %q in %v", want, p)
		}
	}
	// Agencies contain hyphens themselves; the longest one that prefixes the ref with a number after it counts.
	for _, ref := range []string{"XM-DAC-10-1", "SE-ON-2021004284", "XI-IATI-ICLD"} {
		h := header()
		h.ReportingOrgRef = ref
		if err := CheckHeader(h); err != nil {
			t.Errorf("ref %s: %v", ref, err)
		}
	}
	for _, ref := range []string{"SE-ON", "SE-ON-", "SE-0", "SE-ON-2021 004284", "SE-ON-1/2"} {
		h := header()
		h.ReportingOrgRef = ref
		if err := CheckHeader(h); err == nil {
			t.Errorf("ref %q accepted", ref)
		}
	}
}

// The rules the schema cannot express and the writer relies on.
func TestCheckRefusesBrokenRules(t *testing.T) {
	cases := map[string]struct {
		change func(*Activity)
		want   string
	}{
		"identifier":     {func(a *Activity) { a.Identifier = "SE-ON-2021004284-A 1" }, "contains white space"},
		"identifier sym": {func(a *Activity) { a.Identifier = "SE-ON-2021004284-A&1" }, "contains one of / & | ?"},
		"hierarchy":      {func(a *Activity) { a.HierarchyLevel = 0 }, "hierarchy level 0"},
		"title":          {func(a *Activity) { a.Title = "  " }, "the title is empty"},
		"description":    {func(a *Activity) { a.Description = "" }, "the description is empty"},
		"no start": {func(a *Activity) { a.PlannedStart, a.ActualStart, a.ActualEnd = Date{}, Date{}, Date{} },
			"neither a planned nor an actual start date"},
		"bad date":       {func(a *Activity) { a.PlannedEnd = day(2025, 2, 29) }, "planned end 2025-02-29 is not a date"},
		"absurd year":    {func(a *Activity) { a.PlannedEnd = day(20251, 1, 1) }, "is not a date between 1900 and 2200"},
		"end first":      {func(a *Activity) { a.PlannedEnd = day(2024, 12, 31) }, "the planned end 2024-12-31 is before the planned start 2025-01-01"},
		"end no start":   {func(a *Activity) { a.ActualStart = Date{} }, "an actual end without an actual start"},
		"no orgs":        {func(a *Activity) { a.Participants = nil }, "no participating organisation"},
		"anonymous org":  {func(a *Activity) { a.Participants[3].Name = "" }, "participant 4 has neither a ref nor a name"},
		"sum":            {func(a *Activity) { a.Sectors[0].Percentage = 90 }, "the sector percentages of vocabulary 1 add up to 90, not 100"},
		"zero share":     {func(a *Activity) { a.Sectors = append(a.Sectors, Sector{Vocabulary: "1", Code: "15112"}) }, "has the percentage 0"},
		"twice":          {func(a *Activity) { a.Sectors = append(a.Sectors, a.Sectors[0]) }, "sector 15150 appears twice in vocabulary 1"},
		"self":           {func(a *Activity) { a.Related[0].Ref = a.Identifier }, "points at the activity itself"},
		"no ref":         {func(a *Activity) { a.Related[0].Ref = "" }, "the related activity 1 ref is empty"},
		"long budget":    {func(a *Activity) { a.Budgets[0].End = day(2026, 1, 1) }, "longer than a year: split it by calendar year"},
		"budget order":   {func(a *Activity) { a.Budgets[0].End = day(2024, 12, 1) }, "budget 1 ends (2024-12-01) before it starts (2025-01-01)"},
		"open budget":    {func(a *Activity) { a.Budgets[0].End = Date{} }, "budget 1 needs both a start and an end"},
		"negative":       {func(a *Activity) { a.Budgets[0].ValueMinor = -1 }, "budget 1 is negative (-0.01)"},
		"absurd":         {func(a *Activity) { a.Transactions[0].ValueMinor = maxMinor + 1 }, "transaction 1 value 1000000000000.01 is beyond ±1000000000000.00"},
		"absurd refund":  {func(a *Activity) { a.Transactions[2].ValueMinor = -maxMinor - 1 }, "transaction 3 value -1000000000000.01 is beyond"},
		"no tx date":     {func(a *Activity) { a.Transactions[0].Date = Date{} }, "transaction 1 has no date"},
		"bad value date": {func(a *Activity) { a.Transactions[0].ValueDate = day(2025, 13, 1) }, "transaction 1 value date 2025-13-01 is not a date"},
		"overlap": {func(a *Activity) {
			a.Budgets = append(a.Budgets, Budget{Start: day(2025, 12, 31), End: day(2026, 6, 30), ValueMinor: 1})
		}, "budget 2 (2025-12-31 to 2026-06-30) overlaps budget 1 (2025-01-01 to 2025-12-31)"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := programme()[2]
			tc.change(&a)
			err := Check(a)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want %q, got %v", tc.want, err)
			}
		})
	}
}

// A budget of exactly one year, from any day, is fine; so is a negative transaction (a refund) and a budget
// in another currency.
func TestCheckAcceptsEdges(t *testing.T) {
	a := programme()[2]
	a.Budgets = []Budget{
		{Start: day(2024, 3, 1), End: day(2025, 2, 28), ValueMinor: 0},
		{Start: day(2025, 3, 1), End: day(2025, 3, 1), ValueMinor: maxMinor, Currency: "EUR", ValueDate: day(2025, 2, 27)},
	}
	a.Transactions[0].ValueMinor = -maxMinor
	a.LastUpdated = time.Time{}
	if err := Check(a); err != nil {
		t.Fatal(err)
	}
}

func containsProblem(p *Problems, want string) bool {
	for _, got := range p.List {
		if strings.Contains(got, want) {
			return true
		}
	}
	return false
}
