package server

import (
	"context"
	"strings"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/documents"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// CooperationServer implements partnerskap.partnership.v1.CooperationService: applications, steering group,
// teams, visits and compliance of a partnership.
type CooperationServer struct {
	pb.UnimplementedCooperationServiceServer
	pool     *pgxpool.Pool
	finances Finances
	// bucket holds documents' bytes, which an erasure deletes; nil in tests of other things.
	bucket *documents.Bucket
}

// NewCooperation returns a CooperationServer on the service's database; its reports come without their
// financial part until WithFinances.
func NewCooperation(pool *pgxpool.Pool) *CooperationServer { return &CooperationServer{pool: pool} }

// WithFinances makes reports read their financial part from f.
func (s *CooperationServer) WithFinances(f Finances) *CooperationServer {
	s.finances = f
	return s
}

// WithBucket makes erasures delete the bytes of erased documents from bucket.
func (s *CooperationServer) WithBucket(b *documents.Bucket) *CooperationServer {
	s.bucket = b
	return s
}

// readable returns the partnership when the caller may see it.
func readable(ctx context.Context, q store.Querier, id string) (store.Partnership, error) {
	p, err := store.GetPartnership(ctx, q, id)
	if err != nil {
		return p, err
	}
	if !visible(auth.Caller(ctx), p) {
		return store.Partnership{}, hidden(id)
	}
	return p, nil
}

// writable locks the partnership and returns it when the caller may change what it does: staff always, a
// member when its organisation is the Swedish party; never once the partnership is completed or terminated.
// The row lock serialises these writes with each other and with the partnership's transitions, so a
// steering-group change cannot slip past the balance check of an activation.
func writable(ctx context.Context, tx pgx.Tx, id string) (store.Partnership, error) {
	p, err := reportable(ctx, tx, id)
	if err == nil && p.State.Final() {
		return store.Partnership{}, closed(p)
	}
	return p, err
}

// reportable is writable for reports and their documents, which outlive the work: a partnership completed
// at the end of its last application still writes that application's final report, and ICLD approves it,
// so that its final claim can be paid. A terminated partnership reports no more.
func reportable(ctx context.Context, tx pgx.Tx, id string) (store.Partnership, error) {
	p, err := store.LockPartnership(ctx, tx, id)
	if err != nil {
		return p, err
	}
	who := auth.Caller(ctx)
	if !visible(who, p) {
		return store.Partnership{}, hidden(id)
	}
	if who.Role == auth.RoleMember && who.Org != p.SwedishOrgID {
		return store.Partnership{}, &fault.PermissionDenied{Reason: "NOT_THE_APPLICANT", Message: "only the Swedish party's staff may change this partnership's applications and steering group"}
	}
	if p.State == domain.StateTerminated {
		return store.Partnership{}, closed(p)
	}
	return p, nil
}

// parties returns a partnership's parties with their names, for the rules that are per party.
func parties(ctx context.Context, q store.Querier, p store.Partnership) ([]programme.Party, error) {
	var out []programme.Party
	for _, id := range []string{p.SwedishOrgID, p.InternationalOrgID, p.ThirdOrgID} {
		if id == "" {
			continue
		}
		o, err := store.GetOrganization(ctx, q, id)
		if err != nil {
			return nil, err
		}
		out = append(out, programme.Party{OrgID: o.ID, Name: o.Name})
	}
	return out, nil
}

func applicationToProto(a store.Application) *pb.Application {
	out := &pb.Application{
		Id: a.ID, PartnershipId: a.PartnershipID, Kind: enumword.Of[pb.ApplicationKind](string(a.Kind)), State: enumword.Of[pb.ApplicationState](string(a.Status)),
		StartDate: civil.ToProto(a.Start), EndDate: civil.ToProto(a.End), WaiverReason: a.WaiverReason, Etag: a.ETag(),
		CreateTime: timestamppb.New(a.CreateTime), UpdateTime: timestamppb.New(a.UpdateTime), Creator: a.Creator, Updater: a.Updater,
		Revision: int32(a.Revision), ReturnReason: a.ReturnReason,
	}
	contentToProto(a.Content, out)
	return out
}

// CreateApplication creates a draft application whose length fits the rules in force on its start date.
func (s *CooperationServer) CreateApplication(ctx context.Context, req *pb.CreateApplicationRequest) (*pb.Application, error) {
	app, err := applicationFromProto(req.GetApplication())
	if err != nil {
		return nil, err
	}
	if err := app.Content.Check("application."); err != nil {
		return nil, err
	}
	start, end := app.Start, app.End
	if app.WaiverReason != "" && auth.Caller(ctx).Role != auth.RoleAdmin {
		return nil, &fault.PermissionDenied{Reason: "WAIVER_ADMIN_ONLY", Message: "only an admin may waive the closed inception a project needs"}
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Application](ctx, req.GetPartnershipId()), func(tx pgx.Tx) (*pb.Application, error) {
		if _, err := writable(ctx, tx, req.GetPartnershipId()); err != nil {
			return nil, err
		}
		rules, err := store.RuleSetOn(ctx, tx, start)
		if err != nil {
			return nil, err
		}
		if err := programme.CheckDuration(rules, app.Kind, start, end, "application"); err != nil {
			return nil, err
		}
		stored, err := store.CreateApplication(ctx, tx, req.GetPartnershipId(), app, record.ActorFrom(ctx))
		return applicationToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// GetApplication returns one application of a partnership the caller may see; another organisation's member
// gets NOT_FOUND, as for an application that does not exist.
func (s *CooperationServer) GetApplication(ctx context.Context, req *pb.GetApplicationRequest) (*pb.Application, error) {
	if _, err := readable(ctx, s.pool, req.GetPartnershipId()); err != nil {
		return nil, err
	}
	app, err := store.GetApplication(ctx, s.pool, req.GetPartnershipId(), req.GetId())
	if err != nil {
		return nil, err
	}
	out := applicationToProto(app)
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// ListApplications lists a partnership's applications, or with "-" those of every partnership the caller
// may see, oldest first.
func (s *CooperationServer) ListApplications(ctx context.Context, req *pb.ListApplicationsRequest) (*pb.ListApplicationsResponse, error) {
	f := store.ApplicationFilter{VisibleTo: auth.Caller(ctx).Scope(), Status: programme.ApplicationStatus(enumword.Word(req.GetState()))}
	if id := req.GetPartnershipId(); id != anyPartnership {
		if _, err := readable(ctx, s.pool, id); err != nil {
			return nil, err
		}
		f.PartnershipID = id
	}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), req.GetPartnershipId(), string(f.Status), f.VisibleTo)
	if err != nil {
		return nil, err
	}
	apps, err := store.FindApplications(ctx, s.pool, f, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListApplicationsResponse{}
	apps, resp.NextPageToken = page.Close(cursor, apps, func(a store.Application) string { return a.ID })
	for _, a := range apps {
		resp.Applications = append(resp.Applications, applicationToProto(a))
	}
	return resp, nil
}

// anyPartnership stands for every partnership the caller may see in a list's path (AIP-159).
const anyPartnership = "-"

// SubmitApplication submits a draft (or a returned application) inside the window for its kind; inception may
// be submitted at any time. Its content must say what its kind needs (programme.Content.Missing).
func (s *CooperationServer) SubmitApplication(ctx context.Context, req *pb.TransitionApplicationRequest) (*pb.Application, error) {
	return s.step(ctx, req, programme.StepSubmit, func(tx pgx.Tx, p store.Partnership, a store.Application) error {
		today := civil.DateOf(timeNow())
		ws, err := store.ListWindows(ctx, tx, a.Kind, today)
		if err != nil {
			return err
		}
		all := make([]programme.Window, len(ws))
		for i, w := range ws {
			all[i] = w.Window
		}
		if err := programme.CheckWindow(all, a.Kind, today); err != nil {
			return err
		}
		if err := a.Content.CheckComplete(a.Kind, a.ID); err != nil {
			return err
		}
		return peopleInPlace(ctx, tx, p, a)
	})
}

// ApproveApplication approves a submitted application whose people still meet the programme's rules.
func (s *CooperationServer) ApproveApplication(ctx context.Context, req *pb.TransitionApplicationRequest) (*pb.Application, error) {
	return s.step(ctx, req, programme.StepApprove, func(tx pgx.Tx, p store.Partnership, a store.Application) error {
		return peopleInPlace(ctx, tx, p, a)
	})
}

// Reasons an application is refused for its people.
const (
	ReasonTeamIncomplete          = "TEAM_INCOMPLETE"
	ReasonSteeringGroupUnbalanced = "STEERING_GROUP_UNBALANCED"
)

// peopleInPlace refuses an application whose people do not meet the programme's rules, naming every rule
// broken: an inception or project application needs its team (per party, the politicians and officials the
// rules in force on its start ask for), a steering-group application a balanced steering group. The programme
// funds people who will do the work, so both are checked when the application is submitted and again when it
// is approved, since a team can change in between.
func peopleInPlace(ctx context.Context, tx pgx.Tx, p store.Partnership, app store.Application) error {
	var (
		vs      []programme.Violation
		reason  string
		subject string
		what    string
	)
	switch app.Kind {
	case programme.KindInception, programme.KindProject:
		rule, err := teamRule(ctx, tx, app)
		if err != nil {
			return err
		}
		ps, err := parties(ctx, tx, p)
		if err != nil {
			return err
		}
		ms, err := store.ListMembers(ctx, tx, p.ID, app.ID)
		if err != nil {
			return err
		}
		vs = programme.CheckTeam(rule, ps, store.TeamMembers(ms))
		reason, what = ReasonTeamIncomplete, "the application's team does not meet the rule (PUT .../applications/"+app.ID+"/team)"
		subject = "partnerships/" + p.ID + "/applications/" + app.ID + "/team"
	case programme.KindSteeringGroup:
		var err error
		if vs, err = steeringViolations(ctx, tx, p); err != nil {
			return err
		}
		reason, what = ReasonSteeringGroupUnbalanced, "the partnership's steering group is not balanced (POST .../steering-group/members)"
		subject = "partnerships/" + p.ID + "/steering-group"
	}
	if len(vs) == 0 {
		return nil
	}
	out := &fault.FailedPrecondition{Reason: reason}
	var said []string
	for _, v := range vs {
		out.Violations = append(out.Violations, fault.PreconditionViolation{Type: v.Rule, Subject: subject, Description: v.Description})
		said = append(said, v.Description)
	}
	out.Message = what + ": " + strings.Join(said, "; ")
	return out
}

// RejectApplication rejects a submitted application.
func (s *CooperationServer) RejectApplication(ctx context.Context, req *pb.TransitionApplicationRequest) (*pb.Application, error) {
	return s.step(ctx, req, programme.StepReject, nil)
}

// StartApplication starts an approved application's work.
func (s *CooperationServer) StartApplication(ctx context.Context, req *pb.TransitionApplicationRequest) (*pb.Application, error) {
	return s.step(ctx, req, programme.StepStart, nil)
}

// CloseApplication closes a running application.
func (s *CooperationServer) CloseApplication(ctx context.Context, req *pb.TransitionApplicationRequest) (*pb.Application, error) {
	return s.step(ctx, req, programme.StepClose, nil)
}

func (s *CooperationServer) step(ctx context.Context, req *pb.TransitionApplicationRequest, step programme.ApplicationStep, check func(pgx.Tx, store.Partnership, store.Application) error) (*pb.Application, error) {
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Application](ctx, req.GetPartnershipId()), func(tx pgx.Tx) (*pb.Application, error) {
		p, err := writable(ctx, tx, req.GetPartnershipId())
		if err != nil {
			return nil, err
		}
		stored, err := store.StepApplication(ctx, tx, req.GetPartnershipId(), req.GetId(), httpmeta.IfMatch(ctx, req.GetEtag()), step, strings.TrimSpace(req.GetReason()), record.ActorFrom(ctx), func(a store.Application) error {
			if check == nil {
				return nil
			}
			return check(tx, p, a)
		})
		return applicationToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// seesPartnership re-authorizes a replayed answer (platform/idempotency): the caller must still see the
// partnership id names, or it gets NOT_FOUND as a fresh call would.
func seesPartnership[T proto.Message](ctx context.Context, id string) idempotency.Check[T] {
	return func(tx pgx.Tx, _ T) error {
		_, err := readable(ctx, tx, id)
		return err
	}
}
