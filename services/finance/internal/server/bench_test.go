package server

import (
	"testing"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
)

// BenchmarkClaimSubmitApprove measures submitting and approving a one-line claim on real PostgreSQL: two
// transactions, the second locking the budget's spend rows and the ledger head and appending a hash-chained
// transaction. Run it with
//
//	go test -run '^$' -bench ClaimSubmitApprove -benchtime 2000x ./services/finance/internal/server/
func BenchmarkClaimSubmitApprove(b *testing.B) {
	f := newFixture(b)
	budget := approvedBudget(b, f, projectLines())
	ids := make([]string, b.N)
	for i := range ids {
		c, err := f.srv.CreateClaim(malmoMember, claimOf(budget.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 1)))
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = c.GetId()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for _, id := range ids {
		if _, err := f.srv.SubmitClaim(malmoMember, &pb.TransitionClaimRequest{Id: id}); err != nil {
			b.Fatal(err)
		}
		if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: id}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims/s")
}
