package domain

import (
	"errors"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// decision is a claim of two 100 SEK lines on the budget line "travel-2026", written by a member, submitted by
// another member and decided by a coordinator, with 500 SEK left on the line.
func decision(t *testing.T) ClaimDecision {
	t.Helper()
	lines := []ClaimLine{
		claimLine(t, "1", "travel-2026", CategoryTravel, 10_000, "SEK", "1"),
		claimLine(t, "2", "travel-2026", CategoryTravel, 10_000, "SEK", "1"),
	}
	return ClaimDecision{BudgetID: "b1", OrgID: "malmo", Lines: lines,
		Creator: "member-a", Submitter: "member-b", Approver: "coordinator",
		Decisions:    []LineDecision{{LineID: "1", Approved: money.SEKOre(10_000)}, {LineID: "2", Approved: money.SEKOre(10_000)}},
		BudgetStatus: StatusApproved,
		Spend:        map[string]LineSpend{"travel-2026": {LineID: "travel-2026", Approved: money.SEKOre(80_000), Spent: money.SEKOre(30_000)}}}
}

var rejectBoth = []LineDecision{{LineID: "1", Approved: money.SEKOre(0), Reason: "no receipt"}, {LineID: "2", Approved: money.SEKOre(0), Reason: "no receipt"}}

const selfApproval = "you wrote or submitted this, so another coordinator must approve it"

// TestDecideClaimFourEyes: whoever wrote or submitted a claim may neither approve nor reject it, and hears so
// once, in one violation, whatever else is wrong with the decision but the decisions themselves.
func TestDecideClaimFourEyes(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ClaimDecision)
		reason string // "" means allowed
		field  string // for INVALID_ARGUMENT, the field named
	}{
		{"another coordinator approves", func(*ClaimDecision) {}, "", ""},
		{"another coordinator rejects", func(d *ClaimDecision) { d.Decisions = rejectBoth }, "", ""},
		{"the writer approves", func(d *ClaimDecision) { d.Approver = "member-a" }, ReasonSelfApproval, ""},
		{"the submitter approves", func(d *ClaimDecision) { d.Approver = "member-b" }, ReasonSelfApproval, ""},
		{"the submitter rejects", func(d *ClaimDecision) { d.Approver, d.Decisions = "member-b", rejectBoth }, ReasonSelfApproval, ""},
		{"a coordinator who wrote and submitted it", func(d *ClaimDecision) { d.Creator, d.Submitter = "coordinator", "coordinator" }, ReasonSelfApproval, ""},
		{"the submitter on a closed budget over a spent line", func(d *ClaimDecision) {
			d.Approver, d.BudgetStatus = "member-b", StatusClosed
			d.Spend = nil
		}, ReasonSelfApproval, ""},
		{"bad decisions come first", func(d *ClaimDecision) {
			d.Approver = "member-b"
			d.Decisions = d.Decisions[:1]
		}, ReasonInvalidArgument, "decisions"},
		{"an unknown approver", func(d *ClaimDecision) { d.Approver = "" }, ReasonInvalidArgument, "approver"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decision(t)
			tt.change(&d)
			_, err := DecideClaim(d)
			var fp *fault.FailedPrecondition
			var inv *fault.Invalid
			switch {
			case tt.reason == "":
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
			case tt.reason == ReasonInvalidArgument:
				if !errors.As(err, &inv) || inv.Violations[0].Field != tt.field {
					t.Fatalf("err = %v; want a violation of %s", err, tt.field)
				}
			case !errors.As(err, &fp):
				t.Fatalf("err = %v; want a *fault.FailedPrecondition", err)
			default:
				want := []fault.PreconditionViolation{{Type: ReasonSelfApproval, Subject: d.Approver, Description: selfApproval}}
				if fp.Reason != tt.reason || fp.Message != selfApproval || !slices.Equal(fp.Violations, want) {
					t.Errorf("got %s %q %+v; want %s once", fp.Reason, fp.Message, fp.Violations, tt.reason)
				}
			}
		})
	}
}

func TestDecideClaimBudget(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ClaimDecision)
		want   []fault.PreconditionViolation // nil means allowed
	}{
		{"within what is left", func(*ClaimDecision) {}, nil},
		{"exactly what is left", func(d *ClaimDecision) {
			d.Spend["travel-2026"] = LineSpend{Approved: money.SEKOre(20_000), Spent: money.SEKOre(0)}
		}, nil},
		{"the lines together overspend", func(d *ClaimDecision) {
			d.Spend["travel-2026"] = LineSpend{Approved: money.SEKOre(80_000), Spent: money.SEKOre(65_000)}
		}, []fault.PreconditionViolation{{Type: ReasonLineOverspent, Subject: "budget_lines/travel-2026",
			Description: `approving 200,00 SEK would overspend the budget line "travel-2026", which has 150,00 SEK left`}}},
		{"a line with no spend row has nothing left", func(d *ClaimDecision) { d.Spend = nil },
			[]fault.PreconditionViolation{{Type: ReasonLineOverspent, Subject: "budget_lines/travel-2026",
				Description: `approving 200,00 SEK would overspend the budget line "travel-2026", which has 0,00 SEK left`}}},
		{"every overspent line is named, in id order", func(d *ClaimDecision) {
			d.Lines[0].BudgetLineID = "venue-2026"
			d.Spend = map[string]LineSpend{"venue-2026": {Approved: money.SEKOre(5_000), Spent: money.SEKOre(0)}}
		}, []fault.PreconditionViolation{
			{Type: ReasonLineOverspent, Subject: "budget_lines/travel-2026",
				Description: `approving 100,00 SEK would overspend the budget line "travel-2026", which has 0,00 SEK left`},
			{Type: ReasonLineOverspent, Subject: "budget_lines/venue-2026",
				Description: `approving 100,00 SEK would overspend the budget line "venue-2026", which has 50,00 SEK left`}}},
		{"approving on a closed budget", func(d *ClaimDecision) { d.BudgetStatus = StatusClosed },
			[]fault.PreconditionViolation{{Type: ReasonBudgetClosed, Subject: "budgets/b1", Description: "the claim's budget is closed; no more money moves on it"}}},
		{"rejecting on a closed, spent budget moves no money", func(d *ClaimDecision) {
			d.BudgetStatus, d.Spend, d.Decisions = StatusClosed, nil, rejectBoth
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decision(t)
			tt.change(&d)
			_, err := DecideClaim(d)
			var fp *fault.FailedPrecondition
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want == nil:
			case !errors.As(err, &fp):
				t.Fatalf("err = %v; want a *fault.FailedPrecondition", err)
			case fp.Reason != tt.want[0].Type || fp.Message != tt.want[0].Description || !slices.Equal(fp.Violations, tt.want):
				t.Errorf("got %s %q %+v; want %+v", fp.Reason, fp.Message, fp.Violations, tt.want)
			}
		})
	}
}

func TestDecideClaimOutcome(t *testing.T) {
	d := decision(t)
	d.Lines[1].BudgetLineID = "venue-2026"
	d.Decisions[1] = LineDecision{LineID: "2", Approved: money.SEKOre(2_500), Reason: "a meal is not a venue"}
	d.Spend["venue-2026"] = LineSpend{Approved: money.SEKOre(2_500), Spent: money.SEKOre(0)}
	got, err := DecideClaim(d)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusPartlyApproved || got.Approved != money.SEKOre(12_500) ||
		got.ByBudgetLine["travel-2026"] != money.SEKOre(10_000) || got.ByBudgetLine["venue-2026"] != money.SEKOre(2_500) {
		t.Errorf("got %+v", got)
	}
	want := []Posting{
		{Account: BudgetLineAccount("b1", "travel-2026"), Amount: money.SEKOre(-10_000)},
		{Account: BudgetLineAccount("b1", "venue-2026"), Amount: money.SEKOre(-2_500)},
		{Account: PayableAccount("malmo"), Amount: money.SEKOre(12_500)},
	}
	if !slices.Equal(got.Postings, want) {
		t.Errorf("postings %+v; want %+v", got.Postings, want)
	}
	d.Decisions = rejectBoth
	if got, err := DecideClaim(d); err != nil || got.Status != StatusRejected || len(got.Postings) != 0 {
		t.Errorf("rejection: %+v %v; want rejected with no postings", got, err)
	}
}

// TestApprovalsNeverOverspend draws random approvals on one budget line and checks that those DecideClaim lets
// through never add up to more than the line, and that it refuses only what would.
func TestApprovalsNeverOverspend(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		line := rapid.Int64Range(0, 1e9).Draw(t, "line")
		spent := int64(0)
		for i, n := 0, rapid.IntRange(1, 50).Draw(t, "attempts"); i < n; i++ {
			ask := rapid.Int64Range(0, line+10).Draw(t, "ask")
			_, err := DecideClaim(ClaimDecision{BudgetID: "b", OrgID: "o", Submitter: "member", Approver: "coordinator",
				Lines:        []ClaimLine{{ID: "1", BudgetLineID: "l", Cost: money.Conversion{SEK: money.SEKOre(ask)}}},
				Decisions:    []LineDecision{{LineID: "1", Approved: money.SEKOre(ask)}},
				BudgetStatus: StatusApproved,
				Spend:        map[string]LineSpend{"l": {LineID: "l", Approved: money.SEKOre(line), Spent: money.SEKOre(spent)}}})
			if (err == nil) != (ask <= line-spent) {
				t.Fatalf("asking %d with %d left: %v", ask, line-spent, err)
			}
			if err == nil {
				spent += ask
			}
			if spent > line {
				t.Fatalf("line of %d overspent: %d spent", line, spent)
			}
		}
	})
}
