package server

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	authpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/auth/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

func personToProto(p store.Person) *pb.Person {
	return &pb.Person{Id: p.ID, Subject: p.Subject, DisplayName: p.Name, Email: p.Email, Language: p.Language,
		Role: enumword.Of[authpb.Role](string(p.Role)), OrganizationIds: p.OrgIDs,
		Notifications: &pb.NotificationPreferences{NoReminders: p.Preferences.NoReminders, NoRequests: p.Preferences.NoRequests,
			NoWeeklyDigest: p.Preferences.NoWeeklyDigest, ReminderDays: int32s(p.Preferences.ReminderDays)},
		Erased: p.Erased, Etag: p.ETag(), CreateTime: timestamppb.New(p.CreateTime), UpdateTime: timestamppb.New(p.UpdateTime),
		Creator: p.Creator, Updater: p.Updater}
}

// personFields sets the fields of p named in paths from in.
func personFields(p *programme.Person, in *pb.Person, paths []string) {
	for _, f := range paths {
		switch f {
		case "subject":
			p.Subject = strings.TrimSpace(in.GetSubject())
		case "display_name":
			p.Name = strings.TrimSpace(in.GetDisplayName())
		case "email":
			p.Email = strings.TrimSpace(in.GetEmail())
		case "language":
			p.Language = in.GetLanguage()
		case "role":
			p.Role = auth.Role(enumword.Word(in.GetRole()))
		case "organization_ids":
			p.OrgIDs = in.GetOrganizationIds()
		case "notifications":
			n := in.GetNotifications()
			p.Preferences = programme.Preferences{NoReminders: n.GetNoReminders(), NoRequests: n.GetNoRequests(), NoWeeklyDigest: n.GetNoWeeklyDigest(),
				ReminderDays: ints(n.GetReminderDays())}
		}
	}
}

// organizationExists is Person.Validate's question, answered in tx.
func organizationExists(ctx context.Context, tx pgx.Tx) func(string) bool {
	return func(id string) bool {
		_, err := store.GetOrganization(ctx, tx, id)
		return err == nil
	}
}

// CreatePerson records a person; a new person is told everything, in Swedish unless the request says.
func (s *CooperationServer) CreatePerson(ctx context.Context, req *pb.CreatePersonRequest) (*pb.Person, error) {
	in := req.GetPerson()
	p := programme.Person{Language: "sv"}
	personFields(&p, in, []string{"subject", "display_name", "email", "role", "organization_ids", "notifications"})
	if in.GetLanguage() != "" {
		p.Language = in.GetLanguage()
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public[*pb.Person], func(tx pgx.Tx) (*pb.Person, error) {
		if err := p.Validate("person", organizationExists(ctx, tx)); err != nil {
			return nil, err
		}
		stored, err := store.CreatePerson(ctx, tx, p, record.ActorFrom(ctx))
		return personToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "/v1/people/"+out.GetId())
	return out, nil
}

// GetPerson returns a person.
func (s *CooperationServer) GetPerson(ctx context.Context, req *pb.GetPersonRequest) (*pb.Person, error) {
	p, err := store.GetPerson(ctx, s.pool, req.GetId())
	if err != nil {
		return nil, err
	}
	out := personToProto(p)
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// ListPeople lists people by id, of one organisation when the request names one.
func (s *CooperationServer) ListPeople(ctx context.Context, req *pb.ListPeopleRequest) (*pb.ListPeopleResponse, error) {
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), req.GetOrganizationId())
	if err != nil {
		return nil, err
	}
	ps, err := store.ListPeople(ctx, s.pool, req.GetOrganizationId(), cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListPeopleResponse{}
	ps, resp.NextPageToken = page.Close(cursor, ps, func(p store.Person) string { return p.ID })
	for _, p := range ps {
		resp.People = append(resp.People, personToProto(p))
	}
	return resp, nil
}

// personMask is what UpdatePerson may change; meMask what a person changes of their own.
var (
	personMask = []string{"subject", "display_name", "email", "language", "role", "organization_ids", "notifications"}
	meMask     = []string{"language", "notifications"}
)

// UpdatePerson changes a person.
func (s *CooperationServer) UpdatePerson(ctx context.Context, req *pb.UpdatePersonRequest) (*pb.Person, error) {
	in := req.GetPerson()
	if in == nil {
		return nil, required("person")
	}
	if in.GetId() != "" && in.GetId() != req.GetId() {
		return nil, fault.InvalidField("person.id", "must match the id in the path, or be left out")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, personMask)
	if err != nil {
		return nil, err
	}
	return s.changePerson(ctx, req.GetId(), in, paths)
}

// GetMe returns the caller's own person.
func (s *CooperationServer) GetMe(ctx context.Context, _ *pb.GetMeRequest) (*pb.Person, error) {
	p, err := store.PersonOfSubject(ctx, s.pool, auth.Caller(ctx).Subject)
	if err != nil {
		return nil, err
	}
	out := personToProto(p)
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// UpdateMe changes the caller's own language and notification preferences.
func (s *CooperationServer) UpdateMe(ctx context.Context, req *pb.UpdateMeRequest) (*pb.Person, error) {
	in := req.GetPerson()
	if in == nil {
		return nil, required("person")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, meMask)
	if err != nil {
		return nil, err
	}
	me, err := store.PersonOfSubject(ctx, s.pool, auth.Caller(ctx).Subject)
	if err != nil {
		return nil, err
	}
	return s.changePerson(ctx, me.ID, in, paths)
}

// changePerson sets the fields of person id in paths from in, under its etag (in's, or If-Match).
func (s *CooperationServer) changePerson(ctx context.Context, id string, in *pb.Person, paths []string) (*pb.Person, error) {
	var out *pb.Person
	err := postgres.InTx(ctx, s.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		stored, err := store.UpdatePerson(ctx, tx, id, httpmeta.IfMatch(ctx, in.GetEtag()), record.ActorFrom(ctx), func(p *programme.Person) error {
			if p.Erased {
				return &fault.FailedPrecondition{Reason: "PERSON_ERASED", Message: "the person was erased; record them again if they return",
					Violations: []fault.PreconditionViolation{{Type: "PERSON_ERASED", Subject: "people/" + id, Description: "erased"}}}
			}
			personFields(p, in, paths)
			return p.Validate("person", organizationExists(ctx, tx))
		})
		out = personToProto(stored)
		return err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}
