package server

import (
	"context"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// GetFinancialReport is an application's money per budget line and year, as far as the caller sees it.
func (s *Server) GetFinancialReport(ctx context.Context, req *pb.GetFinancialReportRequest) (*pb.FinancialReport, error) {
	lines, err := store.FinancialReport(ctx, s.pool, scope(ctx), req.GetPartnershipId(), req.GetApplicationId(), int(req.GetYear()))
	if err != nil {
		return nil, err
	}
	out := &pb.FinancialReport{PartnershipId: req.GetPartnershipId(), ApplicationId: req.GetApplicationId(), Year: req.GetYear()}
	var total store.FinancialLine
	for _, l := range lines {
		out.Lines = append(out.Lines, financialLineToProto(l))
		total.Budgeted, total.Claimed, total.Approved, total.Paid = total.Budgeted+l.Budgeted, total.Claimed+l.Claimed, total.Approved+l.Approved, total.Paid+l.Paid
	}
	out.Total = financialLineToProto(total)
	return out, nil
}

func financialLineToProto(l store.FinancialLine) *pb.FinancialLine {
	return &pb.FinancialLine{BudgetId: l.BudgetID, LineId: l.LineID, Category: enumword.Of[pb.Category](l.Category), Year: int32(l.Year),
		Budgeted: moneyToProto(money.SEKOre(l.Budgeted)), Claimed: moneyToProto(money.SEKOre(l.Claimed)),
		Approved: moneyToProto(money.SEKOre(l.Approved)), Paid: moneyToProto(money.SEKOre(l.Paid))}
}
