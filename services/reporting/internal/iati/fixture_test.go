package iati

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/services/reporting/internal/iati/xsd"
)

const icld = "SE-ON-2021004284"

func header() Header {
	return Header{
		GeneratedAt:      time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC),
		ReportingOrgRef:  icld,
		ReportingOrgName: "International Centre for Local Democracy (ICLD)",
		ReportingOrgType: "10",
		DefaultCurrency:  "SEK",
		Lang:             "en",
	}
}

func day(y int, m time.Month, d int) Date { return Date{Year: y, Month: m, Day: d} }

var (
	sida   = Participant{Ref: "SE-0", Name: "Swedish International Development Cooperation Agency (Sida)", Type: "10", Role: 1}
	icldP  = Participant{Ref: icld, Name: "International Centre for Local Democracy (ICLD)", Type: "10", Role: 3}
	malmo  = Participant{Ref: "SE-ON-2120001124", Name: "Malmö stad", Type: "11", Role: 4}
	lusaka = Participant{Name: "Lusaka City Council", Type: "11", Role: 4} // no registered identifier
)

// programme returns the demo's three levels with every field set: the climate network, the Malmö–Lusaka
// partnership in it, and the partnership's project application.
func programme() []Activity {
	network := Activity{
		Identifier:     icld + "-N-CLIMATE-2022",
		HierarchyLevel: 1,
		LastUpdated:    time.Date(2025, 10, 1, 8, 0, 0, 0, time.UTC),
		Title:          "Climate network, Southern and East Africa 2022-2025",
		Description:    "Partnerships between Swedish and African local governments on local climate action.",
		Status:         2,
		PlannedStart:   day(2022, 1, 1),
		PlannedEnd:     day(2025, 12, 31),
		ActualStart:    day(2022, 2, 1),
		Participants:   []Participant{sida, icldP},
		Sectors: []Sector{
			{Vocabulary: "1", Code: "15112", Percentage: 50},
			{Vocabulary: "1", Code: "15150", Percentage: 50},
			{Vocabulary: "7", Code: "13", Percentage: 100},
		},
		Related: []Related{{Type: 2, Ref: icld + "-P-MALMO-LUSAKA"}},
		Budgets: []Budget{{Start: day(2025, 1, 1), End: day(2025, 12, 31), ValueMinor: 300_000_000, ValueDate: day(2025, 1, 1)}},
	}
	partnership := Activity{
		Identifier:       icld + "-P-MALMO-LUSAKA",
		HierarchyLevel:   2,
		LastUpdated:      time.Date(2025, 11, 3, 14, 5, 0, 0, time.UTC),
		Title:            "Youth and the environment",
		Description:      "Malmö stad and Lusaka City Council on young people's influence over local environmental questions.",
		Status:           2,
		PlannedStart:     day(2023, 3, 1),
		PlannedEnd:       day(2026, 2, 28),
		ActualStart:      day(2023, 3, 15),
		Participants:     []Participant{sida, icldP, malmo, lusaka},
		RecipientCountry: "ZM",
		Sectors: []Sector{
			{Vocabulary: "1", Code: "15150", Percentage: 60},
			{Vocabulary: "1", Code: "15185", Percentage: 40},
			{Vocabulary: "8", Code: "16.7", Percentage: 70},
			{Vocabulary: "8", Code: "16.6", Percentage: 30},
		},
		Related: []Related{{Type: 1, Ref: network.Identifier}, {Type: 2, Ref: icld + "-A-MALMO-LUSAKA-2025"}},
		Budgets: []Budget{
			{Start: day(2024, 1, 1), End: day(2024, 12, 31), ValueMinor: 50_000_000, Currency: "SEK", ValueDate: day(2024, 1, 1)},
			{Start: day(2025, 1, 1), End: day(2025, 12, 31), ValueMinor: 50_000_000, Currency: "SEK", ValueDate: day(2025, 1, 1)},
		},
	}
	application := Activity{
		Identifier:       icld + "-A-MALMO-LUSAKA-2025",
		HierarchyLevel:   3,
		LastUpdated:      time.Date(2025, 11, 18, 10, 0, 0, 0, time.UTC),
		Title:            "Project 2025: a digital toolbox for youth influence",
		Description:      "Project application, year 1 of 3.",
		Status:           4,
		PlannedStart:     day(2025, 1, 1),
		PlannedEnd:       day(2025, 12, 31),
		ActualStart:      day(2025, 1, 15),
		ActualEnd:        day(2025, 11, 14),
		Participants:     []Participant{sida, icldP, malmo, lusaka},
		RecipientCountry: "ZM",
		Sectors: []Sector{
			{Vocabulary: "1", Code: "15150", Percentage: 100},
			{Vocabulary: "8", Code: "16.7", Percentage: 100},
		},
		Related: []Related{{Type: 1, Ref: partnership.Identifier}},
		Budgets: []Budget{{Start: day(2025, 1, 1), End: day(2025, 12, 31), ValueMinor: 50_000_000, Currency: "SEK", ValueDate: day(2025, 1, 1)}},
		Transactions: []Transaction{
			{Type: 2, Date: day(2025, 1, 10), ValueMinor: 50_000_000, Currency: "SEK", ValueDate: day(2025, 1, 10), Description: "Approved project budget 2025"},
			{Type: 3, Date: day(2025, 6, 30), ValueMinor: 13_400_050, Currency: "SEK", ValueDate: day(2025, 6, 30), Description: "Reimbursement, partial report 1"},
			{Type: 3, Date: day(2025, 9, 1), ValueMinor: -120_000, Description: "Refund of an unused visa fee"},
		},
	}
	return []Activity{network, partnership, application}
}

// source returns a next function yielding as.
func source(as []Activity) func() (Activity, bool, error) {
	i := 0
	return func() (Activity, bool, error) {
		if i == len(as) {
			return Activity{}, false, nil
		}
		i++
		return as[i-1], true, nil
	}
}

// writeDoc writes as into a byte slice, failing the test on any error.
func writeDoc(t *testing.T, h Header, as []Activity) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, h, source(as)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// mustValidate saves doc in a temporary file and validates it with xmllint against the copied XSD; a
// missing xmllint fails the test (it says what to install).
func mustValidate(t *testing.T, doc []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "activities.xml")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := xsd.Validate(context.Background(), path); err != nil {
		if len(doc) > 64<<10 {
			doc = append(doc[:64<<10:64<<10], "\n... (cut)"...)
		}
		t.Fatalf("%v\ndocument:\n%s", err, doc)
	}
}
