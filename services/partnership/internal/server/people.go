package server

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

func memberToProto(m store.Member) *pb.Member {
	return &pb.Member{Id: m.ID, OrganizationId: m.OrgID, DisplayName: m.Name, Email: m.Email, Role: enumword.Of[pb.MemberRole](string(m.Role)),
		Coordinator: m.Coordinator, ProjectManager: m.ProjectManager, Erased: m.Erased, CreateTime: timestamppb.New(m.CreateTime), Creator: m.Creator}
}

// memberFromProto reads a person, checking that the organisation is a party and that the role fits a
// steering group (politicians and leading officials) or a team (politicians and officials).
func memberFromProto(in *pb.Member, ps []programme.Party, steering bool, field string) (store.Member, error) {
	m := store.Member{OrgID: in.GetOrganizationId(), Name: strings.TrimSpace(in.GetDisplayName()), Email: strings.TrimSpace(in.GetEmail()),
		Role: programme.MemberRole(enumword.Word(in.GetRole())), Coordinator: in.GetCoordinator(), ProjectManager: in.GetProjectManager()}
	if err := programme.CheckMemberOfParty(ps, m.OrgID, field+".organization_id"); err != nil {
		return m, err
	}
	if m.Name == "" {
		return m, fault.InvalidField(field+".display_name", "enter the person's name")
	}
	switch {
	case steering && m.Role == programme.RoleOfficial:
		return m, fault.InvalidField(field+".role", "a steering group has leading officials, not officials; choose MEMBER_ROLE_LEADING_OFFICIAL")
	case !steering && m.Role == programme.RoleLeadingOfficial:
		return m, fault.InvalidField(field+".role", "a team has officials, not leading officials; choose MEMBER_ROLE_OFFICIAL")
	case steering && m.ProjectManager:
		return m, fault.InvalidField(field+".project_manager", "steering group members are not project managers; that is a team role")
	}
	return m, nil
}

func compositionToProto(vs []programme.Violation) *pb.CompositionCheck {
	out := &pb.CompositionCheck{Passes: len(vs) == 0}
	for _, v := range vs {
		out.Violations = append(out.Violations, &pb.RuleViolation{OrganizationId: v.OrgID, Party: v.Party, Rule: v.Rule, Description: v.Description})
	}
	return out
}

// AddSteeringGroupMember adds a person to the steering group.
func (s *CooperationServer) AddSteeringGroupMember(ctx context.Context, req *pb.AddSteeringGroupMemberRequest) (*pb.Member, error) {
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Member](ctx, req.GetPartnershipId()), func(tx pgx.Tx) (*pb.Member, error) {
		p, err := writable(ctx, tx, req.GetPartnershipId())
		if err != nil {
			return nil, err
		}
		ps, err := parties(ctx, tx, p)
		if err != nil {
			return nil, err
		}
		m, err := memberFromProto(req.GetMember(), ps, true, "member")
		if err != nil {
			return nil, err
		}
		m.PartnershipID = p.ID
		stored, err := store.AddSteeringGroupMember(ctx, tx, m, record.ActorFrom(ctx))
		return memberToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "")
	return out, nil
}

// ListSteeringGroupMembers lists the steering group.
func (s *CooperationServer) ListSteeringGroupMembers(ctx context.Context, req *pb.ListSteeringGroupMembersRequest) (*pb.ListSteeringGroupMembersResponse, error) {
	if _, err := readable(ctx, s.pool, req.GetPartnershipId()); err != nil {
		return nil, err
	}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), req.GetPartnershipId())
	if err != nil {
		return nil, err
	}
	ms, err := store.ListMembers(ctx, s.pool, req.GetPartnershipId(), "")
	if err != nil {
		return nil, err
	}
	resp := &pb.ListSteeringGroupMembersResponse{}
	ms, resp.NextPageToken = page.Slice(cursor, ms, func(m store.Member) string { return m.ID })
	for _, m := range ms {
		resp.Members = append(resp.Members, memberToProto(m))
	}
	return resp, nil
}

// RemoveSteeringGroupMember removes a person from the steering group.
func (s *CooperationServer) RemoveSteeringGroupMember(ctx context.Context, req *pb.RemoveSteeringGroupMemberRequest) (*pb.RemoveSteeringGroupMemberResponse, error) {
	return idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.RemoveSteeringGroupMemberResponse](ctx, req.GetPartnershipId()), func(tx pgx.Tx) (*pb.RemoveSteeringGroupMemberResponse, error) {
		if _, err := writable(ctx, tx, req.GetPartnershipId()); err != nil {
			return nil, err
		}
		return &pb.RemoveSteeringGroupMemberResponse{}, store.RemoveSteeringGroupMember(ctx, tx, req.GetPartnershipId(), req.GetId(), record.ActorFrom(ctx))
	})
}

// steeringViolations checks a partnership's steering group against the composition rule.
func steeringViolations(ctx context.Context, q store.Querier, p store.Partnership) ([]programme.Violation, error) {
	ps, err := parties(ctx, q, p)
	if err != nil {
		return nil, err
	}
	ms, err := store.ListMembers(ctx, q, p.ID, "")
	if err != nil {
		return nil, err
	}
	return programme.CheckSteeringGroup(ps, store.SteeringMembers(ms)), nil
}

// CheckSteeringGroup returns every violation of the composition rule, per party.
func (s *CooperationServer) CheckSteeringGroup(ctx context.Context, req *pb.CheckSteeringGroupRequest) (*pb.CompositionCheck, error) {
	p, err := readable(ctx, s.pool, req.GetPartnershipId())
	if err != nil {
		return nil, err
	}
	vs, err := steeringViolations(ctx, s.pool, p)
	if err != nil {
		return nil, err
	}
	return compositionToProto(vs), nil
}

// teamRule picks the team rule of an application's kind from the rules in force on its start date.
func teamRule(ctx context.Context, q store.Querier, app store.Application) (programme.TeamRule, error) {
	rules, err := store.RuleSetOn(ctx, q, app.Start)
	if err != nil {
		return programme.TeamRule{}, err
	}
	switch app.Kind {
	case programme.KindInception:
		return rules.InceptionTeam, nil
	case programme.KindProject:
		return rules.ProjectTeam, nil
	}
	return programme.TeamRule{}, &fault.FailedPrecondition{Reason: "NO_TEAM_RULE", Message: "only inception and project applications have teams",
		Violations: []fault.PreconditionViolation{{Type: "TEAM", Subject: "applications/" + app.ID, Description: string(app.Kind) + " applications have no team"}}}
}

// SetApplicationTeam replaces an inception or project team; the answer says whether it meets the rule.
func (s *CooperationServer) SetApplicationTeam(ctx context.Context, req *pb.SetApplicationTeamRequest) (*pb.ApplicationTeam, error) {
	return idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.ApplicationTeam](ctx, req.GetPartnershipId()), func(tx pgx.Tx) (*pb.ApplicationTeam, error) {
		p, err := writable(ctx, tx, req.GetPartnershipId())
		if err != nil {
			return nil, err
		}
		app, err := store.GetApplication(ctx, tx, p.ID, req.GetId())
		if err != nil {
			return nil, err
		}
		rule, err := teamRule(ctx, tx, app)
		if err != nil {
			return nil, err
		}
		ps, err := parties(ctx, tx, p)
		if err != nil {
			return nil, err
		}
		members := make([]store.Member, 0, len(req.GetMembers()))
		for i, in := range req.GetMembers() {
			m, err := memberFromProto(in, ps, false, fieldIndex("members", i))
			if err != nil {
				return nil, err
			}
			members = append(members, m)
		}
		stored, err := store.SetTeam(ctx, tx, p.ID, app.ID, members, record.ActorFrom(ctx))
		if err != nil {
			return nil, err
		}
		return teamToProto(stored, programme.CheckTeam(rule, ps, store.TeamMembers(stored))), nil
	})
}

// CheckApplicationTeam returns a team and its check against the rule of its kind.
func (s *CooperationServer) CheckApplicationTeam(ctx context.Context, req *pb.CheckApplicationTeamRequest) (*pb.ApplicationTeam, error) {
	p, err := readable(ctx, s.pool, req.GetPartnershipId())
	if err != nil {
		return nil, err
	}
	app, err := store.GetApplication(ctx, s.pool, p.ID, req.GetId())
	if err != nil {
		return nil, err
	}
	rule, err := teamRule(ctx, s.pool, app)
	if err != nil {
		return nil, err
	}
	ps, err := parties(ctx, s.pool, p)
	if err != nil {
		return nil, err
	}
	ms, err := store.ListMembers(ctx, s.pool, p.ID, app.ID)
	if err != nil {
		return nil, err
	}
	return teamToProto(ms, programme.CheckTeam(rule, ps, store.TeamMembers(ms))), nil
}

func teamToProto(ms []store.Member, vs []programme.Violation) *pb.ApplicationTeam {
	out := &pb.ApplicationTeam{Check: compositionToProto(vs)}
	for _, m := range ms {
		out.Members = append(out.Members, memberToProto(m))
	}
	return out
}

// ErasePerson replaces a person's name and e-mail in every steering group and team, keeping the role facts,
// and in every stored answer to a request that added them (Idempotency-Key replays), and erases the documents
// about them, in one transaction; then it deletes the bytes no live document holds any more. Audit rows and
// events never hold a person's name or address, so there is nothing to erase there. A failure to delete bytes
// leaves them waiting (erased_contents) and is answered as unavailable: the erasure is repeated, which
// finds nothing more to erase in the tables and deletes the bytes again.
func (s *CooperationServer) ErasePerson(ctx context.Context, req *pb.ErasePersonRequest) (*pb.ErasePersonResponse, error) {
	var erased store.Erasure
	err := postgres.InTx(ctx, s.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		var err error
		erased, err = store.ErasePerson(ctx, tx, req.GetEmail(), req.GetReason(), record.ActorFrom(ctx))
		if err != nil {
			return err
		}
		ids := make([]string, len(erased.Documents))
		for i, d := range erased.Documents {
			ids[i] = d.ID
		}
		_, err = idempotency.Rewrite(ctx, tx, answersNamingPeople, eraseFromAnswer(req.GetEmail(), ids))
		return err
	})
	if err != nil {
		return nil, err
	}
	if s.bucket != nil {
		if err := DeleteErasedBytes(ctx, s.pool, s.bucket); err != nil {
			return nil, &fault.Unavailable{Reason: fault.StorageUnavailable, Message: "the documents were erased, but their files could not all be deleted yet; repeat the erasure", Cause: err}
		}
	}
	return &pb.ErasePersonResponse{Erased: int32(erased.Members), ErasedDocuments: int32(len(erased.Documents))}, nil
}

// answersNamingPeople are the methods whose answers hold people's names and e-mail addresses.
var answersNamingPeople = []string{pb.CooperationService_AddSteeringGroupMember_FullMethodName, pb.CooperationService_SetApplicationTeam_FullMethodName,
	pb.DocumentService_UpdateDocument_FullMethodName, pb.CooperationService_CreatePerson_FullMethodName}

// eraseFromAnswer erases the person with email, and the documents with ids, from a stored answer as
// store.ErasePerson does in the tables.
func eraseFromAnswer(email string, documentIDs []string) func(proto.Message) bool {
	erase := func(m *pb.Member) bool {
		if m.GetEmail() == "" || !strings.EqualFold(m.GetEmail(), email) {
			return false
		}
		m.DisplayName, m.Email, m.Erased = store.ErasedName, "", true
		return true
	}
	return func(answer proto.Message) bool {
		switch a := answer.(type) {
		case *pb.Member:
			return erase(a)
		case *pb.Person:
			if a.GetEmail() == "" || !strings.EqualFold(a.GetEmail(), email) {
				return false
			}
			a.DisplayName, a.Email, a.Erased = store.ErasedName, "", true
			return true
		case *pb.Document:
			if !slices.Contains(documentIDs, a.GetId()) {
				return false
			}
			a.FileName, a.PersonEmail, a.Erased, a.Public = store.ErasedName, "", true, false
			return true
		case *pb.ApplicationTeam:
			changed := false
			for _, m := range a.GetMembers() {
				changed = erase(m) || changed
			}
			return changed
		}
		return false
	}
}
