package server

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/prose"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

func visitToProto(v store.Visit) *pb.Visit {
	out := &pb.Visit{Id: v.ID, PartnershipId: v.PartnershipID, StartDate: civil.ToProto(v.Start), EndDate: civil.ToProto(v.End),
		HostOrganizationId: v.HostOrgID, Purpose: v.Purpose, Outcomes: v.Outcomes, CreateTime: timestamppb.New(v.CreateTime), Creator: v.Creator,
		State: enumword.Of[pb.VisitState](string(v.State)), CancelReason: v.CancelReason, Etag: v.ETag(),
		UpdateTime: timestamppb.New(v.UpdateTime), Updater: v.Updater}
	for org, n := range v.Participants {
		out.Travellers = append(out.Travellers, &pb.Travellers{OrganizationId: org, Count: int32(n)})
	}
	// Maps have no order; answers must be stable.
	slices.SortFunc(out.Travellers, func(a, b *pb.Travellers) int { return strings.Compare(a.OrganizationId, b.OrganizationId) })
	return out
}

// CreateVisit plans an exchange visit hosted by one of the parties, or records one that was held.
func (s *CooperationServer) CreateVisit(ctx context.Context, req *pb.CreateVisitRequest) (*pb.Visit, error) {
	in := req.GetVisit()
	v, err := visitFromProto(in, "visit")
	if err != nil {
		return nil, err
	}
	switch in.GetState() {
	case pb.VisitState_VISIT_STATE_UNSPECIFIED, pb.VisitState_VISIT_STATE_HELD:
		v.State = programme.VisitHeld // what a visit recorded after the fact always was
	case pb.VisitState_VISIT_STATE_PLANNED:
		v.State = programme.VisitPlanned
	default:
		return nil, fault.InvalidField("visit.state", "a new visit is planned (VISIT_STATE_PLANNED) or held (VISIT_STATE_HELD); cancel a planned one with :cancel")
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Visit](ctx, req.GetPartnershipId()), func(tx pgx.Tx) (*pb.Visit, error) {
		p, err := readable(ctx, tx, req.GetPartnershipId())
		if err != nil {
			return nil, err
		}
		ps, err := parties(ctx, tx, p)
		if err != nil {
			return nil, err
		}
		if err := v.Validate(ps, "visit"); err != nil {
			return nil, err
		}
		if err := v.CheckRecordedHeld(civil.DateOf(timeNow()), "visit"); err != nil {
			return nil, err
		}
		stored, err := store.CreateVisit(ctx, tx, p.ID, v, record.ActorFrom(ctx))
		return visitToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "")
	return out, nil
}

// visitFromProto reads a visit's dates, host, travellers, purpose and outcomes, naming prefix's fields.
func visitFromProto(in *pb.Visit, prefix string) (programme.Visit, error) {
	start, err := civil.FromProto(prefix+".start_date", in.GetStartDate())
	if err != nil {
		return programme.Visit{}, err
	}
	end, err := civil.FromProto(prefix+".end_date", in.GetEndDate())
	if err != nil {
		return programme.Visit{}, err
	}
	v := programme.Visit{Start: start, End: end, HostOrgID: in.GetHostOrganizationId(), Participants: map[string]int{},
		Purpose: strings.TrimSpace(in.GetPurpose()), Outcomes: strings.TrimSpace(in.GetOutcomes())}
	for _, t := range in.GetTravellers() {
		v.Participants[t.GetOrganizationId()] += int(t.GetCount())
	}
	return v, nil
}

// GetVisit returns one visit of a partnership the caller sees.
func (s *CooperationServer) GetVisit(ctx context.Context, req *pb.GetVisitRequest) (*pb.Visit, error) {
	if _, err := readable(ctx, s.pool, req.GetPartnershipId()); err != nil {
		return nil, err
	}
	v, err := store.GetVisit(ctx, s.pool, req.GetPartnershipId(), req.GetId())
	if err != nil {
		return nil, err
	}
	out := visitToProto(v)
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// visitMask is what UpdateVisit may change; programme.EditableVisitFields narrows it by the visit's state.
var visitMask = []string{"start_date", "end_date", "host_organization_id", "travellers", "purpose", "outcomes"}

// UpdateVisit changes a planned visit, or a held visit's outcomes.
func (s *CooperationServer) UpdateVisit(ctx context.Context, req *pb.UpdateVisitRequest) (*pb.Visit, error) {
	in := req.GetVisit()
	if in == nil {
		return nil, required("visit")
	}
	if in.GetId() != "" && in.GetId() != req.GetId() {
		return nil, fault.InvalidField("visit.id", "must match the id in the path, or be left out")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, visitMask)
	if err != nil {
		return nil, err
	}
	return s.changeVisit(ctx, req, req.GetPartnershipId(), req.GetId(), in.GetEtag(), "update", func(v *store.Visit, ps []programme.Party) error {
		if err := v.CheckEdit(paths); err != nil {
			return err
		}
		next, err := visitFromProto(in, "visit")
		if err != nil && (slices.Contains(paths, "start_date") || slices.Contains(paths, "end_date")) {
			return err
		}
		for _, p := range paths {
			switch p {
			case "start_date":
				v.Start = next.Start
			case "end_date":
				v.End = next.End
			case "host_organization_id":
				v.HostOrgID = next.HostOrgID
			case "travellers":
				v.Participants = next.Participants
			case "purpose":
				v.Purpose = next.Purpose
			case "outcomes":
				v.Outcomes = next.Outcomes
			}
		}
		return v.Validate(ps, "visit")
	})
}

// HoldVisit records that a planned visit took place, once its last day has come.
func (s *CooperationServer) HoldVisit(ctx context.Context, req *pb.HoldVisitRequest) (*pb.Visit, error) {
	return s.changeVisit(ctx, req, req.GetPartnershipId(), req.GetId(), req.GetEtag(), "hold", func(v *store.Visit, ps []programme.Party) error {
		if err := v.CheckHold(civil.DateOf(timeNow())); err != nil {
			return err
		}
		if outcomes := strings.TrimSpace(req.GetOutcomes()); outcomes != "" {
			v.Outcomes = outcomes
		}
		v.State = programme.VisitHeld
		return v.Validate(ps, "visit")
	})
}

// CancelVisit cancels a planned visit, keeping why.
func (s *CooperationServer) CancelVisit(ctx context.Context, req *pb.CancelVisitRequest) (*pb.Visit, error) {
	reason := strings.TrimSpace(req.GetReason())
	if msg := prose.CheckText(reason, "the reason", 1, 2000, true); msg != "" {
		return nil, fault.InvalidField("reason", msg)
	}
	return s.changeVisit(ctx, req, req.GetPartnershipId(), req.GetId(), req.GetEtag(), "cancel", func(v *store.Visit, _ []programme.Party) error {
		if err := v.CheckCancel(); err != nil {
			return err
		}
		v.State, v.CancelReason = programme.VisitCancelled, reason
		return nil
	})
}

// changeVisit changes a visit of a partnership the caller sees, under the partnership's and the visit's row
// locks and the etag given (or If-Match): change edits the visit and checks it against the parties. The
// answer is kept for the request's Idempotency-Key.
func (s *CooperationServer) changeVisit(ctx context.Context, req proto.Message, partnershipID, id, etag, action string,
	change func(v *store.Visit, ps []programme.Party) error) (*pb.Visit, error) {
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Visit](ctx, partnershipID), func(tx pgx.Tx) (*pb.Visit, error) {
		p, err := readable(ctx, tx, partnershipID)
		if err != nil {
			return nil, err
		}
		p, v, err := store.LockVisit(ctx, tx, p.ID, id, httpmeta.IfMatch(ctx, etag))
		if err != nil {
			return nil, err
		}
		ps, err := parties(ctx, tx, p)
		if err != nil {
			return nil, err
		}
		if err := change(&v, ps); err != nil {
			return nil, err
		}
		stored, err := store.UpdateVisit(ctx, tx, p, v, action, record.ActorFrom(ctx))
		return visitToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// ListVisits lists a partnership's visits by start date.
func (s *CooperationServer) ListVisits(ctx context.Context, req *pb.ListVisitsRequest) (*pb.ListVisitsResponse, error) {
	if _, err := readable(ctx, s.pool, req.GetPartnershipId()); err != nil {
		return nil, err
	}
	cursor, afterDay, afterID, err := page.OpenDated(req.GetPageSize(), req.GetPageToken(), req.GetPartnershipId())
	if err != nil {
		return nil, err
	}
	vs, err := store.ListVisitsPage(ctx, s.pool, req.GetPartnershipId(), afterDay, afterID, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListVisitsResponse{}
	vs, resp.NextPageToken = page.Close(cursor, vs, func(v store.Visit) string { return page.DatedKey(v.Start.String(), v.ID) })
	for _, v := range vs {
		resp.Visits = append(resp.Visits, visitToProto(v))
	}
	return resp, nil
}

// compliance measures a partnership against the visit rule for each calendar year it was in inception or
// active (up to this year), under the rules in force at the end of each year or today.
func compliance(ctx context.Context, q store.Querier, p store.Partnership, onlyYear int) (*pb.PartnershipCompliance, error) {
	ps, err := parties(ctx, q, p)
	if err != nil {
		return nil, err
	}
	visits, err := store.ListVisits(ctx, q, p.ID)
	if err != nil {
		return nil, err
	}
	return complianceOf(ctx, q, p, ps, store.DomainVisits(visits), onlyYear)
}

// complianceOf is compliance of p, whose parties and visits the caller has read.
func complianceOf(ctx context.Context, q store.Querier, p store.Partnership, ps []programme.Party, visits []programme.Visit, onlyYear int) (*pb.PartnershipCompliance, error) {
	out := &pb.PartnershipCompliance{PartnershipId: p.ID, Title: p.Title}
	from, to, ok, err := store.ActivePeriod(ctx, q, p.ID)
	if err != nil || !ok {
		return out, err
	}
	today := civil.DateOf(timeNow())
	last := today.Year
	if !to.IsZero() {
		last = civil.DateOf(to).Year
	}
	for year := civil.DateOf(from).Year; year <= last; year++ {
		if onlyYear != 0 && year != onlyYear {
			continue
		}
		on := programme.Date{Year: year, Month: 12, Day: 31}
		if on.After(today) {
			on = today
		}
		rules, err := store.RuleSetOn(ctx, q, on)
		if err != nil {
			return nil, err
		}
		for _, y := range programme.Compliance(rules.Visits, ps, visits, []int{year}) {
			out.Years = append(out.Years, yearToProto(y, ps))
		}
	}
	return out, nil
}

func yearToProto(y programme.YearCompliance, ps []programme.Party) *pb.YearCompliance {
	out := &pb.YearCompliance{Year: int32(y.Year), Meetings: int32(y.Meetings), Compliant: y.Compliant(),
		Violations: compositionToProto(y.Violations).Violations}
	for _, p := range ps {
		out.Hosted = append(out.Hosted, &pb.HostedMeetings{OrganizationId: p.OrgID, Party: p.Name, Meetings: int32(y.HostedBy[p.OrgID])})
	}
	return out
}

// GetPartnershipCompliance returns each year the partnership was in inception or active, with its meetings
// and violations.
func (s *CooperationServer) GetPartnershipCompliance(ctx context.Context, req *pb.GetPartnershipComplianceRequest) (*pb.PartnershipCompliance, error) {
	p, err := readable(ctx, s.pool, req.GetPartnershipId())
	if err != nil {
		return nil, err
	}
	return compliance(ctx, s.pool, p, 0)
}

// ListNonCompliantPartnerships lists the partnerships out of compliance in a year, a page at a time in the
// order of their ids. Compliance is worked out per partnership, so a page reads partnerships until it has
// found enough of them (or there are none left).
func (s *CooperationServer) ListNonCompliantPartnerships(ctx context.Context, req *pb.ListNonCompliantPartnershipsRequest) (*pb.ListNonCompliantPartnershipsResponse, error) {
	year := int(req.GetYear())
	if year == 0 {
		year = civil.DateOf(timeNow()).Year
	}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), strconv.Itoa(year))
	if err != nil {
		return nil, err
	}
	var found []*pb.PartnershipCompliance
	for after := cursor.After; len(found) < cursor.Limit(); {
		batch, err := store.ListPartnerships(ctx, s.pool, store.PartnershipFilter{}, after, 500)
		if err != nil {
			return nil, err
		}
		for _, p := range batch {
			c, err := compliance(ctx, s.pool, p, year)
			if err != nil {
				return nil, err
			}
			if len(c.Years) == 1 && !c.Years[0].Compliant {
				if found = append(found, c); len(found) == cursor.Limit() {
					break
				}
			}
		}
		if len(batch) < 500 {
			break
		}
		after = batch[len(batch)-1].ID
	}
	resp := &pb.ListNonCompliantPartnershipsResponse{}
	resp.Partnerships, resp.NextPageToken = page.Close(cursor, found, (*pb.PartnershipCompliance).GetPartnershipId)
	return resp, nil
}
