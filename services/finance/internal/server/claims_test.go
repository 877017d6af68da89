package server

import (
	"bytes"
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
)

func TestClaimFromBudgetToPaymentAndSIE(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	// A hotel paid in Zambian kwacha: 2 450.00 ZMW at 0.4213 SEK = 1 032.185 SEK, rounded once to 1 032.19.
	hotel := &pb.ClaimLine{Id: "2", Date: civil.ToProto(civil.Date{Year: 2026, Month: 3, Day: 12}), Category: pb.Category_CATEGORY_ACCOMMODATION,
		BudgetLineId: "accommodation-2026", Description: "Hotel in Lusaka", Original: &typepb.Money{CurrencyCode: "ZMW", AmountMinor: 245_000},
		Rate: "0.4213", RateDate: civil.ToProto(civil.Date{Year: 2026, Month: 3, Day: 12}), RateSource: "Riksbanken", Receipt: receipt()}
	c := submittedClaim(t, f, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 12_000), hotel))
	if got := c.GetLines()[1].GetSek().GetAmountMinor(); got != 103_219 {
		t.Fatalf("hotel in SEK = %d öre, want 103219", got)
	}
	if c.GetTotal().GetAmountMinor() != 1_303_219 || c.GetSubmitter() != "anna@malmo" {
		t.Fatalf("claim = %v", c)
	}

	// Approve the flight in full and the hotel in part, with a reason.
	c, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: c.GetId(), Etag: c.GetEtag(), Decisions: []*pb.LineDecision{
		{LineId: "1", Approved: sekPB(12_000)}, {LineId: "2", Approved: sekPB(900), Reason: "minibar is not a programme cost"}}})
	if err != nil {
		t.Fatal(err)
	}
	if c.GetState() != pb.ClaimState_CLAIM_STATE_PARTLY_APPROVED || c.GetApprovedTotal().GetAmountMinor() != 1_290_000 || c.GetApprover() != "karin@icld" {
		t.Fatalf("decided claim = %v", c)
	}
	if c.GetLines()[1].GetDecisionReason() == "" {
		t.Error("the partly approved line lost its reason")
	}
	budget, _ := f.srv.GetBudget(malmoMember, &pb.GetBudgetRequest{Id: b.GetId()})
	for _, l := range budget.GetLines() {
		if l.GetId() == "travel-2026" && (l.GetSpent().GetAmountMinor() != 1_200_000 || l.GetRemaining().GetAmountMinor() != 18_800_000) {
			t.Errorf("travel-2026 spent %v remaining %v", l.GetSpent(), l.GetRemaining())
		}
	}

	batch, err := f.srv.CreatePaymentBatch(coordinator, &pb.CreatePaymentBatchRequest{Batch: &pb.PaymentBatch{ClaimIds: []string{c.GetId()}}})
	if err != nil {
		t.Fatal(err)
	}
	if batch.GetTotal().GetAmountMinor() != 1_290_000 || batch.GetState() != pb.PaymentBatchState_PAYMENT_BATCH_STATE_OPEN {
		t.Fatalf("batch = %v", batch)
	}
	if _, err := f.srv.ExportPaymentBatch(auditor, &pb.ExportPaymentBatchRequest{Id: batch.GetId(), Format: "sie"}); reasonOf(err) != "BATCH_NOT_PAID" {
		t.Errorf("SIE of an open batch: %v", err)
	}
	paid, err := f.srv.PayPaymentBatch(coordinator, &pb.PayPaymentBatchRequest{Id: batch.GetId(), PayDate: civil.ToProto(civil.Date{Year: 2026, Month: 7, Day: 1})})
	if err != nil || paid.GetState() != pb.PaymentBatchState_PAYMENT_BATCH_STATE_PAID {
		t.Fatalf("pay = %v, %v", paid, err)
	}
	got, _ := f.srv.GetClaim(malmoMember, &pb.GetClaimRequest{Id: c.GetId()})
	if got.GetState() != pb.ClaimState_CLAIM_STATE_PAID || got.GetPaymentBatchId() != batch.GetId() {
		t.Errorf("claim after payment = %v", got)
	}

	// A second payment of the batch, or a new batch with the paid claim, is refused and moves nothing.
	before := counts(t, f)
	if _, err := f.srv.PayPaymentBatch(coordinator, &pb.PayPaymentBatchRequest{Id: batch.GetId()}); reasonOf(err) != "BATCH_ALREADY_PAID" {
		t.Errorf("second payment: %v", err)
	}
	if _, err := f.srv.CreatePaymentBatch(coordinator, &pb.CreatePaymentBatchRequest{Batch: &pb.PaymentBatch{ClaimIds: []string{c.GetId()}}}); reasonOf(err) != "CLAIM_ALREADY_PAID" {
		t.Errorf("paid claim in a new batch: %v", err)
	}
	sameCounts(t, "refused payments", before, counts(t, f))

	csvFile, err := f.srv.ExportPaymentBatch(auditor, &pb.ExportPaymentBatchRequest{Id: batch.GetId(), Format: "csv"})
	if err != nil || !strings.Contains(string(csvFile.GetData()), c.GetId()+","+malmo+",SEK,12900.00,1290000") {
		t.Errorf("CSV = %q, %v", csvFile.GetData(), err)
	}
	sie, err := f.srv.ExportPaymentBatch(auditor, &pb.ExportPaymentBatchRequest{Id: batch.GetId(), Format: "sie"})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := domain.ParseSIE(bytes.NewReader(sie.GetData()))
	if err != nil {
		t.Fatalf("the SIE file does not parse: %v", err)
	}
	if parsed.CompanyName != "Malmö stad" || len(parsed.Vouchers) != 1 || parsed.Vouchers[0].Trans[0].Amount.Minor != 1_290_000 {
		t.Errorf("SIE file = %+v", parsed)
	}

	// Ledger: the grants, budget approval, claim approval, payment; intact; balances derived from the postings.
	v, err := f.srv.VerifyLedger(auditor, &pb.VerifyLedgerRequest{})
	if err != nil || !v.GetIntact() || v.GetTransactions() != fixtureGrants+3 {
		t.Fatalf("verify = %v, %v", v, err)
	}
	bal := balances(t, f, "")
	if bal["paid/"+malmo] != 1_290_000 || bal["payable/"+malmo] != 0 || bal["budget/"+b.GetId()+"/travel-2026"] != 18_800_000 {
		t.Errorf("balances = %v", bal)
	}
}

func balances(t testing.TB, f fixture, prefix string) map[string]int64 {
	t.Helper()
	resp, err := f.srv.ListLedgerBalances(auditor, &pb.ListLedgerBalancesRequest{AccountPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, b := range resp.GetBalances() {
		out[b.GetAccount()] = b.GetAmount().GetAmountMinor()
	}
	return out
}

func TestClaimRefusalsWriteNothing(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	other, err := f.srv.CreateBudget(umeaMember, &pb.CreateBudgetRequest{Budget: &pb.Budget{PartnershipId: umeaP, ApplicationId: umeaProj, Lines: projectLines()}})
	if err != nil {
		t.Fatal(err)
	}
	withMoney := func(m *typepb.Money, rate string) *pb.ClaimLine {
		l := sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 1)
		l.Original, l.Rate, l.RateSource = m, rate, "ECB"
		l.RateDate = l.Date
		return l
	}
	before := counts(t, f)
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		req    *pb.CreateClaimRequest
		reason string
		field  string
	}{
		{"negative amount", malmoMember, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, -10)), "INVALID_AMOUNT", "claim.lines[0].original"},
		{"zero amount", malmoMember, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 0)), "INVALID_AMOUNT", "claim.lines[0].original"},
		{"unknown currency", malmoMember, claimOf(b.GetId(), withMoney(&typepb.Money{CurrencyCode: "ABC", AmountMinor: 100}, "1.5")), "UNKNOWN_CURRENCY", "claim.lines[0].original.currency_code"},
		{"rate of zero", malmoMember, claimOf(b.GetId(), withMoney(&typepb.Money{CurrencyCode: "EUR", AmountMinor: 100}, "0")), "INVALID_RATE", "claim.lines[0].rate"},
		{"negative rate", malmoMember, claimOf(b.GetId(), withMoney(&typepb.Money{CurrencyCode: "EUR", AmountMinor: 100}, "-11.2")), "INVALID_RATE", "claim.lines[0].rate"},
		{"amount that overflows in SEK", malmoMember, claimOf(b.GetId(), withMoney(&typepb.Money{CurrencyCode: "EUR", AmountMinor: math.MaxInt64}, "11.5")), "AMOUNT_OVERFLOW", "claim.lines[0].rate"},
		{"ineligible category", malmoMember, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_PER_DIEMS, 10)), "INVALID_ARGUMENT", "claim.lines[0].category"},
		{"line of another budget", malmoMember, claimOf(b.GetId(), sekLine("1", "visa-2031", pb.Category_CATEGORY_TRAVEL, 10)), "INVALID_ARGUMENT", "claim.lines[0].budget_line_id"},
		{"budget not approved", umeaMember, claimOf(other.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)), "BUDGET_NOT_APPROVED", ""},
		{"member of another party", umeaMember, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)), "NOT_FOUND", ""},
		{"partner claims", lusakaStaff, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)), "NOT_THE_SWEDISH_PARTY", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.srv.CreateClaim(tc.ctx, tc.req)
			if got := reasonOf(err); got != tc.reason {
				t.Fatalf("reason %q (%v), want %q", got, err, tc.reason)
			}
			if tc.field != "" && !slices.Contains(fieldsOf(err), tc.field) {
				t.Errorf("fields %v, want %s", fieldsOf(err), tc.field)
			}
		})
	}
	sameCounts(t, "refused claims", before, counts(t, f))

	// A receipt already claimed, and a claim without a period, are refused too.
	claimed := submittedClaim(t, f, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)))
	again := sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)
	again.Receipt = claimed.GetLines()[0].GetReceipt()
	before = counts(t, f)
	if _, err := f.srv.CreateClaim(malmoMember, claimOf(b.GetId(), again)); reasonOf(err) != "DUPLICATE_RECEIPT" {
		t.Errorf("a receipt claimed twice: %v", err)
	}
	noPeriod := claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10))
	noPeriod.Claim.PeriodStart = &date.Date{}
	if _, err := f.srv.CreateClaim(malmoMember, noPeriod); !slices.Contains(fieldsOf(err), "claim.period_start") {
		t.Errorf("a claim without a period: %v", err)
	}
	sameCounts(t, "refused claims", before, counts(t, f))

	// Approving one's own claim; paying an unapproved claim; a stale etag.
	own, err := f.srv.CreateClaim(admin, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)))
	if err != nil {
		t.Fatal(err)
	}
	if own, err = f.srv.SubmitClaim(admin, &pb.TransitionClaimRequest{Id: own.GetId()}); err != nil {
		t.Fatal(err)
	}
	before = counts(t, f)
	if _, err := f.srv.ApproveClaim(admin, &pb.ApproveClaimRequest{Id: own.GetId()}); reasonOf(err) != "SELF_APPROVAL" {
		t.Errorf("approving one's own claim: %v", err)
	}
	if _, err := f.srv.RejectClaim(admin, &pb.RejectClaimRequest{Id: own.GetId(), Reason: "no"}); reasonOf(err) != "SELF_APPROVAL" {
		t.Errorf("rejecting one's own claim: %v", err)
	}
	if _, err := f.srv.CreatePaymentBatch(coordinator, &pb.CreatePaymentBatchRequest{Batch: &pb.PaymentBatch{ClaimIds: []string{own.GetId()}}}); reasonOf(err) != "CLAIM_NOT_APPROVED" {
		t.Errorf("paying an unapproved claim: %v", err)
	}
	if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: own.GetId(), Etag: "1"}); reasonOf(err) != "ETAG_MISMATCH" {
		t.Errorf("stale etag: %v", err)
	}
	if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: own.GetId(), Decisions: []*pb.LineDecision{{LineId: "1", Approved: sekPB(5)}}}); reasonOf(err) != "INVALID_ARGUMENT" {
		t.Errorf("partial approval without a reason: %v", err)
	}
	if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: own.GetId(), Decisions: []*pb.LineDecision{{LineId: "1", Approved: sekPB(11), Reason: "x"}}}); reasonOf(err) != "INVALID_ARGUMENT" {
		t.Errorf("approving more than the cost: %v", err)
	}
	sameCounts(t, "refused decisions", before, counts(t, f))

	// A coordinator who wrote a claim (for the Swedish party) may not approve it either, even when another
	// person submitted it.
	written, err := f.srv.CreateClaim(coordinator, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.SubmitClaim(malmoMember, &pb.TransitionClaimRequest{Id: written.GetId()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: written.GetId()}); reasonOf(err) != "SELF_APPROVAL" {
		t.Errorf("approving a claim one wrote: %v", err)
	}
	// No claim is decided on a closed budget.
	if _, err := f.srv.CloseBudget(coord2, &pb.TransitionBudgetRequest{Id: b.GetId()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.ApproveClaim(coord2, &pb.ApproveClaimRequest{Id: written.GetId()}); reasonOf(err) != "BUDGET_CLOSED" {
		t.Errorf("approving on a closed budget: %v", err)
	}

	// Rejection by another coordinator: every line gets the reason, nothing moves in the ledger.
	rejected, err := f.srv.RejectClaim(coordinator, &pb.RejectClaimRequest{Id: own.GetId(), Reason: "no receipt for the taxi"})
	if err != nil || rejected.GetState() != pb.ClaimState_CLAIM_STATE_REJECTED || rejected.GetLines()[0].GetDecisionReason() != "no receipt for the taxi" {
		t.Fatalf("reject = %v, %v", rejected, err)
	}
	if after := counts(t, f); after["ledger_transactions"] != before["ledger_transactions"] || after["spent"] != before["spent"] {
		t.Errorf("a rejection moved money: %v -> %v", before, after)
	}
}

func TestInKindContributions(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	k, err := f.srv.CreateInKindContribution(lusakaStaff, &pb.CreateInKindContributionRequest{Contribution: &pb.InKindContribution{
		BudgetId: b.GetId(), Date: civil.ToProto(civil.Date{Year: 2026, Month: 4, Day: 2}), PersonRole: "planning officer",
		Activity: "steering-group meeting", Hours: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if k.GetValue().GetAmountMinor() != 300_000 || k.GetHourlyRate().GetAmountMinor() != 30_000 {
		t.Errorf("10 hours are worth %v at %v", k.GetValue(), k.GetHourlyRate())
	}
	if _, err := f.srv.CreateInKindContribution(malmoMember, &pb.CreateInKindContributionRequest{Contribution: &pb.InKindContribution{
		BudgetId: b.GetId(), Date: civil.ToProto(civil.Date{Year: 2026, Month: 4, Day: 2}), PersonRole: "x", Activity: "y", Hours: 1}}); err == nil {
		t.Error("a Swedish member recorded in-kind time of the international party")
	}
	list, err := f.srv.ListInKindContributions(malmoMember, &pb.ListInKindContributionsRequest{BudgetId: b.GetId()})
	if err != nil || len(list.GetContributions()) != 1 {
		t.Errorf("the Swedish party sees %v, %v", list, err)
	}
	hidden, err := f.srv.ListInKindContributions(umeaMember, &pb.ListInKindContributionsRequest{})
	if err != nil || len(hidden.GetContributions()) != 0 {
		t.Errorf("another organisation sees %v, %v", hidden, err)
	}
	if bal := balances(t, f, ""); len(bal) != 5 { // three lines, the commitments and the grant
		t.Errorf("in-kind time touched the ledger: %v", bal)
	}
}

// A receipt already claimed by another organisation is refused without naming that organisation's claim:
// the caller learns the rule it broke, not another tenant's ids.
func TestDuplicateReceiptNamesOnlyAClaimTheCallerMaySee(t *testing.T) {
	f := newFixture(t)
	malmoBudget := approvedBudget(t, f, projectLines())
	claimed := submittedClaim(t, f, claimOf(malmoBudget.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)))

	ub, err := f.srv.CreateBudget(umeaMember, &pb.CreateBudgetRequest{Budget: &pb.Budget{PartnershipId: umeaP, ApplicationId: umeaProj, Lines: projectLines()}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.SubmitBudget(umeaMember, &pb.TransitionBudgetRequest{Id: ub.GetId()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.ApproveBudget(coordinator, &pb.TransitionBudgetRequest{Id: ub.GetId()}); err != nil {
		t.Fatal(err)
	}
	// The same file, uploaded again by each organisation: a document of its own with the same hash.
	reuse := func(budgetID, partnershipID string) *pb.CreateClaimRequest {
		l := sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)
		l.Receipt = receiptOf(partnershipID)
		again := storedReceipts[l.Receipt.DocumentId]
		again.SHA256 = claimed.GetLines()[0].GetReceipt().GetSha256()
		storedReceipts[again.ID], l.Receipt.Sha256 = again, again.SHA256
		return claimOf(budgetID, l)
	}

	// Umeå's claim names no report yet (the fixture's reports are Malmö's): the receipt is what is refused.
	umeaClaim := reuse(ub.GetId(), umeaP)
	umeaClaim.Claim.ReportId = ""
	_, err = f.srv.CreateClaim(umeaMember, umeaClaim)
	if reasonOf(err) != "DUPLICATE_RECEIPT" {
		t.Fatalf("another organisation reusing a receipt: %v, want DUPLICATE_RECEIPT", err)
	}
	if strings.Contains(err.Error(), claimed.GetId()) {
		t.Fatalf("the refusal names another organisation's claim: %v", err)
	}
	_, err = f.srv.CreateClaim(malmoMember, reuse(malmoBudget.GetId(), malmoP))
	if reasonOf(err) != "DUPLICATE_RECEIPT" || !strings.Contains(err.Error(), claimed.GetId()) {
		t.Fatalf("the claim's own organisation: %v, want DUPLICATE_RECEIPT naming %s", err, claimed.GetId())
	}
}

// A cost no budget line could ever reimburse (here close to the int64 limit) is refused when the claim is made,
// not left as a draft to overflow a later sum.
func TestAClaimLargerThanItsBudgetLineIsRefusedAtCreation(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	huge := sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)
	huge.Original = &typepb.Money{CurrencyCode: "SEK", AmountMinor: 9_200_000_000_000_000_000}
	before := counts(t, f)
	_, err := f.srv.CreateClaim(malmoMember, claimOf(b.GetId(), huge))
	if reasonOf(err) != "INVALID_ARGUMENT" || !slices.Contains(fieldsOf(err), "claim.lines[0].cost.sek") {
		t.Fatalf("a 92 000 000 000 000 000 kr cost: %v (fields %v), want 400 on claim.lines[0].cost.sek", err, fieldsOf(err))
	}
	sameCounts(t, "refused claim", before, counts(t, f))
}

// The money follows the report: a claim names the report of its year (or, as the final claim, the final
// report), is submitted only once it does, and is approved only after ICLD approved that report.
func TestClaimsFollowTheirReport(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	unnamed := claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10))
	unnamed.Claim.ReportId = ""
	c, err := f.srv.CreateClaim(malmoMember, unnamed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.SubmitClaim(malmoMember, &pb.TransitionClaimRequest{Id: c.GetId()}); reasonOf(err) != domain.ReasonReportNotNamed {
		t.Fatalf("submitting a claim without its report: %v", err)
	}
	name := func(reportID string, final bool, mask ...string) (*pb.Claim, error) {
		return f.srv.UpdateClaim(malmoMember, &pb.UpdateClaimRequest{Id: c.GetId(), Claim: &pb.Claim{ReportId: reportID, Final: final},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: mask}})
	}
	for _, tc := range []struct {
		name, report string
		final        bool
		want         string
	}{
		{"a report that does not exist", missingReport, false, "not a report of the budget's partnership"},
		{"another year's report", report2027, false, "a claim covers costs of its report's year"},
		{"the final report for a yearly claim", reportFinal, false, "set final"},
		{"a yearly report for the final claim", report2026, true, "a final claim belongs to the application's final report"},
	} {
		_, err := name(tc.report, tc.final, "report_id", "final")
		if !slices.Contains(fieldsOf(err), "claim.report_id") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	named, err := name(reportFinal, true)
	if err != nil || named.GetReportId() != reportFinal || !named.GetFinal() {
		t.Fatalf("naming the final report: %v %v", named, err)
	}

	// A claim of 2027, whose report ICLD has not approved yet, waits for it.
	waiting := claimOf(b.GetId(), sekLine("1", "travel-2027", pb.Category_CATEGORY_TRAVEL, 10))
	waiting.Claim.ReportId = report2027
	waiting.Claim.PeriodStart = civil.ToProto(civil.Date{Year: 2027, Month: 1, Day: 1})
	waiting.Claim.PeriodEnd = civil.ToProto(civil.Date{Year: 2027, Month: 6, Day: 30})
	waiting.Claim.Lines[0].Date = civil.ToProto(civil.Date{Year: 2027, Month: 3, Day: 10})
	w := submittedClaim(t, f, waiting)
	_, err = f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: w.GetId()})
	if reasonOf(err) != domain.ReasonReportNotApproved || !strings.Contains(err.Error(), "partial report of 2027") {
		t.Fatalf("approving before the report: %v", err)
	}
}

// An approved report stays approved, so the approvals of its claims ask the partnership service about it once.
func TestAnApprovedReportIsAskedAboutOnce(t *testing.T) {
	f := newFixture(t)
	apps := fixtureApps()
	f.srv.apps = apps
	b := approvedBudget(t, f, projectLines())
	var claims []*pb.Claim
	for _, id := range []string{"1", "2"} {
		claims = append(claims, submittedClaim(t, f, claimOf(b.GetId(), sekLine(id, "travel-2026", pb.Category_CATEGORY_TRAVEL, 10))))
	}
	apps.reportCalls.Store(0) // the creates read it to check it: what counts is the approvals
	for i, c := range claims {
		if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: c.GetId()}); err != nil {
			t.Fatalf("claim %d: %v", i+1, err)
		}
	}
	if n := apps.reportCalls.Load(); n != 1 {
		t.Fatalf("the report was read %d times for two claims", n)
	}
}

// Every receipt is a stored file: a receipt of the claim's partnership, still kept, with the hash the line
// gives. Each refusal names the line's field and writes nothing.
func TestReceiptsAreStoredReceipts(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	line := func(edit func(r *pb.Receipt)) *pb.CreateClaimRequest {
		l := sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)
		edit(l.Receipt)
		return claimOf(b.GetId(), l)
	}
	stored := func(edit func(d *domain.Document)) func(r *pb.Receipt) {
		return func(r *pb.Receipt) {
			d := storedReceipts[r.GetDocumentId()]
			edit(&d)
			storedReceipts[d.ID] = d
		}
	}
	before := counts(t, f)
	for name, tc := range map[string]struct {
		edit  func(r *pb.Receipt)
		field string
	}{
		"no document":         {func(r *pb.Receipt) { r.DocumentId = "" }, "claim.lines[0].receipt.document_id"},
		"an unknown document": {func(r *pb.Receipt) { r.DocumentId = missingApp }, "claim.lines[0].receipt.document_id"},
		"another's document":  {stored(func(d *domain.Document) { d.PartnershipID = umeaP }), "claim.lines[0].receipt.document_id"},
		"a decision":          {stored(func(d *domain.Document) { d.Kind = "decision" }), "claim.lines[0].receipt.document_id"},
		"an erased receipt":   {stored(func(d *domain.Document) { d.Erased = true }), "claim.lines[0].receipt.document_id"},
		"another file's hash": {func(r *pb.Receipt) { r.Sha256 = strings.Repeat("e", 64) }, "claim.lines[0].receipt.sha256"},
		"another file's size": {func(r *pb.Receipt) { r.Size++ }, "claim.lines[0].receipt.size"},
	} {
		_, err := f.srv.CreateClaim(malmoMember, line(tc.edit))
		if !slices.Contains(fieldsOf(err), tc.field) {
			t.Errorf("%s: %v, want a refusal of %s", name, err, tc.field)
		}
	}
	if after := counts(t, f); !maps.Equal(after, before) {
		t.Errorf("the refusals wrote: %v, then %v", before, after)
	}
	if _, err := f.srv.CreateClaim(malmoMember, line(func(*pb.Receipt) {})); err != nil {
		t.Fatalf("a stored receipt: %v", err)
	}
}
