package server

import (
	"context"
	"fmt"

	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// ListDeadlines answers the claims the caller sees that wait for ICLD's decision, due within the request's
// days (of one organisation's partnerships, when the request names one).
func (s *Server) ListDeadlines(ctx context.Context, req *typepb.DeadlinesRequest) (*typepb.DeadlinesResponse, error) {
	from, err := civil.FromProto("from", req.GetFrom())
	if err != nil {
		return nil, err
	}
	to, err := civil.FromProto("to", req.GetTo())
	if err != nil {
		return nil, err
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, fault.InvalidField("to", fmt.Sprintf("give a first and a last day, the last not before the first (%s to %s)", from, to))
	}
	resp := &typepb.DeadlinesResponse{}
	filter := store.ClaimFilter{VisibleTo: scope(ctx), State: domain.StatusSubmitted}
	for after := ""; ; {
		cs, err := store.ListClaims(ctx, s.pool, filter, after, 500)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			org := req.GetOrganizationId()
			if c.SubmitTime == nil || org != "" && org != c.SwedishOrgID && org != c.InternationalOrgID {
				continue
			}
			d := domain.DecisionDeadline(c.ID, c.PartnershipID, c.Total, *c.SubmitTime, s.claimWaitDays)
			if d.Due.Before(from) || d.Due.After(to) {
				continue
			}
			resp.Deadlines = append(resp.Deadlines, &typepb.Deadline{Id: d.ID, Kind: typepb.DeadlineKind_DEADLINE_KIND_CLAIM_DECISION,
				Title: d.Title, DueDate: civil.ToProto(d.Due), PartnershipId: d.PartnershipID, Responsible: "ICLD programme officers",
				Resource: d.Resource, Facts: map[string]string{"amount": c.Total.String()}})
		}
		if len(cs) < 500 {
			break
		}
		after = cs[len(cs)-1].ID
	}
	return resp, nil
}
