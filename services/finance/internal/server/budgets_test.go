package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/servertest"
)

func TestBudgetRulesDefaultsAndVersions(t *testing.T) {
	f := newFixture(t)
	resp, err := f.srv.ListBudgetRules(auditor, &pb.ListBudgetRulesRequest{})
	if err != nil || len(resp.GetRules()) != 1 {
		t.Fatalf("rules in force = %v, %v; want the default version", resp, err)
	}
	r := resp.GetRules()[0]
	if len(r.GetCaps()) != 12 || r.GetInKindHourlyRate().GetAmountMinor() != 30_000 {
		t.Errorf("default rules have %d caps and in-kind rate %v", len(r.GetCaps()), r.GetInKindHourlyRate())
	}
	var ineligible []string
	for _, c := range r.GetCategories() {
		if !c.GetEligible() {
			ineligible = append(ineligible, c.GetCategory().String())
		}
	}
	if !slices.Equal(ineligible, []string{"CATEGORY_SALARIES", "CATEGORY_PER_DIEMS", "CATEGORY_EXTRA_DAYS"}) {
		t.Errorf("ineligible categories = %v", ineligible)
	}

	// A new version may not overlap the default one, which runs without end; ending it first makes room.
	next := &pb.BudgetRules{ValidFrom: civil.ToProto(civil.Date{Year: 2027, Month: 1, Day: 1}), InKindHourlyRate: sekPB(350),
		Caps: []*pb.Cap{{Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, CostZone: pb.CostZone_COST_ZONE_EUROPE, Parties: 2, Total: sekPB(480_000), PerYear: true}}}
	if _, err := f.srv.CreateBudgetRules(admin, &pb.CreateBudgetRulesRequest{Rules: next}); reasonOf(err) != "CAP_RULES_OVERLAP" {
		t.Fatalf("overlapping version: %v, want CAP_RULES_OVERLAP", err)
	}
	if _, err := f.srv.EndBudgetRules(admin, &pb.EndBudgetRulesRequest{Id: r.GetId(), ValidTo: civil.ToProto(civil.Date{Year: 2026, Month: 12, Day: 31})}); err != nil {
		t.Fatal(err)
	}
	created, err := f.srv.CreateBudgetRules(admin, &pb.CreateBudgetRulesRequest{Rules: next})
	if err != nil {
		t.Fatal(err)
	}
	versions := servertest.ReadPages(t, 1, func(token string) ([]string, string, error) {
		resp, err := f.srv.ListBudgetRules(auditor, &pb.ListBudgetRulesRequest{AllVersions: true, PageSize: 1, PageToken: token})
		var ids []string
		for _, v := range resp.GetRules() {
			ids = append(ids, v.GetId())
		}
		return ids, resp.GetNextPageToken(), err
	})
	if !slices.Equal(versions, []string{r.GetId(), created.GetId()}) {
		t.Errorf("every version a page at a time: %v, want the default then 2027's", versions)
	}
	on2027, err := f.srv.ListBudgetRules(auditor, &pb.ListBudgetRulesRequest{Date: civil.ToProto(civil.Date{Year: 2027, Month: 3, Day: 1})})
	if err != nil || len(on2027.GetRules()) != 1 || on2027.GetRules()[0].GetInKindHourlyRate().GetAmountMinor() != 35_000 {
		t.Fatalf("rules on 2027-03-01 = %v, %v", on2027, err)
	}
	bad := &pb.BudgetRules{ValidFrom: civil.ToProto(civil.Date{Year: 2030, Month: 1, Day: 1}), InKindHourlyRate: sekPB(0),
		Caps: []*pb.Cap{{Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, CostZone: pb.CostZone_COST_ZONE_EUROPE, Parties: 2, Total: sekPB(100), WorkInputMax: sekPB(200)}}}
	_, err = f.srv.CreateBudgetRules(admin, &pb.CreateBudgetRulesRequest{Rules: bad})
	if got := fieldsOf(err); !slices.Contains(got, "rules.in_kind_hourly_rate") || !slices.Contains(got, "rules.caps[0].work_input_max") {
		t.Errorf("bad rules named %v (%v)", got, err)
	}
}

func TestBudgetLifecyclePostsToTheLedger(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	if b.GetState() != pb.BudgetState_BUDGET_STATE_APPROVED || b.GetApprovedRevision() != 1 || b.GetApprovedTotal().GetAmountMinor() != 45_000_000 {
		t.Fatalf("approved budget = %v", b)
	}
	if b.GetApplicationKind() != pb.ApplicationKind_APPLICATION_KIND_PROJECT || b.GetCostZone() != pb.CostZone_COST_ZONE_AFRICA_ASIA_LATIN_AMERICA || b.GetParties() != 2 {
		t.Errorf("application facts = %v %v %v", b.GetApplicationKind(), b.GetCostZone(), b.GetParties())
	}
	for _, l := range b.GetLines() {
		if l.GetSpent().GetAmountMinor() != 0 || l.GetRemaining().GetAmountMinor() != l.GetAmount().GetAmountMinor() {
			t.Errorf("line %s: spent %v remaining %v", l.GetId(), l.GetSpent(), l.GetRemaining())
		}
	}
	balances, err := f.srv.ListLedgerBalances(auditor, &pb.ListLedgerBalancesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, bal := range balances.GetBalances() {
		got[bal.GetAccount()] = bal.GetAmount().GetAmountMinor()
	}
	want := map[string]int64{"programme/commitments": fixtureGrants*fixtureGrantKronor*100 - 45_000_000, "budget/" + b.GetId() + "/travel-2026": 20_000_000,
		"budget/" + b.GetId() + "/accommodation-2026": 10_000_000, "budget/" + b.GetId() + "/travel-2027": 15_000_000}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("balance of %s = %d, want %d", k, got[k], v)
		}
	}
	if _, err := f.srv.CloseBudget(coordinator, &pb.TransitionBudgetRequest{Id: b.GetId()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.SubmitBudget(malmoMember, &pb.TransitionBudgetRequest{Id: b.GetId()}); reasonOf(err) != "ILLEGAL_TRANSITION" && reasonOf(err) != "BAD_STATE" {
		t.Errorf("submitting a closed budget: %v", err)
	}
}

func TestBudgetRefusalsWriteNothing(t *testing.T) {
	f := newFixture(t)
	create := func(ctx context.Context, app string, lines ...*pb.BudgetLine) error {
		_, err := f.srv.CreateBudget(ctx, &pb.CreateBudgetRequest{Budget: &pb.Budget{PartnershipId: malmoP, ApplicationId: app, Lines: lines}})
		return err
	}
	workInput := &pb.BudgetLine{Id: "work-2026", Category: pb.Category_CATEGORY_WORK_INPUT, Year: 2026, Amount: sekPB(1000), Hours: 10, HourlyRate: sekPB(50)}
	before := counts(t, f)
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		app    string
		lines  []*pb.BudgetLine
		reason string
		field  string
	}{
		{"over the yearly cap", malmoMember, project, []*pb.BudgetLine{line("travel-2026", pb.Category_CATEGORY_TRAVEL, 2026, 400_000), line("venue-2026", pb.Category_CATEGORY_VENUE, 2026, 100_001)}, "BUDGET_RULES", ""},
		{"ineligible category", malmoMember, project, []*pb.BudgetLine{line("per-diems", pb.Category_CATEGORY_PER_DIEMS, 2026, 1000)}, "BUDGET_RULES", ""},
		{"negative amount", malmoMember, project, []*pb.BudgetLine{line("travel-2026", pb.Category_CATEGORY_TRAVEL, 2026, -5)}, "INVALID_ARGUMENT", "budget.lines[0].amount"},
		{"zero amount", malmoMember, project, []*pb.BudgetLine{line("travel-2026", pb.Category_CATEGORY_TRAVEL, 2026, 0)}, "INVALID_ARGUMENT", "budget.lines[0].amount"},
		{"unknown currency", malmoMember, project, []*pb.BudgetLine{{Id: "x", Category: pb.Category_CATEGORY_TRAVEL, Year: 2026, Amount: &typepb.Money{CurrencyCode: "XYZ", AmountMinor: 100}}}, "UNKNOWN_CURRENCY", "budget.lines[0].amount.currency_code"},
		{"not SEK", malmoMember, project, []*pb.BudgetLine{{Id: "x", Category: pb.Category_CATEGORY_TRAVEL, Year: 2026, Amount: &typepb.Money{CurrencyCode: "EUR", AmountMinor: 100}}}, "INVALID_ARGUMENT", "budget.lines[0].amount"},
		{"work input not hours times rate", malmoMember, project, []*pb.BudgetLine{workInput}, "INVALID_ARGUMENT", "budget.lines[0].amount"},
		{"a year the application does not run", malmoMember, project, []*pb.BudgetLine{line("travel-2030", pb.Category_CATEGORY_TRAVEL, 2030, 100_000)}, "INVALID_ARGUMENT", "budget.lines[0].year"},
		{"application not approved", malmoMember, inception, projectLines(), "APPLICATION_NOT_APPROVED", ""},
		{"kind without a cap", malmoMember, develop, projectLines(), "NO_CAP_FOR_KIND", ""},
		{"application unknown", malmoMember, missingApp, projectLines(), "NOT_FOUND", ""},
		{"member of another organisation", umeaMember, project, projectLines(), "NOT_FOUND", ""},
		{"partner writes the budget", lusakaStaff, project, projectLines(), "NOT_THE_SWEDISH_PARTY", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := create(tc.ctx, tc.app, tc.lines...)
			if got := reasonOf(err); got != tc.reason {
				t.Fatalf("reason %q (%v), want %q", got, err, tc.reason)
			}
			if tc.field != "" && !slices.Contains(fieldsOf(err), tc.field) {
				t.Errorf("fields %v, want %s", fieldsOf(err), tc.field)
			}
		})
	}
	sameCounts(t, "refused budgets", before, counts(t, f))

	// Every violation is named: two years over the cap and an ineligible line.
	err := create(malmoMember, project, line("a", pb.Category_CATEGORY_TRAVEL, 2026, 500_001), line("b", pb.Category_CATEGORY_TRAVEL, 2027, 600_000),
		line("c", pb.Category_CATEGORY_SALARIES, 2026, 10))
	var fp *fault.FailedPrecondition
	if !asFP(err, &fp) || len(fp.Violations) != 3 {
		t.Fatalf("violations of a budget breaking three rules: %v", err)
	}
	if !strings.Contains(fp.Violations[0].Description, "salaries") && !strings.Contains(fp.Violations[0].Description, "Salaries") {
		t.Errorf("first violation %q should explain the ineligible salaries line", fp.Violations[0].Description)
	}

	// One budget per application.
	approvedBudget(t, f, projectLines())
	if err := create(malmoMember, project, projectLines()...); reasonOf(err) != "BUDGET_EXISTS" {
		t.Errorf("second budget for one application: %v", err)
	}
}

func asFP(err error, target **fault.FailedPrecondition) bool {
	fp, ok := err.(*fault.FailedPrecondition)
	if ok {
		*target = fp
	}
	return ok
}

func TestRevisionKeepsTheApprovedOneAndShowsTheDifference(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	// Spend 50 000 of travel-2026 so that the revision cannot cut it below that.
	c := submittedClaim(t, f, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 50_000)))
	if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	// A revision below what was spent is refused at once, and writes nothing.
	cut := []*pb.BudgetLine{line("travel-2026", pb.Category_CATEGORY_TRAVEL, 2026, 40_000), line("travel-2027", pb.Category_CATEGORY_TRAVEL, 2027, 150_000)}
	before := counts(t, f)
	if _, err := f.srv.CreateBudgetRevision(malmoMember, &pb.CreateBudgetRevisionRequest{BudgetId: b.GetId(), Revision: &pb.BudgetRevision{Lines: cut}}); reasonOf(err) != "BUDGET_LINE_OVERSPENT" {
		t.Fatalf("a revision below what was spent: %v", err)
	}
	sameCounts(t, "refused revision", before, counts(t, f))

	// Revision 2 drops accommodation and first cuts travel-2026 to what was spent; the coordinator returns
	// it to raise 2027, the member changes it, and its approval moves only the differences in the ledger.
	first := []*pb.BudgetLine{line("travel-2026", pb.Category_CATEGORY_TRAVEL, 2026, 50_000), line("travel-2027", pb.Category_CATEGORY_TRAVEL, 2027, 150_000)}
	rev, err := f.srv.CreateBudgetRevision(malmoMember, &pb.CreateBudgetRevisionRequest{BudgetId: b.GetId(), Revision: &pb.BudgetRevision{Lines: first}})
	if err != nil || rev.GetNumber() != 2 || len(rev.GetChanges()) != 2 {
		t.Fatalf("revision 2 = %v, %v", rev, err)
	}
	// While revision 2 is a draft, claims still run against revision 1.
	got, _ := f.srv.GetBudget(malmoMember, &pb.GetBudgetRequest{Id: b.GetId()})
	if got.GetApprovedRevision() != 1 || got.GetState() != pb.BudgetState_BUDGET_STATE_DRAFT {
		t.Errorf("budget during revision: approved %d, state %v", got.GetApprovedRevision(), got.GetState())
	}
	if _, err := f.srv.SubmitBudget(malmoMember, &pb.TransitionBudgetRequest{Id: b.GetId()}); err != nil {
		t.Fatal(err)
	}
	fine := []*pb.BudgetLine{line("travel-2026", pb.Category_CATEGORY_TRAVEL, 2026, 50_000), line("travel-2027", pb.Category_CATEGORY_TRAVEL, 2027, 200_000)}
	if _, err := f.srv.UpdateBudget(malmoMember, &pb.UpdateBudgetRequest{Id: b.GetId(), Budget: &pb.Budget{Lines: fine}}); reasonOf(err) != "BAD_STATE" {
		t.Fatalf("editing a submitted revision: %v", err)
	}
	if _, err := f.srv.ReturnBudget(coordinator, &pb.TransitionBudgetRequest{Id: b.GetId()}); !slices.Contains(fieldsOf(err), "reason") {
		t.Fatalf("returning without a reason: %v", err)
	}
	if _, err := f.srv.ReturnBudget(coordinator, &pb.TransitionBudgetRequest{Id: b.GetId(), Reason: "2027 needs more travel"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.UpdateBudget(malmoMember, &pb.UpdateBudgetRequest{Id: b.GetId(), Budget: &pb.Budget{Lines: fine}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.SubmitBudget(malmoMember, &pb.TransitionBudgetRequest{Id: b.GetId()}); err != nil {
		t.Fatal(err)
	}
	approved, err := f.srv.ApproveBudget(coordinator, &pb.TransitionBudgetRequest{Id: b.GetId()})
	if err != nil || approved.GetApprovedRevision() != 2 || approved.GetApprovedTotal().GetAmountMinor() != 25_000_000 {
		t.Fatalf("approved revision 2 = %v, %v", approved, err)
	}
	ledger, _ := f.srv.ListLedgerTransactions(auditor, &pb.ListLedgerTransactionsRequest{})
	last := ledger.GetTransactions()[len(ledger.GetTransactions())-1]
	moved := map[string]int64{}
	for _, p := range last.GetPostings() {
		moved[strings.TrimPrefix(p.GetAccount(), "budget/"+b.GetId()+"/")] = p.GetAmount().GetAmountMinor()
	}
	if moved["travel-2026"] != -15_000_000 || moved["accommodation-2026"] != -10_000_000 || moved["travel-2027"] != 5_000_000 || moved["programme/commitments"] != 20_000_000 {
		t.Errorf("revision 2 posted %v", moved)
	}
	for _, l := range approved.GetLines() {
		if l.GetId() == "travel-2026" && l.GetRemaining().GetAmountMinor() != 0 {
			t.Errorf("travel-2026 remaining %v, want 0 (all spent)", l.GetRemaining())
		}
	}
	revs, err := f.srv.ListBudgetRevisions(auditor, &pb.ListBudgetRevisionsRequest{BudgetId: b.GetId()})
	if err != nil || len(revs.GetRevisions()) != 2 || revs.GetRevisions()[0].GetState() != pb.BudgetState_BUDGET_STATE_APPROVED {
		t.Fatalf("revisions = %v, %v", revs, err)
	}
	changes := map[string]int64{}
	for _, ch := range revs.GetRevisions()[1].GetChanges() {
		changes[ch.GetKind()+" "+ch.GetLineId()] = ch.GetDelta().GetAmountMinor()
	}
	if changes["changed travel-2026"] != -15_000_000 || changes["removed accommodation-2026"] != -10_000_000 || len(revs.GetRevisions()[1].GetChanges()) != 3 {
		t.Errorf("changes = %v", changes)
	}
}

func TestUpdateDraftWithEtag(t *testing.T) {
	f := newFixture(t)
	b, err := f.srv.CreateBudget(malmoMember, &pb.CreateBudgetRequest{Budget: &pb.Budget{PartnershipId: malmoP, ApplicationId: project, Lines: projectLines()}})
	if err != nil {
		t.Fatal(err)
	}
	more := append(projectLines(), line("visa-2026", pb.Category_CATEGORY_VISA, 2026, 5_000))
	updated, err := f.srv.UpdateBudget(malmoMember, &pb.UpdateBudgetRequest{Id: b.GetId(), Budget: &pb.Budget{Lines: more, Etag: b.GetEtag()}})
	if err != nil || len(updated.GetLines()) != 4 || updated.GetTotal().GetAmountMinor() != 45_500_000 {
		t.Fatalf("update = %v, %v", updated, err)
	}
	before := counts(t, f)
	if _, err := f.srv.UpdateBudget(malmoMember, &pb.UpdateBudgetRequest{Id: b.GetId(), Budget: &pb.Budget{Lines: projectLines(), Etag: b.GetEtag()}}); reasonOf(err) != "ETAG_MISMATCH" {
		t.Fatalf("stale etag: %v", err)
	}
	if _, err := f.srv.SubmitBudget(malmoMember, &pb.TransitionBudgetRequest{Id: b.GetId(), Etag: b.GetEtag()}); reasonOf(err) != "ETAG_MISMATCH" {
		t.Fatalf("stale etag on submit: %v", err)
	}
	sameCounts(t, "stale etags", before, counts(t, f))
}

// A budget's revisions and the ledger's balances come a page at a time, in the order they had: revisions by
// number (each still showing its changes from the one before), balances by account.
func TestRevisionsAndBalancesArePaged(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	more := append(projectLines(), line("visa-2026", pb.Category_CATEGORY_VISA, 2026, 5_000))
	if _, err := f.srv.CreateBudgetRevision(malmoMember, &pb.CreateBudgetRevisionRequest{BudgetId: b.GetId(), Revision: &pb.BudgetRevision{Lines: more}}); err != nil {
		t.Fatal(err)
	}
	var changes int
	revisions := servertest.ReadPages(t, 1, func(token string) ([]string, string, error) {
		resp, err := f.srv.ListBudgetRevisions(auditor, &pb.ListBudgetRevisionsRequest{BudgetId: b.GetId(), PageSize: 1, PageToken: token})
		var numbers []string
		for _, r := range resp.GetRevisions() {
			numbers = append(numbers, fmt.Sprint(r.GetNumber()))
			changes += len(r.GetChanges())
		}
		return numbers, resp.GetNextPageToken(), err
	})
	if !slices.Equal(revisions, []string{"1", "2"}) || changes != 1 {
		t.Errorf("revisions %v with %d changes, want 1 and 2 with the added visa line", revisions, changes)
	}

	whole, err := f.srv.ListLedgerBalances(auditor, &pb.ListLedgerBalancesRequest{PageSize: 500})
	if err != nil || len(whole.GetBalances()) != 5 { // three lines, the commitments and the grant
		t.Fatalf("every balance: %v %v", whole, err)
	}
	var want []string
	for _, bal := range whole.GetBalances() {
		want = append(want, bal.GetAccount())
	}
	accounts := servertest.ReadPages(t, 3, func(token string) ([]string, string, error) {
		resp, err := f.srv.ListLedgerBalances(auditor, &pb.ListLedgerBalancesRequest{PageSize: 3, PageToken: token})
		var names []string
		for _, bal := range resp.GetBalances() {
			names = append(names, bal.GetAccount())
		}
		return names, resp.GetNextPageToken(), err
	})
	if !slices.Equal(accounts, want) || !slices.IsSorted(accounts) {
		t.Errorf("balances in pages of 3 %v, want %v in order", accounts, want)
	}
}
