package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// CreatePartnership creates a draft partnership. A member creates partnerships only for its own organisation.
func (s *Server) CreatePartnership(ctx context.Context, req *pb.CreatePartnershipRequest) (*pb.Partnership, error) {
	p := partnershipFromProto(req.GetPartnership())
	if err := p.Validate(); err != nil {
		return nil, err
	}
	eligibility, err := civil.FromProto("partnership.eligibility_date", req.GetPartnership().GetEligibilityDate())
	if err != nil {
		return nil, err
	}
	p.EligibilityDate = civil.DateOf(timeNow())
	if !eligibility.IsZero() {
		if auth.Caller(ctx).Role == auth.RoleMember {
			return nil, fault.InvalidField("partnership.eligibility_date", "only ICLD staff may record an earlier decision date; leave it out")
		}
		p.EligibilityDate = eligibility
	}
	if who := auth.Caller(ctx); who.Role == auth.RoleMember && p.SwedishOrgID != who.Org {
		return nil, &fault.PermissionDenied{Reason: "OTHER_ORGANIZATION", Message: "a member creates partnerships only with its own organisation as the Swedish party"}
	}
	out, err := idempotency.Run(ctx, s.pool, req, func(tx pgx.Tx, p *pb.Partnership) error {
		_, err := readable(ctx, tx, p.GetId())
		return err
	}, func(tx pgx.Tx) (*pb.Partnership, error) {
		stored, err := store.CreatePartnership(ctx, tx, p, record.ActorFrom(ctx))
		return partnershipToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// GetPartnership returns one partnership the caller may see.
func (s *Server) GetPartnership(ctx context.Context, req *pb.GetPartnershipRequest) (*pb.Partnership, error) {
	p, err := s.visiblePartnership(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, p.ETag())
	return partnershipToProto(p), nil
}

func (s *Server) visiblePartnership(ctx context.Context, id string) (store.Partnership, error) {
	p, err := store.GetPartnership(ctx, s.pool, id)
	if err != nil {
		return p, err
	}
	if !visible(auth.Caller(ctx), p) {
		return store.Partnership{}, hidden(id)
	}
	return p, nil
}

// ListPartnerships pages through the partnerships the caller may see, oldest first.
func (s *Server) ListPartnerships(ctx context.Context, req *pb.ListPartnershipsRequest) (*pb.ListPartnershipsResponse, error) {
	filter := store.PartnershipFilter{State: domain.State(enumword.Word(req.GetState())), OrganizationID: req.GetOrganizationId(),
		VisibleTo: auth.Caller(ctx).Scope(), CountryCode: req.GetCountryCode(), Query: strings.TrimSpace(req.GetQuery())}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), string(filter.State), filter.OrganizationID, filter.VisibleTo,
		filter.CountryCode, filter.Query)
	if err != nil {
		return nil, err
	}
	list, err := store.ListPartnerships(ctx, s.pool, filter, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListPartnershipsResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(p store.Partnership) string { return p.ID })
	for _, p := range list {
		resp.Partnerships = append(resp.Partnerships, partnershipToProto(p))
	}
	return resp, nil
}

// partnershipMask lists the paths an update may name; parties and state never change through an update.
var partnershipMask = []string{"title", "challenge", "core_areas", "sdg_targets"}

// UpdatePartnership changes the fields in the update mask. Members change their own partnerships while they
// are drafts; staff change any open partnership.
func (s *Server) UpdatePartnership(ctx context.Context, req *pb.UpdatePartnershipRequest) (*pb.Partnership, error) {
	in := req.GetPartnership()
	if in == nil {
		return nil, required("partnership")
	}
	if in.GetId() != "" && in.GetId() != req.GetId() {
		return nil, fault.InvalidField("partnership.id", "must match the id in the path, or be left out")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, partnershipMask)
	if err != nil {
		return nil, err
	}
	sent := partnershipFromProto(in)
	who := auth.Caller(ctx)
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Partnership](ctx, req.GetId()), func(tx pgx.Tx) (*pb.Partnership, error) {
		stored, err := store.UpdatePartnership(ctx, tx, req.GetId(), httpmeta.IfMatch(ctx, in.GetEtag()), record.ActorFrom(ctx), func(current store.Partnership, next *domain.Partnership) error {
			if err := mayEdit(who, current); err != nil {
				return err
			}
			applyPartnership(next, sent, paths)
			return next.Validate()
		})
		return partnershipToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// closed is the answer to a change of a completed or terminated partnership.
func closed(p store.Partnership) error {
	return &fault.FailedPrecondition{Reason: "PARTNERSHIP_CLOSED", Message: "the partnership is " + string(p.State) + " and can no longer change",
		Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: "partnerships/" + p.ID, Description: "a " + string(p.State) + " partnership is final"}}}
}

// mayEdit says whether who may change p's fields now.
func mayEdit(who auth.Principal, p store.Partnership) error {
	if !visible(who, p) {
		return hidden(p.ID)
	}
	if p.State.Final() {
		return closed(p)
	}
	if who.Role == auth.RoleMember && p.State != domain.StateDraft {
		return &fault.FailedPrecondition{Reason: "NOT_A_DRAFT", Message: "a member may change a partnership only while it is a draft; it is " + string(p.State),
			Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: "partnerships/" + p.ID, Description: "members edit drafts only"}}}
	}
	return nil
}

func applyPartnership(p *domain.Partnership, sent domain.Partnership, paths []string) {
	for _, path := range paths {
		switch path {
		case "title":
			p.Title = sent.Title
		case "challenge":
			p.Challenge = sent.Challenge
		case "core_areas":
			p.CoreAreas = sent.CoreAreas
		case "sdg_targets":
			p.SDGTargets = sent.SDGTargets
		}
	}
}

// SubmitPartnership sends a draft to ICLD.
func (s *Server) SubmitPartnership(ctx context.Context, req *pb.TransitionPartnershipRequest) (*pb.Partnership, error) {
	return s.transition(ctx, req, domain.TransitionSubmit)
}

// ApprovePartnership approves a submitted partnership; its inception starts.
func (s *Server) ApprovePartnership(ctx context.Context, req *pb.TransitionPartnershipRequest) (*pb.Partnership, error) {
	return s.transition(ctx, req, domain.TransitionApprove)
}

// ActivatePartnership ends the inception phase.
func (s *Server) ActivatePartnership(ctx context.Context, req *pb.TransitionPartnershipRequest) (*pb.Partnership, error) {
	return s.transition(ctx, req, domain.TransitionActivate)
}

// CompletePartnership closes a partnership that ran its course.
func (s *Server) CompletePartnership(ctx context.Context, req *pb.TransitionPartnershipRequest) (*pb.Partnership, error) {
	return s.transition(ctx, req, domain.TransitionComplete)
}

// TerminatePartnership ends an open partnership early.
func (s *Server) TerminatePartnership(ctx context.Context, req *pb.TransitionPartnershipRequest) (*pb.Partnership, error) {
	return s.transition(ctx, req, domain.TransitionTerminate)
}

func (s *Server) transition(ctx context.Context, req *pb.TransitionPartnershipRequest, t domain.Transition) (*pb.Partnership, error) {
	if err := domain.ValidateReason(t, req.GetReason()); err != nil {
		return nil, err
	}
	who := auth.Caller(ctx)
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Partnership](ctx, req.GetId()), func(tx pgx.Tx) (*pb.Partnership, error) {
		stored, err := store.TransitionPartnership(ctx, tx, req.GetId(), httpmeta.IfMatch(ctx, req.GetEtag()), t, req.GetReason(), record.ActorFrom(ctx), func(p store.Partnership) error {
			if !visible(who, p) || (who.Role == auth.RoleMember && who.Org != p.SwedishOrgID) {
				return hidden(p.ID)
			}
			// The steering-group rule speaks only when the lifecycle allows the step at all, so activating a
			// draft answers with the lifecycle's own error.
			if _, err := domain.Apply(p.State, t); err == nil && t == domain.TransitionActivate {
				return balancedSteeringGroup(ctx, tx, p)
			}
			return nil
		})
		return partnershipToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// balancedSteeringGroup refuses activation while the steering group breaks the composition rule, listing
// every violation.
func balancedSteeringGroup(ctx context.Context, tx pgx.Tx, p store.Partnership) error {
	vs, err := steeringViolations(ctx, tx, p)
	if err != nil || len(vs) == 0 {
		return err
	}
	return programme.AsFailedPrecondition(programme.ReasonSteeringGroupIncomplete, programme.TypeSteeringGroup, vs)
}

// ListPartnershipHistory pages through a partnership's state changes, oldest first.
func (s *Server) ListPartnershipHistory(ctx context.Context, req *pb.ListPartnershipHistoryRequest) (*pb.ListPartnershipHistoryResponse, error) {
	if _, err := s.visiblePartnership(ctx, req.GetId()); err != nil {
		return nil, err
	}
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), req.GetId())
	if err != nil {
		return nil, err
	}
	var after int64
	if cursor.After != "" {
		if after, err = strconv.ParseInt(cursor.After, 10, 64); err != nil {
			return nil, fault.InvalidField("page_token", "not a page token this list returned")
		}
	}
	list, err := store.ListTransitions(ctx, s.pool, req.GetId(), after, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListPartnershipHistoryResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(t store.TransitionRecord) string { return strconv.FormatInt(t.Seq, 10) })
	for _, t := range list {
		resp.Transitions = append(resp.Transitions, transitionToProto(t))
	}
	return resp, nil
}
