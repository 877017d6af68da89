package server

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// ListBudgetRules returns the version in force on the day asked (today by default), or every version.
func (s *Server) ListBudgetRules(ctx context.Context, req *pb.ListBudgetRulesRequest) (*pb.ListBudgetRulesResponse, error) {
	day, err := civil.FromProto("date", req.GetDate())
	if err != nil {
		return nil, err
	}
	if day.IsZero() {
		day = s.today()
	}
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), day.String(), strconv.FormatBool(req.GetAllVersions()))
	if err != nil {
		return nil, err
	}
	all, err := store.ListRules(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	var chosen []store.Rules
	for _, r := range all {
		if req.GetAllVersions() || r.Period.Contains(day) {
			chosen = append(chosen, r)
		}
	}
	resp := &pb.ListBudgetRulesResponse{}
	// Days are written year first, so the key sorts as the versions do: by first day, then by id.
	chosen, resp.NextPageToken = page.Slice(cursor, chosen, func(r store.Rules) string { return r.Period.From.String() + "/" + r.ID })
	for _, r := range chosen {
		resp.Rules = append(resp.Rules, rulesToProto(r))
	}
	return resp, nil
}

// rulesOn returns the version in force on day, or a FAILED_PRECONDITION saying none is.
func rulesOn(ctx context.Context, q store.Querier, day domain.Date) (store.Rules, error) {
	all, err := store.ListRules(ctx, q)
	if err != nil {
		return store.Rules{}, err
	}
	for _, r := range all {
		if r.Period.Contains(day) {
			return r, nil
		}
	}
	msg := fmt.Sprintf("no budget rules are in force on %s; an admin must add them", day)
	return store.Rules{}, &fault.FailedPrecondition{Reason: "NO_BUDGET_RULES", Message: msg,
		Violations: []fault.PreconditionViolation{{Type: "NO_BUDGET_RULES", Subject: day.String(), Description: msg}}}
}

// CreateBudgetRules adds a version of the rules.
func (s *Server) CreateBudgetRules(ctx context.Context, req *pb.CreateBudgetRulesRequest) (*pb.BudgetRules, error) {
	in := req.GetRules()
	r := domain.CapRules{}
	var err error
	if r.Period.From, err = civil.FromProto("rules.valid_from", in.GetValidFrom()); err != nil {
		return nil, err
	}
	if r.Period.To, err = civil.FromProto("rules.valid_to", in.GetValidTo()); err != nil {
		return nil, err
	}
	if r.InKindHourlyRate, err = moneyFromProto("rules.in_kind_hourly_rate", in.GetInKindHourlyRate()); err != nil {
		return nil, err
	}
	for i, c := range in.GetCaps() {
		at := fmt.Sprintf("rules.caps[%d]", i)
		cp := domain.Cap{Key: domain.CapKey{Kind: domain.ApplicationKind(enumword.Word(c.GetKind())), CostZone: domain.CostZone(enumword.Word(c.GetCostZone())),
			Parties: int(c.GetParties())}, PerYear: c.GetPerYear(), LimitsWorkInput: c.GetWorkInputMax() != nil}
		if cp.Total, err = moneyFromProto(at+".total", c.GetTotal()); err != nil {
			return nil, err
		}
		if cp.WorkInputMax, err = moneyFromProto(at+".work_input_max", c.GetWorkInputMax()); err != nil {
			return nil, err
		}
		r.Caps = append(r.Caps, cp)
	}
	if err := r.Validate(); err != nil {
		return nil, prefixFields(err, "rules.")
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.BudgetRules, error) {
		stored, err := store.CreateRules(ctx, tx, r, actor(ctx))
		return rulesToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "")
	return out, nil
}

// EndBudgetRules sets the last day of a version.
func (s *Server) EndBudgetRules(ctx context.Context, req *pb.EndBudgetRulesRequest) (*pb.BudgetRules, error) {
	to, err := civil.FromProto("valid_to", req.GetValidTo())
	if err != nil {
		return nil, err
	}
	if to.IsZero() {
		return nil, fault.InvalidField("valid_to", "give the last day the rules apply")
	}
	return idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.BudgetRules, error) {
		stored, err := store.EndRules(ctx, tx, req.GetId(), to, actor(ctx))
		return rulesToProto(stored), err
	})
}
