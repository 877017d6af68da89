package server

import (
	"context"

	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// ListDeadlines answers the claims the caller sees that wait for ICLD's decision, due within the request's
// days (of one organisation's partnerships, when the request names one).
func (s *Server) ListDeadlines(ctx context.Context, req *typepb.DeadlinesRequest) (*typepb.DeadlinesResponse, error) {
	from, to, err := civil.SpanFromProto(req.GetFrom(), req.GetTo())
	if err != nil {
		return nil, err
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
