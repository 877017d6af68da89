package domain

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

const hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

var receiptN int

func claimLine(t *testing.T, id, budgetLine string, c Category, minor int64, cur, rate string) ClaimLine {
	t.Helper()
	receiptN++
	r, err := money.ParseRate(rate)
	if err != nil {
		t.Fatal(err)
	}
	conv, err := money.ToSEK(money.Amount{Minor: minor, Currency: cur}, r, Date{Year: 2026, Month: 3, Day: 2}, "Riksbanken")
	if err != nil {
		t.Fatal(err)
	}
	return ClaimLine{ID: id, Date: Date{Year: 2026, Month: 3, Day: 3}, Category: c, BudgetLineID: budgetLine, Cost: conv,
		Receipt: Receipt{FileName: "kvitto.pdf", Size: 1234, SHA256: fmt.Sprintf("%064x", receiptN),
			DocumentID: fmt.Sprintf("0190c5a2-0000-7000-8000-%012x", receiptN)}}
}

// firstHalf2026 is the reporting period of the test claims.
var firstHalf2026 = Period{From: Date{Year: 2026, Month: 1, Day: 1}, To: Date{Year: 2026, Month: 6, Day: 30}}

func TestValidateClaimLines(t *testing.T) {
	budget := []Line{line("travel", CategoryTravel, 2026, 10_000), line("visa", CategoryVisa, 2026, 1_000)}
	good := []ClaimLine{claimLine(t, "1", "travel", CategoryTravel, 450_000, "ZMW", "0.41"), claimLine(t, "2", "visa", CategoryVisa, 50_000, "SEK", "1")}
	if err := ValidateClaimLines(good, budget, firstHalf2026); err != nil {
		t.Fatal(err)
	}
	bad := []ClaimLine{
		claimLine(t, "1", "other-budgets-line", CategoryTravel, 100, "SEK", "1"),
		claimLine(t, "1", "travel", CategoryVisa, 100, "SEK", "1"),
		claimLine(t, "3", "travel", CategoryPerDiems, 100, "SEK", "1"),
		claimLine(t, "4", "travel", CategoryTravel, 1, "UGX", "0.000001"),
		claimLine(t, "5", "travel", CategoryTravel, 100, "SEK", "1"),
		claimLine(t, "6", "travel", CategoryTravel, 100, "SEK", "1"),
		claimLine(t, "7", "travel", CategoryTravel, 100, "SEK", "1"),
	}
	bad[3].Receipt = Receipt{FileName: "../x.pdf", SHA256: strings.ToUpper(hash)}
	bad[3].Date = Date{}
	bad[4].Date = Date{Year: 2026, Month: 7, Day: 1}  // after the period
	bad[5].Date = Date{Year: 2025, Month: 12, Day: 1} // another year than the line's (and before the period)
	bad[6].Receipt = bad[2].Receipt                   // a receipt used twice
	var inv *fault.Invalid
	if !errors.As(ValidateClaimLines(bad, budget, firstHalf2026), &inv) {
		t.Fatal("bad claim lines accepted")
	}
	fields := map[string]bool{}
	for _, v := range inv.Violations {
		fields[v.Field] = true
	}
	for _, f := range []string{"lines[0].budget_line_id", "lines[1].id", "lines[1].category", "lines[2].category", "lines[3].cost.sek",
		"lines[3].date", "lines[3].receipt.file_name", "lines[3].receipt.size", "lines[3].receipt.sha256", "lines[3].receipt.document_id", "lines[4].date", "lines[5].date",
		"lines[6].receipt.sha256"} {
		if !fields[f] {
			t.Errorf("no violation for %s: %v", f, inv)
		}
	}
}

func TestDecide(t *testing.T) {
	lines := []ClaimLine{claimLine(t, "1", "t", CategoryTravel, 10_000, "SEK", "1"), claimLine(t, "2", "t", CategoryTravel, 5_000, "SEK", "1")}
	tests := []struct {
		name   string
		ds     []LineDecision
		status Status
		total  int64
		field  string
	}{
		{"in full", []LineDecision{{"1", money.SEKOre(10_000), ""}, {"2", money.SEKOre(5_000), ""}}, StatusApproved, 15_000, ""},
		{"in part", []LineDecision{{"1", money.SEKOre(10_000), ""}, {"2", money.SEKOre(0), "per diem hidden as travel"}}, StatusPartlyApproved, 10_000, ""},
		{"nothing", []LineDecision{{"1", money.SEKOre(0), "no receipt"}, {"2", money.SEKOre(0), "no receipt"}}, StatusRejected, 0, ""},
		{"no reason", []LineDecision{{"1", money.SEKOre(1), ""}, {"2", money.SEKOre(5_000), ""}}, "", 0, "decisions[0].reason"},
		{"over cost", []LineDecision{{"1", money.SEKOre(10_001), ""}, {"2", money.SEKOre(5_000), ""}}, "", 0, "decisions[0].approved"},
		{"missing line", []LineDecision{{"1", money.SEKOre(10_000), ""}}, "", 0, "decisions"},
		{"twice", []LineDecision{{"1", money.SEKOre(1), "x"}, {"1", money.SEKOre(1), "x"}, {"2", money.SEKOre(1), "x"}}, "", 0, "decisions[1].line_id"},
	}
	for _, tt := range tests {
		st, total, err := decideLines(lines, tt.ds)
		if tt.field != "" {
			var inv *fault.Invalid
			if !errors.As(err, &inv) || inv.Violations[0].Field != tt.field {
				t.Errorf("%s: err = %v, want a violation of %s", tt.name, err, tt.field)
			}
			continue
		}
		if err != nil || st != tt.status || total != money.SEKOre(tt.total) {
			t.Errorf("%s: got %s %v %v", tt.name, st, total, err)
		}
	}
}

func TestClaimLifecycle(t *testing.T) {
	for _, path := range [][]Step{{StepSubmit, StepApprove, StepPay}, {StepSubmit, StepReject}} {
		s := StatusDraft
		for _, step := range path {
			var err error
			if s, err = NextClaimStatus(s, step, "claims/1"); err != nil {
				t.Fatalf("%v: %v", path, err)
			}
		}
	}
	if s, err := NextClaimStatus(StatusPartlyApproved, StepPay, "c"); err != nil || s != StatusPaid {
		t.Fatalf("paying a partly approved claim: %v", err)
	}
	for _, from := range []Status{StatusDraft, StatusSubmitted, StatusRejected, StatusPaid} {
		if _, err := NextClaimStatus(from, StepPay, "c"); err == nil {
			t.Errorf("a %s claim was paid", from)
		}
	}
}
