package server

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
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
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/platform/validation"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// reportMask is what UpdateReport may change.
var reportMask = []string{"objectives", "indicators", "activities", "deviations", "lessons"}

// CreateReport starts a report of an approved application: a partial one of one of its years, or the final
// one. What it already says is checked against the application's results framework.
func (s *CooperationServer) CreateReport(ctx context.Context, req *pb.CreateReportRequest) (*pb.Report, error) {
	in := req.GetReport()
	body, err := reportBodyFromProto(in)
	if err != nil {
		return nil, err
	}
	kind := programme.ReportKind(enumword.Word(in.GetKind()))
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Report](ctx, req.GetPartnershipId()), func(tx pgx.Tx) (*pb.Report, error) {
		if _, err := reportable(ctx, tx, req.GetPartnershipId()); err != nil {
			return nil, err
		}
		app, err := store.GetApplication(ctx, tx, req.GetPartnershipId(), in.GetApplicationId())
		if err != nil {
			return nil, fieldNotFound(err, "report.application_id")
		}
		year, err := programme.CheckNewReport(kind, int(in.GetYear()), app.Application)
		if err != nil {
			return nil, err
		}
		if err := body.Check(app.Content, "report."); err != nil {
			return nil, err
		}
		stored, err := store.CreateReport(ctx, tx, req.GetPartnershipId(), programme.Report{ApplicationID: app.ID, Kind: kind, Year: year, ReportBody: body}, record.ActorFrom(ctx))
		if err != nil {
			return nil, err
		}
		return oneReport(ctx, tx, stored, app)
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// fieldNotFound turns a NOT_FOUND of something a request names in a field into an INVALID_ARGUMENT on that
// field: the request, not the URL, points at nothing.
func fieldNotFound(err error, field string) error {
	var nf *fault.NotFound
	if errors.As(err, &nf) {
		return fault.InvalidField(field, "is not an application of this partnership")
	}
	return err
}

// Finances reads the financial part of a report from the finance service.
type Finances interface {
	Report(ctx context.Context, partnershipID, applicationID string, year int) (*financepb.FinancialReport, error)
}

// GetReport returns one report with the visits of its period and, from the finance service, its money per
// budget line; when the finance service cannot answer, the report comes without it and says so.
func (s *CooperationServer) GetReport(ctx context.Context, req *pb.GetReportRequest) (*pb.Report, error) {
	if _, err := readable(ctx, s.pool, req.GetPartnershipId()); err != nil {
		return nil, err
	}
	r, err := store.GetReport(ctx, s.pool, req.GetPartnershipId(), req.GetId())
	if err != nil {
		return nil, err
	}
	app, err := store.GetApplication(ctx, s.pool, req.GetPartnershipId(), r.ApplicationID)
	if err != nil {
		return nil, err
	}
	out, err := oneReport(ctx, s.pool, r, app)
	if err != nil {
		return nil, err
	}
	visits, err := store.ListVisits(ctx, s.pool, r.PartnershipID)
	if err != nil {
		return nil, err
	}
	period := programme.ReportPeriod(r.Kind, r.Year, app.Application)
	for _, v := range visits {
		if v.State == programme.VisitHeld && period.Contains(v.Start) {
			out.Visits = append(out.Visits, visitToProto(v))
		}
	}
	if s.finances != nil {
		year := r.Year
		if r.Kind == programme.ReportFinal {
			year = 0 // the whole application
		}
		fin, err := s.finances.Report(ctx, r.PartnershipID, r.ApplicationID, year)
		switch {
		case err == nil:
			out.Financial = fin
		case upstream.IsUnavailable(err):
			out.FinancialUnavailable = true
		default:
			return nil, err
		}
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// ListReports lists a partnership's reports, or with "-" those of every partnership the caller may see,
// oldest first, a page at a time.
func (s *CooperationServer) ListReports(ctx context.Context, req *pb.ListReportsRequest) (*pb.ListReportsResponse, error) {
	f := store.ReportFilter{ApplicationID: req.GetApplicationId(), VisibleTo: auth.Caller(ctx).Scope(),
		Status: programme.ReportStatus(enumword.Word(req.GetState()))}
	if id := req.GetPartnershipId(); id != anyPartnership {
		if _, err := readable(ctx, s.pool, id); err != nil {
			return nil, err
		}
		f.PartnershipID = id
	}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), req.GetPartnershipId(), f.ApplicationID, string(f.Status), f.VisibleTo)
	if err != nil {
		return nil, err
	}
	rs, err := store.ListReports(ctx, s.pool, f, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListReportsResponse{}
	rs, resp.NextPageToken = page.Close(cursor, rs, func(r store.Report) string { return r.ID })
	// Each report is shown with what its application promised.
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r.ApplicationID)
	}
	apps, err := store.ApplicationsByID(ctx, s.pool, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]store.Application{}
	for _, a := range apps {
		byID[a.ID] = a
	}
	versions, err := store.RuleSetVersions(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		resp.Reports = append(resp.Reports, reportToProto(r, byID[r.ApplicationID], versions))
	}
	return resp, nil
}

// UpdateReport changes a draft or returned report.
func (s *CooperationServer) UpdateReport(ctx context.Context, req *pb.UpdateReportRequest) (*pb.Report, error) {
	in := req.GetReport()
	if in == nil {
		return nil, required("report")
	}
	if in.GetId() != "" && in.GetId() != req.GetId() {
		return nil, fault.InvalidField("report.id", "must match the id in the path, or be left out")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, reportMask)
	if err != nil {
		return nil, err
	}
	sent, err := reportBodyFromProto(in)
	if err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Report](ctx, req.GetPartnershipId()), func(tx pgx.Tx) (*pb.Report, error) {
		if _, err := reportable(ctx, tx, req.GetPartnershipId()); err != nil {
			return nil, err
		}
		var app store.Application
		stored, err := store.UpdateReport(ctx, tx, req.GetPartnershipId(), req.GetId(), httpmeta.IfMatch(ctx, in.GetEtag()), record.ActorFrom(ctx),
			func(current store.Report, next *programme.ReportBody) error {
				if !current.Status.Editable() {
					return &fault.FailedPrecondition{Reason: "REPORT_NOT_EDITABLE",
						Message:    "the report is " + string(current.Status) + "; it can be changed while it is a draft or returned",
						Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: "reports/" + current.ID, Description: "a " + string(current.Status) + " report does not change"}}}
				}
				var err error
				if app, err = store.GetApplication(ctx, tx, req.GetPartnershipId(), current.ApplicationID); err != nil {
					return err
				}
				applyReport(next, sent, paths)
				// The body's own rules hold of the result, not of the partial body (AIP-134).
				merged := &pb.Report{ApplicationId: current.ApplicationID, Kind: enumword.Of[pb.ReportKind](string(current.Kind)), Year: int32(current.Year)}
				reportBodyToProto(*next, merged)
				if err := validation.Check(merged, "report"); err != nil {
					return err
				}
				return next.Check(app.Content, "report.")
			})
		if err != nil {
			return nil, err
		}
		return oneReport(ctx, tx, stored, app)
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

func applyReport(b *programme.ReportBody, sent programme.ReportBody, paths []string) {
	for _, path := range paths {
		switch path {
		case "objectives":
			b.Objectives = sent.Objectives
		case "indicators":
			b.Indicators = sent.Indicators
		case "activities":
			b.Activities = sent.Activities
		case "deviations":
			b.Deviations = sent.Deviations
		case "lessons":
			b.Lessons = sent.Lessons
		}
	}
}

// SubmitReport sends a complete report to ICLD: every objective of the application narrated and every
// indicator given the value it reached.
func (s *CooperationServer) SubmitReport(ctx context.Context, req *pb.TransitionReportRequest) (*pb.Report, error) {
	return s.stepReport(ctx, req.GetPartnershipId(), req.GetId(), req.GetEtag(), req, programme.ReportSubmit, nil,
		func(r store.Report, app store.Application) error { return r.CheckComplete(app.Content, r.ID) })
}

// ApproveReport approves a submitted report; four eyes: its creator and submitter may not approve it.
func (s *CooperationServer) ApproveReport(ctx context.Context, req *pb.TransitionReportRequest) (*pb.Report, error) {
	approver := record.ActorFrom(ctx).Subject
	return s.stepReport(ctx, req.GetPartnershipId(), req.GetId(), req.GetEtag(), req, programme.ReportApprove, nil,
		func(r store.Report, _ store.Application) error {
			return programme.CheckFourEyes(approver, r.Creator, r.Submitter)
		})
}

// ReturnReport sends a submitted report back with ICLD's reasons per section.
func (s *CooperationServer) ReturnReport(ctx context.Context, req *pb.ReturnReportRequest) (*pb.Report, error) {
	var reasons []programme.SectionReason
	for _, r := range req.GetReasons() {
		reasons = append(reasons, programme.SectionReason{Section: strings.TrimSpace(r.GetSection()), Reason: strings.TrimSpace(r.GetReason())})
	}
	return s.stepReport(ctx, req.GetPartnershipId(), req.GetId(), req.GetEtag(), req, programme.ReportReturn, reasons, nil)
}

func (s *CooperationServer) stepReport(ctx context.Context, partnershipID, id, etag string, req proto.Message, step programme.ReportStep, reasons []programme.SectionReason, check func(store.Report, store.Application) error) (*pb.Report, error) {
	out, err := idempotency.Run(ctx, s.pool, req, seesPartnership[*pb.Report](ctx, partnershipID), func(tx pgx.Tx) (*pb.Report, error) {
		if _, err := reportable(ctx, tx, partnershipID); err != nil {
			return nil, err
		}
		var app store.Application
		stored, err := store.StepReport(ctx, tx, partnershipID, id, httpmeta.IfMatch(ctx, etag), step, reasons, record.ActorFrom(ctx), func(r store.Report) error {
			var err error
			if app, err = store.GetApplication(ctx, tx, partnershipID, r.ApplicationID); err != nil || check == nil {
				return err
			}
			return check(r, app)
		})
		if err != nil {
			return nil, err
		}
		return oneReport(ctx, tx, stored, app)
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// reportBodyFromProto reads what a client writes in a report.
func reportBodyFromProto(in *pb.Report) (programme.ReportBody, error) {
	b := programme.ReportBody{Deviations: strings.TrimSpace(in.GetDeviations()), Lessons: strings.TrimSpace(in.GetLessons())}
	for _, o := range in.GetObjectives() {
		b.Objectives = append(b.Objectives, programme.ObjectiveNarrative{ObjectiveID: o.GetObjectiveId(), Narrative: strings.TrimSpace(o.GetNarrative())})
	}
	for i, v := range in.GetIndicators() {
		value, err := valueFromProto("report.indicators["+strconv.Itoa(i)+"].value", v.GetValue())
		if err != nil {
			return b, err
		}
		b.Indicators = append(b.Indicators, programme.IndicatorValue{IndicatorID: v.GetIndicatorId(), Value: value, Evidence: strings.TrimSpace(v.GetEvidence())})
	}
	for _, a := range in.GetActivities() {
		b.Activities = append(b.Activities, programme.ActivityDone{ActivityID: a.GetActivityId(), Done: a.GetDone(), Comment: strings.TrimSpace(a.GetComment())})
	}
	return b, nil
}

// reportToProto writes a report for its reader, with when it is due under the rules in force at the end of
// its period (versions: every version of the rules, store.RuleSetVersions).
func reportToProto(r store.Report, app store.Application, versions []programme.RuleSet) *pb.Report {
	out := &pb.Report{Id: r.ID, PartnershipId: r.PartnershipID, ApplicationId: r.ApplicationID, Kind: enumword.Of[pb.ReportKind](string(r.Kind)),
		Year: int32(r.Year), State: enumword.Of[pb.ReportState](string(r.Status)),
		Etag: r.ETag(), CreateTime: timestamppb.New(r.CreateTime), UpdateTime: timestamppb.New(r.UpdateTime), Creator: r.Creator,
		Updater: r.Updater, Submitter: r.Submitter, SubmitTime: optionalTime(r.SubmitTime), Approver: r.Approver, ApproveTime: optionalTime(r.ApproveTime)}
	reportBodyToProto(r.ReportBody, out)
	for _, rr := range r.ReturnReasons {
		out.ReturnReasons = append(out.ReturnReasons, &pb.SectionReason{Section: rr.Section, Reason: rr.Reason})
	}
	// No rules in force at the period's end leaves the due date out.
	if rules, err := programme.RuleSetOn(versions, programme.ReportPeriod(r.Kind, r.Year, app.Application).To); err == nil {
		out.DueDate = civil.ToProto(programme.ReportDue(rules.Reports, r.Kind, r.Year, app.Application))
	}
	return out
}

// oneReport is reportToProto for a report just read or written in q.
func oneReport(ctx context.Context, q store.Querier, r store.Report, app store.Application) (*pb.Report, error) {
	versions, err := store.RuleSetVersions(ctx, q)
	if err != nil {
		return nil, err
	}
	return reportToProto(r, app, versions), nil
}

// optionalTime is a time that may be unset (nil) as a proto timestamp.
func optionalTime(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}

// reportBodyToProto writes what the partnership wrote in a report into out.
func reportBodyToProto(b programme.ReportBody, out *pb.Report) {
	out.Deviations, out.Lessons = b.Deviations, b.Lessons
	for _, o := range b.Objectives {
		out.Objectives = append(out.Objectives, &pb.ObjectiveReport{ObjectiveId: o.ObjectiveID, Narrative: o.Narrative})
	}
	for _, v := range b.Indicators {
		out.Indicators = append(out.Indicators, &pb.IndicatorReport{IndicatorId: v.IndicatorID, Value: valueToProto(v.Value), Evidence: v.Evidence})
	}
	for _, a := range b.Activities {
		out.Activities = append(out.Activities, &pb.ActivityReport{ActivityId: a.ActivityID, Done: a.Done, Comment: a.Comment})
	}
}
