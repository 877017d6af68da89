package server

import (
	"context"
	"strconv"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/internal/partnerships"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
)

// AddMembership adds a partnership to a recruiting network. The partnership is read from the partnership
// service before any write, with the caller's own rights: when that service is down the answer is UNAVAILABLE
// within the call's deadline and nothing is written.
func (s *Server) AddMembership(ctx context.Context, req *pb.AddMembershipRequest) (*pb.Membership, error) {
	n, err := store.GetNetwork(ctx, s.pool, req.GetNetworkId(), "")
	if err != nil {
		return nil, err
	}
	if err := mayManage(ctx, n); err != nil {
		return nil, err
	}
	partnershipID := req.GetMembership().GetPartnershipId()
	candidate, summary, err := s.partnerships.Candidate(ctx, partnershipID)
	if err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesNetwork(ctx, (*pb.Membership).GetNetworkId), func(tx pgx.Tx) (*pb.Membership, error) {
		current, err := store.LockNetwork(ctx, tx, n.ID, "")
		if err != nil {
			return nil, err
		}
		if err := mayManage(ctx, current); err != nil { // the coordinator may have changed meanwhile
			return nil, err
		}
		others, err := store.OtherActiveNetworks(ctx, tx, n.ID, partnershipID)
		if err != nil {
			return nil, err
		}
		if err := domain.CheckJoin(current.Network, candidate, others, s.rule); err != nil {
			return nil, err
		}
		stored, err := store.AddMembership(ctx, tx, store.Membership{
			Membership:   domain.Membership{NetworkID: n.ID, PartnershipID: partnershipID, Joined: civil.DateOf(time.Now())},
			SwedishOrgID: summary.SwedishOrgID, InternationalOrgID: summary.InternationalOrgID,
		}, record.ActorFrom(ctx))
		out := membershipToProto(stored)
		out.Partnership = infoToProto(summary)
		return out, err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "")
	return out, nil
}

func infoToProto(s partnerships.Summary) *pb.PartnershipInfo {
	return &pb.PartnershipInfo{Title: s.Title, State: enumword.Of[partnershippb.PartnershipState](s.State), SwedishParty: s.SwedishParty, InternationalParty: s.InternationalParty}
}

// ListMemberships lists a network's memberships with each partnership as the partnership service reports it
// now. When that service is down the memberships are still listed, and partnerships_unavailable says why the
// partnership fields are empty; a partnership the caller may not see is left empty too.
func (s *Server) ListMemberships(ctx context.Context, req *pb.ListMembershipsRequest) (*pb.ListMembershipsResponse, error) {
	if _, err := store.GetNetwork(ctx, s.pool, req.GetNetworkId(), auth.Caller(ctx).Scope()); err != nil {
		return nil, err
	}
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), req.GetNetworkId(), auth.Caller(ctx).Scope(), strconv.FormatBool(req.GetIncludeRemoved()))
	if err != nil {
		return nil, err
	}
	ms, err := store.ListMemberships(ctx, s.pool, req.GetNetworkId(), auth.Caller(ctx).Scope(), req.GetIncludeRemoved())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListMembershipsResponse{}
	// The page is cut before the partnerships are read, so that a page asks the partnership service only
	// about its own memberships.
	ms, resp.NextPageToken = page.Slice(cursor, ms, membershipKey)
	for _, m := range ms {
		out := membershipToProto(m)
		if !resp.PartnershipsUnavailable {
			summary, err := s.partnerships.Summary(ctx, m.PartnershipID)
			switch {
			case err == nil:
				out.Partnership = infoToProto(summary)
			case partnerships.IsUnavailable(err):
				resp.PartnershipsUnavailable = true
			}
		}
		resp.Memberships = append(resp.Memberships, out)
	}
	return resp, nil
}

// membershipKey is a membership's place in the list, which is in the order partnerships joined: the time it
// was recorded (in UTC, with every digit written, so that keys sort as times do) and the partnership's id.
func membershipKey(m store.Membership) string {
	return m.CreateTime.UTC().Format("2006-01-02T15:04:05.000000000") + "/" + m.PartnershipID
}

// RemoveMembership records a partnership's removal with its reason; the membership stays in the record.
func (s *Server) RemoveMembership(ctx context.Context, req *pb.RemoveMembershipRequest) (*pb.Membership, error) {
	return idempotency.Run(ctx, s.pool, req, seesNetwork(ctx, (*pb.Membership).GetNetworkId), func(tx pgx.Tx) (*pb.Membership, error) {
		n, err := store.LockNetwork(ctx, tx, req.GetNetworkId(), "")
		if err != nil {
			return nil, err
		}
		if err := mayManage(ctx, n); err != nil {
			return nil, err
		}
		m, err := store.GetMembership(ctx, tx, n.ID, req.GetPartnershipId())
		if err != nil {
			return nil, err
		}
		if err := domain.CheckRemoval(m.Membership, req.GetReason()); err != nil {
			return nil, err
		}
		stored, err := store.RemoveMembership(ctx, tx, n.ID, m.PartnershipID, req.GetReason(), civil.DateOf(time.Now()), record.ActorFrom(ctx))
		return membershipToProto(stored), err
	})
}

// CreateActivity records an activity of the network's active members.
func (s *Server) CreateActivity(ctx context.Context, req *pb.CreateActivityRequest) (*pb.Activity, error) {
	in := req.GetActivity()
	start, err := civil.FromProto("activity.start_date", in.GetStartDate())
	if err != nil {
		return nil, err
	}
	end, err := civil.FromProto("activity.end_date", in.GetEndDate())
	if err != nil {
		return nil, err
	}
	act := domain.Activity{Kind: domain.ActivityKind(enumword.Word(in.GetKind())), Title: in.GetTitle(), Start: start, End: end, Host: in.GetHost(),
		Outcomes: in.GetOutcomes(), Links: in.GetLinks()}
	for _, p := range in.GetParticipations() {
		act.Participations = append(act.Participations, domain.Participation{PartnershipID: p.GetPartnershipId(), Participants: int(p.GetParticipants())})
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesNetwork(ctx, func(*pb.Activity) string { return req.GetNetworkId() }), func(tx pgx.Tx) (*pb.Activity, error) {
		n, err := store.LockNetwork(ctx, tx, req.GetNetworkId(), "")
		if err != nil {
			return nil, err
		}
		if err := mayManage(ctx, n); err != nil {
			return nil, err
		}
		ms, err := store.ListMemberships(ctx, tx, n.ID, "", false)
		if err != nil {
			return nil, err
		}
		members := make([]string, len(ms))
		for i, m := range ms {
			members[i] = m.PartnershipID
		}
		if err := act.Validate(members, "activity"); err != nil {
			return nil, err
		}
		stored, err := store.CreateActivity(ctx, tx, n.ID, act, record.ActorFrom(ctx))
		return activityToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "")
	return out, nil
}

// ListActivities lists a network's activities by start date; it needs nothing from the partnership service.
func (s *Server) ListActivities(ctx context.Context, req *pb.ListActivitiesRequest) (*pb.ListActivitiesResponse, error) {
	if _, err := store.GetNetwork(ctx, s.pool, req.GetNetworkId(), auth.Caller(ctx).Scope()); err != nil {
		return nil, err
	}
	cursor, afterDay, afterID, err := page.OpenDated(req.GetPageSize(), req.GetPageToken(), req.GetNetworkId(), auth.Caller(ctx).Scope())
	if err != nil {
		return nil, err
	}
	acts, err := store.ListActivities(ctx, s.pool, req.GetNetworkId(), afterDay, afterID, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListActivitiesResponse{}
	acts, resp.NextPageToken = page.Close(cursor, acts, func(a store.Activity) string { return page.DatedKey(a.Start.String(), a.ID) })
	for _, a := range acts {
		resp.Activities = append(resp.Activities, activityToProto(a))
	}
	return resp, nil
}

// errUnavailable stands for a call not made because the partnership service already failed to answer.
var errUnavailable = &fault.Unavailable{Reason: fault.ServiceUnavailable, Service: "partnership", Message: "the partnership service is unavailable"}

// GetCohort lines the active members up side by side. A part the partnership service cannot give is named
// in the row's missing list; the view never fails whole because that service is down.
func (s *Server) GetCohort(ctx context.Context, req *pb.GetCohortRequest) (*pb.Cohort, error) {
	n, err := store.GetNetwork(ctx, s.pool, req.GetNetworkId(), auth.Caller(ctx).Scope())
	if err != nil {
		return nil, err
	}
	ms, err := store.ListMemberships(ctx, s.pool, n.ID, auth.Caller(ctx).Scope(), false)
	if err != nil {
		return nil, err
	}
	today := civil.DateOf(time.Now())
	out := &pb.Cohort{NetworkId: n.ID}
	unavailable := false // after one UNAVAILABLE, ask no more: each further call would only wait out its deadline
	for _, m := range ms {
		row := domain.CohortRow{PartnershipID: m.PartnershipID, MonthsSinceStart: max(0, civil.MonthsBetween(n.CohortStart, today))}
		var summary partnerships.Summary
		var err error = errUnavailable
		if !unavailable {
			summary, err = s.partnerships.Summary(ctx, m.PartnershipID)
			unavailable = partnerships.IsUnavailable(err)
		}
		if err != nil {
			row.Missing = []string{domain.PartPartnership, domain.PartVisits, domain.PartSteeringGroup}
		} else {
			row.Title, row.Phase = summary.Title, summary.State
			progress := s.partnerships.Progress(ctx, m.PartnershipID, today.Year)
			row.VisitsThisYear, row.SteeringGroupBalanced, row.Missing = progress.VisitsThisYear, progress.SteeringGroupBalanced, progress.Missing
		}
		out.Rows = append(out.Rows, &pb.CohortRow{PartnershipId: row.PartnershipID, Title: row.Title, State: enumword.Of[partnershippb.PartnershipState](row.Phase),
			MonthsSinceStart: int32(row.MonthsSinceStart), VisitsThisYear: int32(row.VisitsThisYear),
			SteeringGroupBalanced: row.SteeringGroupBalanced, Lagging: row.Lagging(domain.MinVisitsPerYear), Missing: row.Missing})
	}
	return out, nil
}
