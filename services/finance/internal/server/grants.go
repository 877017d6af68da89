package server

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// CreateGrant records Sida's grant for a year and moves it into the commitments account.
func (s *Server) CreateGrant(ctx context.Context, req *pb.CreateGrantRequest) (*pb.Grant, error) {
	in := req.GetGrant()
	amount, err := grantAmount(in)
	if err != nil {
		return nil, err
	}
	if in.GetYear() == 0 {
		return nil, fault.InvalidField("grant.year", "give the calendar year the grant is for")
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.Grant, error) {
		var entry *domain.Transaction
		if !amount.IsZero() { // a grant of nothing moves nothing
			entry = ledgerEntry(ctx, fmt.Sprintf("Sida's grant of %d", in.GetYear()), domain.GrantPostings(amount))
		}
		g, err := store.CreateGrant(ctx, tx, int(in.GetYear()), amount.Minor, entry, actor(ctx))
		return grantToProto(g), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// grantAmount reads a grant's amount: SEK, not negative.
func grantAmount(in *pb.Grant) (money.Amount, error) {
	amount, err := moneyFromProto("grant.amount", in.GetAmount())
	switch {
	case err != nil:
		return amount, err
	case amount.Currency != money.SEK:
		return amount, fault.InvalidField("grant.amount", "Sida grants the programme in SEK")
	case amount.Minor < 0:
		return amount, fault.InvalidField("grant.amount", "a grant is not negative")
	}
	return amount, nil
}

// ListGrants lists the grants by year.
func (s *Server) ListGrants(ctx context.Context, req *pb.ListGrantsRequest) (*pb.ListGrantsResponse, error) {
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	after := 0
	if cursor.After != "" {
		if after, err = strconv.Atoi(cursor.After); err != nil {
			return nil, fault.InvalidField("page_token", "the page token is not one this list gave out; start again without it")
		}
	}
	gs, err := store.ListGrants(ctx, s.pool, after, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListGrantsResponse{}
	gs, resp.NextPageToken = page.Close(cursor, gs, func(g store.Grant) string { return strconv.Itoa(g.Year) })
	for _, g := range gs {
		resp.Grants = append(resp.Grants, grantToProto(g))
	}
	return resp, nil
}

// UpdateGrant changes a year's grant, never below what approved budgets commit of it.
func (s *Server) UpdateGrant(ctx context.Context, req *pb.UpdateGrantRequest) (*pb.Grant, error) {
	in := req.GetGrant()
	if in == nil {
		return nil, fault.InvalidField("grant", "is required")
	}
	if _, err := fieldmask.Paths(req.GetUpdateMask(), in, []string{"amount"}); err != nil {
		return nil, err
	}
	amount, err := grantAmount(in)
	if err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.Grant, error) {
		g, err := store.UpdateGrant(ctx, tx, int(req.GetYear()), httpmeta.IfMatch(ctx, in.GetEtag()), amount.Minor, func(delta int64) *domain.Transaction {
			return ledgerEntry(ctx, fmt.Sprintf("Sida's grant of %d changed", req.GetYear()), domain.GrantPostings(money.SEKOre(delta)))
		}, actor(ctx))
		return grantToProto(g), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// GetProgrammePlan is the programme's money per year: grant, committed, claimed, paid and left.
func (s *Server) GetProgrammePlan(ctx context.Context, req *pb.GetProgrammePlanRequest) (*pb.GetProgrammePlanResponse, error) {
	this := s.today().Year
	from, to := int(req.GetFromYear()), int(req.GetToYear())
	if from == 0 {
		from = this - 1
	}
	if to == 0 {
		to = min(max(from, this)+4, from+20)
	}
	if to < from || to-from > 20 {
		return nil, fault.InvalidField("to_year", fmt.Sprintf("give a year from %d to %d (at most 20 years after from_year)", from, from+20))
	}
	years, err := store.Plan(ctx, s.pool, from, to)
	if err != nil {
		return nil, err
	}
	resp := &pb.GetProgrammePlanResponse{}
	for _, y := range years {
		out := &pb.PlanYear{Year: int32(y.Year), Committed: moneyToProto(money.SEKOre(y.Committed)),
			Claimed: moneyToProto(money.SEKOre(y.Claimed)), Paid: moneyToProto(money.SEKOre(y.Paid))}
		if y.Grant != nil {
			out.Grant, out.Left = moneyToProto(money.SEKOre(*y.Grant)), moneyToProto(money.SEKOre(*y.Grant-y.Committed))
		}
		resp.Years = append(resp.Years, out)
	}
	return resp, nil
}

func grantToProto(g store.Grant) *pb.Grant {
	return &pb.Grant{Year: int32(g.Year), Amount: moneyToProto(money.SEKOre(g.AmountMinor)), Committed: moneyToProto(money.SEKOre(g.CommittedMinor)),
		Left: moneyToProto(money.SEKOre(g.AmountMinor - g.CommittedMinor)), Etag: g.ETag(), CreateTime: timestamppb.New(g.CreateTime),
		UpdateTime: timestamppb.New(g.UpdateTime), Creator: g.Creator, Updater: g.Updater}
}
