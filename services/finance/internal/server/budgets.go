package server

import (
	"context"
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// ListBudgets pages through the budgets the caller may see, oldest first.
func (s *Server) ListBudgets(ctx context.Context, req *pb.ListBudgetsRequest) (*pb.ListBudgetsResponse, error) {
	filter := store.BudgetFilter{VisibleTo: auth.Caller(ctx).Scope()}
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), filter.VisibleTo)
	if err != nil {
		return nil, err
	}
	list, err := store.ListBudgets(ctx, s.pool, filter, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListBudgetsResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(x store.Budget) string { return x.ID })
	for _, b := range list {
		resp.Budgets = append(resp.Budgets, budgetToProto(b))
	}
	return resp, nil
}

// stateToProto maps the stored word to the API's enum: the word is the enum name without its prefix, in lower
// case ("approved" is BUDGET_STATE_APPROVED), so a new state needs no new code here.
func stateToProto(s string) pb.BudgetState {
	return pb.BudgetState(pb.BudgetState_value["BUDGET_STATE_"+strings.ToUpper(s)])
}

func budgetToProto(b store.Budget) *pb.Budget {
	return &pb.Budget{
		Id: b.ID, PartnershipId: b.PartnershipID, State: stateToProto(b.State),
		Total:      &typepb.Money{CurrencyCode: b.CurrencyCode, AmountMinor: b.TotalMinor},
		CreateTime: timestamppb.New(b.CreateTime), UpdateTime: timestamppb.New(b.UpdateTime), Creator: b.Creator,
	}
}
