package server

import (
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"
)

// A submitted claim waits for ICLD's decision: a deadline CLAIM_WAIT_DAYS after its submission, seen by ICLD and
// by the claim's own organisation only; a draft and a decided claim wait for nothing.
func TestClaimsWaitingAreDeadlines(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	waiting := submittedClaim(t, f, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 10)))
	if _, err := f.srv.CreateClaim(malmoMember, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 20))); err != nil {
		t.Fatal(err)
	}
	decided := submittedClaim(t, f, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 30)))
	if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: decided.GetId()}); err != nil {
		t.Fatal(err)
	}
	now := time.Now() // the claims are submitted now
	all := &typepb.DeadlinesRequest{From: &date.Date{Year: int32(now.Year()), Month: 1, Day: 1}, To: &date.Date{Year: int32(now.Year()) + 1, Month: 12, Day: 31}}
	for name, tc := range map[string]struct {
		req  *typepb.DeadlinesRequest
		want int
	}{
		"coordinator":  {all, 1},
		"Umeå member":  {all, 0},
		"Malmö member": {all, 1},
		"for Umeå":     {&typepb.DeadlinesRequest{From: all.From, To: all.To, OrganizationId: umea}, 0},
	} {
		ctx := coordinator
		switch name {
		case "Umeå member":
			ctx = umeaMember
		case "Malmö member":
			ctx = malmoMember
		}
		resp, err := f.srv.ListDeadlines(ctx, tc.req)
		if err != nil || len(resp.GetDeadlines()) != tc.want {
			t.Fatalf("%s: %v %v, want %d deadlines", name, resp, err, tc.want)
		}
		if tc.want == 1 {
			d := resp.GetDeadlines()[0]
			due := civil.ToProto(domain.DecisionDue(waiting.GetUpdateTime().AsTime(), DefaultClaimWaitDays)) // submitted when last changed
			if d.GetId() != "claim-decision/"+waiting.GetId() || d.GetKind() != typepb.DeadlineKind_DEADLINE_KIND_CLAIM_DECISION ||
				d.GetDueDate().GetDay() != due.GetDay() || d.GetResource() != "/v1/claims/"+waiting.GetId() {
				t.Errorf("%s: %v", name, d)
			}
		}
	}
	if _, err := f.srv.ListDeadlines(coordinator, &typepb.DeadlinesRequest{From: all.To, To: all.From}); reasonOf(err) != "INVALID_ARGUMENT" {
		t.Errorf("a span that ends before it starts: %v", err)
	}
}
