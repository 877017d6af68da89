package server

import (
	"context"

	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// ListDeadlines answers the deadlines within the request's days of the partnerships the caller sees (of one
// organisation's, when the request names one): application windows closing, reports due, visits the year
// lacks and planned visits.
func (s *CooperationServer) ListDeadlines(ctx context.Context, req *typepb.DeadlinesRequest) (*typepb.DeadlinesResponse, error) {
	from, to, err := civil.SpanFromProto(req.GetFrom(), req.GetTo())
	if err != nil {
		return nil, err
	}
	span := programme.Period{From: from, To: to}
	today := civil.DateOf(timeNow())
	rules, err := store.RuleSetOn(ctx, s.pool, today)
	if err != nil {
		return nil, err
	}
	ws, err := store.ListWindows(ctx, s.pool, "", span.From)
	if err != nil {
		return nil, err
	}
	var programmeWindows []programme.Window
	for _, w := range ws {
		programmeWindows = append(programmeWindows, w.Window)
	}
	all := programme.WindowDeadlines(programmeWindows, span)
	filter := store.PartnershipFilter{OrganizationID: req.GetOrganizationId(), VisibleTo: auth.Caller(ctx).Scope()}
	for after := ""; ; {
		ps, err := store.ListPartnerships(ctx, s.pool, filter, after, 500)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			switch p.State {
			case domain.StateInception, domain.StateActive, domain.StateCompleted: // the ones with work, or a final report, ahead
			default:
				continue
			}
			agenda, err := agendaOf(ctx, s.pool, p, today.Year)
			if err != nil {
				return nil, err
			}
			all = append(all, agenda.Deadlines(rules.Reports, span)...)
		}
		if len(ps) < 500 {
			break
		}
		after = ps[len(ps)-1].ID
	}
	programme.SortDeadlines(all)
	resp := &typepb.DeadlinesResponse{}
	for _, d := range all {
		resp.Deadlines = append(resp.Deadlines, deadlineToProto(d))
	}
	return resp, nil
}

// agendaOf reads what partnership p has ahead of it: its parties, applications, reports and visits, and what
// year's visits still lack.
func agendaOf(ctx context.Context, q store.Querier, p store.Partnership, year int) (programme.PartnershipAgenda, error) {
	a := programme.PartnershipAgenda{ID: p.ID, Title: p.Title, Year: year}
	var err error
	if a.Parties, err = parties(ctx, q, p); err != nil {
		return a, err
	}
	a.Swedish = a.Parties[0]
	apps, err := store.ListApplications(ctx, q, p.ID)
	if err != nil {
		return a, err
	}
	for _, app := range apps {
		a.Applications = append(a.Applications, app.Application)
	}
	reports, err := store.ListReports(ctx, q, store.ReportFilter{PartnershipID: p.ID}, "", 10_000)
	if err != nil {
		return a, err
	}
	for _, r := range reports {
		a.Reports = append(a.Reports, r.Report)
	}
	visits, err := store.ListVisits(ctx, q, p.ID)
	if err != nil {
		return a, err
	}
	a.Visits = store.DomainVisits(visits)
	if p.State == domain.StateCompleted {
		return a, nil // no longer measured against the visit rule
	}
	c, err := complianceOf(ctx, q, p, a.Parties, a.Visits, year) // the parties and visits read above
	if err != nil {
		return a, err
	}
	for _, y := range c.GetYears() {
		for _, v := range y.GetViolations() {
			a.MissingVisits = append(a.MissingVisits, v.GetDescription())
		}
	}
	return a, nil
}

func deadlineToProto(d programme.Deadline) *typepb.Deadline {
	return &typepb.Deadline{Id: d.ID, Kind: enumword.Of[typepb.DeadlineKind](string(d.Kind)), Title: d.Title, DueDate: civil.ToProto(d.Due),
		PartnershipId: d.PartnershipID, OrganizationIds: d.OrgIDs, Responsible: d.Responsible, Resource: d.Resource, Facts: d.Facts}
}
