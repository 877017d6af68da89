package server

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// TestConcurrentApprovalsNeverOverspendALine fires 120 simultaneous approvals of 1 000 SEK claims at a budget
// line of 100 000 SEK: exactly 100 must pass, the other 20 be refused as overspending, and the ledger balance.
func TestConcurrentApprovalsNeverOverspendALine(t *testing.T) {
	const claims, lineKronor, claimKronor = 120, 100_000, 1_000
	f := newFixture(t)
	b := approvedBudget(t, f, []*pb.BudgetLine{line("venue-2026", pb.Category_CATEGORY_VENUE, 2026, lineKronor)})
	ids := make([]string, claims)
	for i := range ids {
		ids[i] = submittedClaim(t, f, claimOf(b.GetId(), sekLine("1", "venue-2026", pb.Category_CATEGORY_VENUE, claimKronor))).GetId()
	}
	start := make(chan struct{})
	errs := make([]error, claims)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: id})
		}()
	}
	close(start)
	wg.Wait()
	approved, refused := 0, 0
	for _, err := range errs {
		switch reasonOf(err) {
		case "":
			approved++
		case domain.ReasonLineOverspent:
			refused++
		default:
			t.Errorf("unexpected refusal: %v", err)
		}
	}
	if approved != lineKronor/claimKronor || refused != claims-approved {
		t.Fatalf("%d approved and %d refused as overspending; want %d and %d", approved, refused, lineKronor/claimKronor, claims-lineKronor/claimKronor)
	}
	got, _ := f.srv.GetBudget(auditor, &pb.GetBudgetRequest{Id: b.GetId()})
	if l := got.GetLines()[0]; l.GetSpent().GetAmountMinor() != lineKronor*100 || l.GetRemaining().GetAmountMinor() != 0 {
		t.Errorf("line spent %v, remaining %v", l.GetSpent(), l.GetRemaining())
	}
	assertLedgerConsistent(t, f)
	if bal := balances(t, f, "budget/"); bal["budget/"+b.GetId()+"/venue-2026"] != 0 {
		t.Errorf("the line's account holds %d öre, want 0", bal["budget/"+b.GetId()+"/venue-2026"])
	}
}

// assertLedgerConsistent checks what must hold after any sequence of operations: the chain verifies, every
// transaction balances, the balances served equal the sums of the postings recomputed here, no budget line
// account is below nought and no line's spend passes its approved amount.
func assertLedgerConsistent(t tester, f fixture) {
	t.Helper()
	ctx := context.Background()
	v, err := f.srv.VerifyLedger(auditor, &pb.VerifyLedgerRequest{})
	if err != nil || !v.GetIntact() {
		t.Fatalf("ledger verify: %v, %v", v, err)
	}
	sums := map[string]int64{}
	err = store.ScanLedger(ctx, f.pool, func(page []domain.Transaction) error {
		for _, tx := range page {
			if err := tx.Balanced(); err != nil {
				return fmt.Errorf("transaction %d: %w", tx.Seq, err)
			}
			for _, p := range tx.Postings {
				sums[p.Account+" "+p.Amount.Currency] += p.Amount.Minor
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	served, err := store.Balances(ctx, f.pool, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(served) != len(sums) {
		t.Errorf("%d balances served, %d accounts posted to", len(served), len(sums))
	}
	for _, b := range served {
		if want := sums[b.Account+" "+b.Amount.Currency]; b.Amount.Minor != want {
			t.Errorf("balance of %s = %d, sum of its postings = %d", b.Account, b.Amount.Minor, want)
		}
		if len(b.Account) > 7 && b.Account[:7] == "budget/" && b.Amount.Minor < 0 {
			t.Errorf("budget line account %s is overspent: %d", b.Account, b.Amount.Minor)
		}
	}
	var over int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM budget_line_spend WHERE spent_minor > approved_minor`).Scan(&over); err != nil || over > 0 {
		t.Errorf("%d lines overspent (%v)", over, err)
	}
}

// tester is what both *testing.T and *rapid.T offer.
type tester interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Fatal(args ...any)
}

// TestMoneyCallsAreIdempotent repeats every money-moving call with the same Idempotency-Key and checks that the
// second call answers exactly as the first and has no effect of its own.
func TestMoneyCallsAreIdempotent(t *testing.T) {
	f := newFixture(t)
	twice := func(name string, call func(ctx context.Context) (proto.Message, error), ctx context.Context) proto.Message {
		t.Helper()
		ctx = withKey(ctx, "key-"+strings.ReplaceAll(name, " ", "-"))
		first, err := call(ctx)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		before := counts(t, f)
		second, err := call(ctx)
		if err != nil {
			t.Fatalf("%s repeated: %v", name, err)
		}
		if !proto.Equal(first, second) {
			t.Errorf("%s repeated answered differently:\n%v\n%v", name, first, second)
		}
		sameCounts(t, name+" repeated", before, counts(t, f))
		return first
	}
	b := twice("create budget", func(ctx context.Context) (proto.Message, error) {
		return f.srv.CreateBudget(ctx, &pb.CreateBudgetRequest{Budget: &pb.Budget{PartnershipId: malmoP, ApplicationId: project, Lines: projectLines()}})
	}, malmoMember).(*pb.Budget)
	twice("submit budget", func(ctx context.Context) (proto.Message, error) {
		return f.srv.SubmitBudget(ctx, &pb.TransitionBudgetRequest{Id: b.GetId()})
	}, malmoMember)
	twice("approve budget", func(ctx context.Context) (proto.Message, error) {
		return f.srv.ApproveBudget(ctx, &pb.TransitionBudgetRequest{Id: b.GetId()})
	}, coordinator)
	claimReq := claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 5_000))
	c := twice("create claim", func(ctx context.Context) (proto.Message, error) {
		return f.srv.CreateClaim(ctx, claimReq)
	}, malmoMember).(*pb.Claim)
	twice("submit claim", func(ctx context.Context) (proto.Message, error) {
		return f.srv.SubmitClaim(ctx, &pb.TransitionClaimRequest{Id: c.GetId()})
	}, malmoMember)
	twice("approve claim", func(ctx context.Context) (proto.Message, error) {
		return f.srv.ApproveClaim(ctx, &pb.ApproveClaimRequest{Id: c.GetId()})
	}, coordinator)
	batch := twice("create batch", func(ctx context.Context) (proto.Message, error) {
		return f.srv.CreatePaymentBatch(ctx, &pb.CreatePaymentBatchRequest{Batch: &pb.PaymentBatch{ClaimIds: []string{c.GetId()}}})
	}, coordinator).(*pb.PaymentBatch)
	twice("pay batch", func(ctx context.Context) (proto.Message, error) {
		return f.srv.PayPaymentBatch(ctx, &pb.PayPaymentBatchRequest{Id: batch.GetId()})
	}, coordinator)
	twice("in-kind", func(ctx context.Context) (proto.Message, error) {
		return f.srv.CreateInKindContribution(ctx, &pb.CreateInKindContributionRequest{Contribution: &pb.InKindContribution{
			BudgetId: b.GetId(), Date: claimOf("").GetClaim().GetPeriodStart(), PersonRole: "officer", Activity: "meeting", Hours: 3}})
	}, lusakaStaff)
	if n := counts(t, f)["ledger_transactions"]; n != fixtureGrants+3 {
		t.Errorf("%d ledger transactions, want %d: the grants, budget approval, claim approval, payment", n, fixtureGrants+3)
	}
	// The same key with another request is a conflict, and writes nothing.
	before := counts(t, f)
	_, err := f.srv.CreateClaim(withKey(malmoMember, "key-create-claim"), claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 6_000)))
	if reasonOf(err) != "IDEMPOTENCY_KEY_REUSED" {
		t.Errorf("reused key with another body: %v", err)
	}
	sameCounts(t, "reused key", before, counts(t, f))
	assertLedgerConsistent(t, f)
}

// TestLedgerRowsCannotChange proves the database refuses to update, delete or truncate ledger rows, whatever
// the role: a correction is a reversing transaction, which the test then makes.
func TestLedgerRowsCannotChange(t *testing.T) {
	f := newFixture(t)
	approvedBudget(t, f, projectLines())
	ctx := context.Background()
	for _, sql := range []string{
		`UPDATE ledger_postings SET amount_minor = amount_minor + 1`,
		`DELETE FROM ledger_postings`,
		`UPDATE ledger_transactions SET actor = 'someone else'`,
		`DELETE FROM ledger_transactions`,
		`TRUNCATE ledger_postings`,
	} {
		if _, err := f.pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s was allowed", sql)
		}
	}
	list, _ := f.srv.ListLedgerTransactions(auditor, &pb.ListLedgerTransactionsRequest{})
	first := list.GetTransactions()[fixtureGrants] // the budget approval, after the grants
	r, err := f.srv.ReverseLedgerTransaction(admin, &pb.ReverseLedgerTransactionRequest{Id: first.GetId(), Reason: "posted twice by mistake"})
	if err != nil || r.GetReverses() != first.GetId() || r.GetSeq() != fixtureGrants+2 || r.GetPrevHash() != first.GetHash() {
		t.Fatalf("reversal = %v, %v", r, err)
	}
	if _, err := f.srv.ReverseLedgerTransaction(admin, &pb.ReverseLedgerTransactionRequest{Id: first.GetId(), Reason: "again"}); reasonOf(err) != "ALREADY_REVERSED" {
		t.Errorf("second reversal: %v", err)
	}
	granted := int64(fixtureGrants * fixtureGrantKronor * 100)
	for account, sum := range balances(t, f, "") {
		want := map[string]int64{"programme/grant": -granted, "programme/commitments": granted}[account] // the grants stay
		if sum != want {
			t.Errorf("after the reversal %s holds %d, want %d", account, sum, want)
		}
	}
	assertLedgerConsistent(t, f)
}

// TestVerifyFindsTampering alters a posting behind the service's back (as the table owner, with the guard
// switched off) and expects verification to name the altered transaction.
func TestVerifyFindsTampering(t *testing.T) {
	f := newFixture(t)
	approvedBudget(t, f, projectLines())
	ctx := context.Background()
	for _, sql := range []string{
		`ALTER TABLE ledger_postings DISABLE TRIGGER ledger_postings_append_only`,
		`UPDATE ledger_postings SET amount_minor = amount_minor * 2 WHERE seq = 1 AND position = 0`,
	} {
		if _, err := f.pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	v, err := f.srv.VerifyLedger(auditor, &pb.VerifyLedgerRequest{})
	if err != nil || v.GetIntact() || v.GetProblem() == "" {
		t.Fatalf("verify after tampering = %v, %v", v, err)
	}
}

// TestVerifyFindsACutLedger: a chain that is intact but shorter than its head says was cut at the end.
func TestVerifyFindsACutLedger(t *testing.T) {
	f := newFixture(t)
	approvedBudget(t, f, projectLines())
	if _, err := f.pool.Exec(context.Background(), `UPDATE ledger_head SET seq = seq + 1`); err != nil {
		t.Fatal(err)
	}
	v, err := f.srv.VerifyLedger(auditor, &pb.VerifyLedgerRequest{})
	if err != nil || v.GetIntact() {
		t.Fatalf("verify of a cut ledger = %v, %v", v, err)
	}
}

// TestLedgerPropertiesOverRandomOperations runs random sequences of claims with random amounts and decisions,
// payments and budget revisions against PostgreSQL, and checks after each sequence that the
// ledger verifies, every transaction balances, balances equal the sums of their postings, and no budget line
// is overspent.
func TestLedgerPropertiesOverRandomOperations(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	lineIDs := []string{"travel-2026", "accommodation-2026"} // the claims' costs are paid in 2026
	categories := map[string]pb.Category{"travel-2026": pb.Category_CATEGORY_TRAVEL, "accommodation-2026": pb.Category_CATEGORY_ACCOMMODATION, "travel-2027": pb.Category_CATEGORY_TRAVEL}
	var approvedClaims []string
	rapid.Check(t, func(rt *rapid.T) {
		steps := rapid.IntRange(1, 8).Draw(rt, "steps")
		for i := 0; i < steps; i++ {
			switch rapid.SampledFrom([]string{"claim", "claim", "claim", "pay", "revise"}).Draw(rt, "op") {
			case "claim":
				budgetLine := rapid.SampledFrom(lineIDs).Draw(rt, "line")
				kronor := rapid.Int64Range(1, 60_000).Draw(rt, "kronor")
				c := submittedClaim(t, f, claimOf(b.GetId(), sekLine("1", budgetLine, categories[budgetLine], kronor)))
				share := rapid.Int64Range(0, kronor*100).Draw(rt, "approved")
				reason := ""
				if share < kronor*100 {
					reason = "part not eligible"
				}
				_, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: c.GetId(),
					Decisions: []*pb.LineDecision{{LineId: "1", Approved: &typepb.Money{CurrencyCode: "SEK", AmountMinor: share}, Reason: reason}}})
				switch reasonOf(err) {
				case "":
					if share > 0 {
						approvedClaims = append(approvedClaims, c.GetId())
					}
				case domain.ReasonLineOverspent:
				default:
					rt.Fatalf("approve: %v", err)
				}
			case "pay":
				if len(approvedClaims) == 0 {
					continue
				}
				batch, err := f.srv.CreatePaymentBatch(coordinator, &pb.CreatePaymentBatchRequest{Batch: &pb.PaymentBatch{ClaimIds: approvedClaims}})
				if err != nil {
					rt.Fatalf("batch: %v", err)
				}
				if _, err := f.srv.PayPaymentBatch(coordinator, &pb.PayPaymentBatchRequest{Id: batch.GetId()}); err != nil {
					rt.Fatalf("pay: %v", err)
				}
				approvedClaims = nil
			case "revise":
				// A new revision moves each line to a random amount no lower than what is spent on it.
				cur, err := f.srv.GetBudget(auditor, &pb.GetBudgetRequest{Id: b.GetId()})
				if err != nil {
					rt.Fatal(err)
				}
				var lines []*pb.BudgetLine
				for _, l := range cur.GetLines() {
					floor := max(l.GetSpent().GetAmountMinor()/100+1, 1)
					kronor := rapid.Int64Range(floor, 160_000).Draw(rt, "line amount")
					lines = append(lines, line(l.GetId(), l.GetCategory(), l.GetYear(), kronor))
				}
				if _, err := f.srv.CreateBudgetRevision(malmoMember, &pb.CreateBudgetRevisionRequest{BudgetId: b.GetId(), Revision: &pb.BudgetRevision{Lines: lines}}); err != nil {
					rt.Fatalf("revise: %v", err)
				}
				if _, err := f.srv.SubmitBudget(malmoMember, &pb.TransitionBudgetRequest{Id: b.GetId()}); err != nil {
					rt.Fatalf("submit revision: %v", err)
				}
				if _, err := f.srv.ApproveBudget(coordinator, &pb.TransitionBudgetRequest{Id: b.GetId()}); err != nil {
					rt.Fatalf("approve revision: %v", err)
				}
			}
		}
		assertLedgerConsistent(rt, f)
	})
}
