package server

import (
	"strings"
	"testing"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
)

// Sida's grant of a year holds the year's budget approvals: nothing of a year without a grant is committed,
// an approval beyond what is left is refused naming the remainder, the grant cannot be lowered below what is
// committed, and the ledger's commitments account is funded from the grants and never goes negative.
func TestGrantsHoldApprovals(t *testing.T) {
	f := newBareFixture(t)
	if _, err := f.srv.CreateGrant(admin, &pb.CreateGrantRequest{Grant: &pb.Grant{Year: 2026, Amount: sekPB(350_000)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.CreateGrant(admin, &pb.CreateGrantRequest{Grant: &pb.Grant{Year: 2026, Amount: sekPB(1)}}); reasonOf(err) != "GRANT_EXISTS" {
		t.Fatalf("a second grant of a year: %v", err)
	}
	// 300 000 of 2026 and 150 000 of 2027: nothing of 2027 is committed before its grant is recorded.
	b, err := f.srv.CreateBudget(malmoMember, &pb.CreateBudgetRequest{Budget: &pb.Budget{PartnershipId: malmoP, ApplicationId: project, Lines: projectLines()}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.SubmitBudget(malmoMember, &pb.TransitionBudgetRequest{Id: b.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = f.srv.ApproveBudget(coordinator, &pb.TransitionBudgetRequest{Id: b.GetId()})
	if reasonOf(err) != "GRANT_NOT_RECORDED" || !strings.Contains(err.Error(), "no grant of 2027") || strings.Contains(err.Error(), "2026") && !strings.Contains(err.Error(), "of 2027") {
		t.Fatalf("a budget of a year without a grant: %v", err)
	}
	if _, err := f.srv.CreateGrant(admin, &pb.CreateGrantRequest{Grant: &pb.Grant{Year: 2027, Amount: sekPB(150_000)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.ApproveBudget(coordinator, &pb.TransitionBudgetRequest{Id: b.GetId()}); err != nil {
		t.Fatalf("the approval once both years are granted: %v", err)
	}

	ub, err := f.srv.CreateBudget(umeaMember, &pb.CreateBudgetRequest{Budget: &pb.Budget{PartnershipId: umeaP, ApplicationId: umeaProj,
		Lines: []*pb.BudgetLine{line("travel-2026", pb.Category_CATEGORY_TRAVEL, 2026, 100_000)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.SubmitBudget(umeaMember, &pb.TransitionBudgetRequest{Id: ub.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = f.srv.ApproveBudget(coordinator, &pb.TransitionBudgetRequest{Id: ub.GetId()})
	if reasonOf(err) != "GRANT_EXCEEDED" || !strings.Contains(err.Error(), "only 50") {
		t.Fatalf("100 000 more of 2026 with 50 000 left: %v", err)
	}
	if _, err := f.srv.UpdateGrant(admin, &pb.UpdateGrantRequest{Year: 2026, Grant: &pb.Grant{Amount: sekPB(200_000)}}); reasonOf(err) != "GRANT_EXCEEDED" {
		t.Fatalf("a grant below what is committed: %v", err)
	}
	grown, err := f.srv.UpdateGrant(admin, &pb.UpdateGrantRequest{Year: 2026, Grant: &pb.Grant{Amount: sekPB(450_000)}})
	if err != nil || grown.GetLeft().GetAmountMinor() != 15_000_000 {
		t.Fatalf("the grown grant: %v %v", grown, err)
	}
	if _, err := f.srv.ApproveBudget(coordinator, &pb.TransitionBudgetRequest{Id: ub.GetId()}); err != nil {
		t.Fatalf("the approval within the grown grant: %v", err)
	}

	balances, err := f.srv.ListLedgerBalances(auditor, &pb.ListLedgerBalancesRequest{AccountPrefix: "programme/"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, b := range balances.GetBalances() {
		got[b.GetAccount()] = b.GetAmount().GetAmountMinor()
	}
	// Granted 450 000 of 2026 and 150 000 of 2027; committed 400 000 and 150 000.
	if got["programme/grant"] != -60_000_000 || got["programme/commitments"] != 60_000_000-55_000_000 {
		t.Errorf("programme balances %v", got)
	}
	plan, err := f.srv.GetProgrammePlan(auditor, &pb.GetProgrammePlanRequest{FromYear: 2026, ToYear: 2027})
	if err != nil || len(plan.GetYears()) != 2 {
		t.Fatalf("plan: %v %v", plan, err)
	}
	y2026, y2027 := plan.GetYears()[0], plan.GetYears()[1]
	if y2026.GetGrant().GetAmountMinor() != 45_000_000 || y2026.GetCommitted().GetAmountMinor() != 40_000_000 || y2026.GetLeft().GetAmountMinor() != 5_000_000 ||
		y2027.GetGrant().GetAmountMinor() != 15_000_000 || y2027.GetCommitted().GetAmountMinor() != 15_000_000 || y2027.GetLeft().GetAmountMinor() != 0 {
		t.Errorf("plan years %v %v", y2026, y2027)
	}
}
