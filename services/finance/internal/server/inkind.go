package server

import (
	"context"

	"github.com/jackc/pgx/v5"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// CreateInKindContribution records the international party's working time, valued at the notional rate of the
// budget rules in force on its day. It is reported, never paid, and so never touches the ledger.
func (s *Server) CreateInKindContribution(ctx context.Context, req *pb.CreateInKindContributionRequest) (*pb.InKindContribution, error) {
	in := req.GetContribution()
	day, err := civil.FromProto("contribution.date", in.GetDate())
	if err != nil {
		return nil, err
	}
	if day.IsZero() {
		return nil, fault.InvalidField("contribution.date", "give the day the work was done")
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesBudget(ctx, (*pb.InKindContribution).GetBudgetId), func(tx pgx.Tx) (*pb.InKindContribution, error) {
		b, err := store.GetBudget(ctx, tx, in.GetBudgetId(), scope(ctx))
		if err != nil {
			return nil, err
		}
		if p := auth.Caller(ctx); p.Role != auth.RoleAdmin && (p.Role != auth.RolePartner || p.Scope() != b.Application.InternationalOrgID) {
			return nil, &fault.PermissionDenied{Reason: "NOT_THE_INTERNATIONAL_PARTY",
				Message: "in-kind time is recorded by staff of the partnership's international party"}
		}
		rules, err := rulesOn(ctx, tx, day)
		if err != nil {
			return nil, err
		}
		value, err := rules.InKindHourlyRate.Mul(int64(in.GetHours()))
		if err != nil {
			return nil, money.Invalid(err, "contribution.hours")
		}
		k, err := store.CreateInKind(ctx, tx, b, store.InKind{Date: day, PersonRole: in.GetPersonRole(), Activity: in.GetActivity(),
			Hours: int(in.GetHours()), HourlyRate: rules.InKindHourlyRate, Value: value}, actor(ctx))
		return inKindToProto(k), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "")
	return out, nil
}

// ListInKindContributions pages through the contributions the caller may see, oldest first.
func (s *Server) ListInKindContributions(ctx context.Context, req *pb.ListInKindContributionsRequest) (*pb.ListInKindContributionsResponse, error) {
	f := store.InKindFilter{VisibleTo: scope(ctx), BudgetID: req.GetBudgetId()}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), f.VisibleTo, f.BudgetID)
	if err != nil {
		return nil, err
	}
	list, err := store.ListInKind(ctx, s.pool, f, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListInKindContributionsResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(x store.InKind) string { return x.ID })
	for _, k := range list {
		resp.Contributions = append(resp.Contributions, inKindToProto(k))
	}
	return resp, nil
}
