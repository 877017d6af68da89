package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/platform/validation"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// applicationMask is what UpdateApplication may change.
var applicationMask = []string{"start_date", "end_date", "purpose", "problem", "objectives", "planned_activities", "risks",
	"gender_and_inclusion", "anti_corruption"}

// UpdateApplication changes an application's dates and content. The applicant edits a draft or a returned
// application; once approved the application holds what ICLD approved, so only ICLD changes it, with a reason,
// and the content before the change is kept as a revision.
func (s *CooperationServer) UpdateApplication(ctx context.Context, req *pb.UpdateApplicationRequest) (*pb.Application, error) {
	in := req.GetApplication()
	if in == nil {
		return nil, required("application")
	}
	if in.GetId() != "" && in.GetId() != req.GetId() {
		return nil, fault.InvalidField("application.id", "must match the id in the path, or be left out")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, applicationMask)
	if err != nil {
		return nil, err
	}
	sent, err := applicationFromProto(in)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(req.GetRevisionReason())
	who := auth.Caller(ctx)
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Application](ctx, req.GetPartnershipId()), func(tx pgx.Tx) (*pb.Application, error) {
		if _, err := writable(ctx, tx, req.GetPartnershipId()); err != nil {
			return nil, err
		}
		stored, err := store.UpdateApplication(ctx, tx, req.GetPartnershipId(), req.GetId(), httpmeta.IfMatch(ctx, in.GetEtag()), record.ActorFrom(ctx),
			func(current store.Application, next *programme.Application) (string, error) {
				kept, err := mayChangeApplication(who, current, reason)
				if err != nil {
					return "", err
				}
				applyApplication(next, sent, paths)
				// The body's own rules hold of the result, not of the partial body (AIP-134).
				merged := &pb.Application{Kind: enumword.Of[pb.ApplicationKind](string(next.Kind)), StartDate: civil.ToProto(next.Start),
					EndDate: civil.ToProto(next.End), WaiverReason: next.WaiverReason}
				contentToProto(next.Content, merged)
				if err := validation.Check(merged, "application"); err != nil {
					return "", err
				}
				if err := next.Content.Check("application."); err != nil {
					return "", err
				}
				rules, err := store.RuleSetOn(ctx, tx, next.Start)
				if err != nil {
					return "", err
				}
				return kept, programme.CheckDuration(rules, next.Kind, next.Start, next.End, "application")
			})
		return applicationToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// mayChangeApplication says whether who may change app now, and returns the reason to keep with a revision
// ("" for an applicant's edit, which keeps none).
func mayChangeApplication(who auth.Principal, app store.Application, reason string) (string, error) {
	subject := "partnerships/" + app.PartnershipID + "/applications/" + app.ID
	switch {
	case app.Status.Editable():
		return "", nil
	case app.Status.Frozen() && who.Role != auth.RoleAdmin && who.Role != auth.RoleCoordinator:
		return "", &fault.FailedPrecondition{Reason: "APPLICATION_FROZEN",
			Message:    "the application is " + string(app.Status) + " and holds what ICLD approved; ask your ICLD coordinator to record the change as a revision",
			Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: subject, Description: "after approval only ICLD changes an application"}}}
	case app.Status.Frozen() && reason == "":
		return "", fault.InvalidField("revision_reason", "is empty; say why the approved application changes, to keep with the revision")
	case app.Status.Frozen():
		return reason, nil
	}
	return "", &fault.FailedPrecondition{Reason: "APPLICATION_NOT_EDITABLE",
		Message:    "the application is " + string(app.Status) + "; it can be changed while it is a draft or returned, or by ICLD after approval",
		Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: subject, Description: "a " + string(app.Status) + " application does not change"}}}
}

func applyApplication(a *programme.Application, sent programme.Application, paths []string) {
	for _, path := range paths {
		switch path {
		case "start_date":
			a.Start = sent.Start
		case "end_date":
			a.End = sent.End
		case "purpose":
			a.Content.Purpose = sent.Content.Purpose
		case "problem":
			a.Content.Problem = sent.Content.Problem
		case "objectives":
			a.Content.Objectives = sent.Content.Objectives
		case "planned_activities":
			a.Content.Activities = sent.Content.Activities
		case "risks":
			a.Content.Risks = sent.Content.Risks
		case "gender_and_inclusion":
			a.Content.GenderInclusion = sent.Content.GenderInclusion
		case "anti_corruption":
			a.Content.AntiCorruption = sent.Content.AntiCorruption
		}
	}
}

// ReturnApplication sends a submitted application back with the reason, so the applicant can change it and
// submit it again.
func (s *CooperationServer) ReturnApplication(ctx context.Context, req *pb.TransitionApplicationRequest) (*pb.Application, error) {
	if strings.TrimSpace(req.GetReason()) == "" {
		return nil, fault.InvalidField("reason", "is empty; say what the applicant should change")
	}
	return s.step(ctx, req, programme.StepReturn, nil)
}

// ListApplicationRevisions lists the revisions an application went through after approval.
func (s *CooperationServer) ListApplicationRevisions(ctx context.Context, req *pb.ListApplicationRevisionsRequest) (*pb.ListApplicationRevisionsResponse, error) {
	if _, err := readable(ctx, s.pool, req.GetPartnershipId()); err != nil {
		return nil, err
	}
	app, err := store.GetApplication(ctx, s.pool, req.GetPartnershipId(), req.GetApplicationId())
	if err != nil {
		return nil, err
	}
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), app.ID)
	if err != nil {
		return nil, err
	}
	revs, err := store.ListRevisions(ctx, s.pool, app.ID)
	if err != nil {
		return nil, err
	}
	resp := &pb.ListApplicationRevisionsResponse{}
	revs, resp.NextPageToken = page.Slice(cursor, revs, func(r store.Revision) string { return fmt.Sprintf("%010d", r.Number) })
	for _, r := range revs {
		was := app
		was.Start, was.End, was.Content, was.Revision = r.Start, r.End, r.Content, r.Number
		shown := applicationToProto(was)
		shown.Etag, shown.UpdateTime, shown.Updater = "", nil, ""
		resp.Revisions = append(resp.Revisions, &pb.ApplicationRevision{Number: int32(r.Number), Application: shown, Reason: r.Reason,
			Creator: r.Creator, CreateTime: timestamppb.New(r.CreateTime)})
	}
	return resp, nil
}

// applicationFromProto reads what a client sends of an application: its kind, dates, waiver and content.
func applicationFromProto(in *pb.Application) (programme.Application, error) {
	start, err := civil.FromProto("application.start_date", in.GetStartDate())
	if err != nil {
		return programme.Application{}, err
	}
	end, err := civil.FromProto("application.end_date", in.GetEndDate())
	if err != nil {
		return programme.Application{}, err
	}
	content := programme.Content{Purpose: strings.TrimSpace(in.GetPurpose()), Problem: strings.TrimSpace(in.GetProblem()),
		GenderInclusion: strings.TrimSpace(in.GetGenderAndInclusion()), AntiCorruption: strings.TrimSpace(in.GetAntiCorruption())}
	for i, o := range in.GetObjectives() {
		obj := programme.Objective{ID: o.GetId(), Statement: strings.TrimSpace(o.GetStatement())}
		for j, r := range o.GetResults() {
			res := programme.Result{ID: r.GetId(), Level: programme.ResultLevel(enumword.Word(r.GetLevel())), Statement: strings.TrimSpace(r.GetStatement())}
			for k, ind := range r.GetIndicators() {
				at := "application.objectives[" + strconv.Itoa(i) + "].results[" + strconv.Itoa(j) + "].indicators[" + strconv.Itoa(k) + "]"
				baseline, err := valueFromProto(at+".baseline", ind.GetBaseline())
				if err != nil {
					return programme.Application{}, err
				}
				target, err := valueFromProto(at+".target", ind.GetTarget())
				if err != nil {
					return programme.Application{}, err
				}
				res.Indicators = append(res.Indicators, programme.Indicator{ID: ind.GetId(), Name: strings.TrimSpace(ind.GetName()),
					Measure: programme.Measure(enumword.Word(ind.GetMeasure())), Unit: strings.TrimSpace(ind.GetUnit()),
					Baseline: baseline, Target: target, Measurement: strings.TrimSpace(ind.GetMeasurement())})
			}
			obj.Results = append(obj.Results, res)
		}
		content.Objectives = append(content.Objectives, obj)
	}
	for _, a := range in.GetPlannedActivities() {
		content.Activities = append(content.Activities, programme.PlannedActivity{ID: a.GetId(), Year: int(a.GetYear()),
			ObjectiveID: a.GetObjectiveId(), Description: strings.TrimSpace(a.GetDescription())})
	}
	for _, r := range in.GetRisks() {
		content.Risks = append(content.Risks, programme.Risk{Description: strings.TrimSpace(r.GetDescription()), Mitigation: strings.TrimSpace(r.GetMitigation())})
	}
	return programme.Application{Kind: programme.ApplicationKind(enumword.Word(in.GetKind())), Start: start, End: end,
		WaiverReason: strings.TrimSpace(in.GetWaiverReason()), Content: content}, nil
}

func valueFromProto(field string, v *pb.IndicatorValue) (programme.Value, error) {
	on, err := civil.FromProto(field+".date", v.GetDate())
	return programme.Value{Number: v.GetValue(), On: on, Comment: strings.TrimSpace(v.GetComment())}, err
}

func valueToProto(v programme.Value) *pb.IndicatorValue {
	if v == (programme.Value{}) {
		return nil
	}
	return &pb.IndicatorValue{Value: v.Number, Date: civil.ToProto(v.On), Comment: v.Comment}
}

// contentToProto writes an application's content into out.
func contentToProto(c programme.Content, out *pb.Application) {
	out.Purpose, out.Problem, out.GenderAndInclusion, out.AntiCorruption = c.Purpose, c.Problem, c.GenderInclusion, c.AntiCorruption
	for _, o := range c.Objectives {
		obj := &pb.Objective{Id: o.ID, Statement: o.Statement}
		for _, r := range o.Results {
			res := &pb.ExpectedResult{Id: r.ID, Level: enumword.Of[pb.ResultLevel](string(r.Level)), Statement: r.Statement}
			for _, ind := range r.Indicators {
				res.Indicators = append(res.Indicators, &pb.Indicator{Id: ind.ID, Name: ind.Name, Measure: enumword.Of[pb.IndicatorMeasure](string(ind.Measure)),
					Unit: ind.Unit, Baseline: valueToProto(ind.Baseline), Target: valueToProto(ind.Target), Measurement: ind.Measurement})
			}
			obj.Results = append(obj.Results, res)
		}
		out.Objectives = append(out.Objectives, obj)
	}
	for _, a := range c.Activities {
		out.PlannedActivities = append(out.PlannedActivities, &pb.PlannedActivity{Id: a.ID, Year: int32(a.Year), ObjectiveId: a.ObjectiveID, Description: a.Description})
	}
	for _, r := range c.Risks {
		out.Risks = append(out.Risks, &pb.Risk{Description: r.Description, Mitigation: r.Mitigation})
	}
}
