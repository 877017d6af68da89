package server

import (
	"context"
	"strconv"

	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
)

// ListDeadlines answers the milestones, within the request's days, of the networks the caller sees that
// have not closed (of the networks one organisation's partnerships belong to, when the request names one):
// for the member partnerships' parties.
func (s *Server) ListDeadlines(ctx context.Context, req *typepb.DeadlinesRequest) (*typepb.DeadlinesResponse, error) {
	from, to, err := civil.SpanFromProto(req.GetFrom(), req.GetTo())
	if err != nil {
		return nil, err
	}
	scope := auth.Caller(ctx).Scope()
	resp := &typepb.DeadlinesResponse{}
	for after := ""; ; {
		ns, err := store.ListNetworks(ctx, s.pool, store.NetworkFilter{VisibleTo: scope}, after, 500)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if n.Status == domain.StatusClosed {
				continue
			}
			ms, err := store.ListMemberships(ctx, s.pool, n.ID, scope, false)
			if err != nil {
				return nil, err
			}
			var orgs []string
			member := req.GetOrganizationId() == ""
			for _, m := range ms {
				orgs = append(orgs, m.SwedishOrgID, m.InternationalOrgID)
				member = member || m.SwedishOrgID == req.GetOrganizationId() || m.InternationalOrgID == req.GetOrganizationId()
			}
			if !member {
				continue
			}
			for _, m := range n.Milestones() {
				if m.Day.Before(from) || m.Day.After(to) {
					continue
				}
				resp.Deadlines = append(resp.Deadlines, &typepb.Deadline{Id: m.ID, Kind: typepb.DeadlineKind_DEADLINE_KIND_NETWORK_MILESTONE,
					Title: m.Title, DueDate: civil.ToProto(m.Day), OrganizationIds: orgs, Responsible: "The partnerships of " + n.Name,
					Resource: "/v1/networks/" + n.ID, Facts: map[string]string{"network": n.Name, "cohort_year": strconv.Itoa(m.Year)}})
			}
		}
		if len(ns) < 500 {
			break
		}
		after = ns[len(ns)-1].ID
	}
	return resp, nil
}
