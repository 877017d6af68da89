package server

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
)

// asSubject is a staff caller with a subject of its own, for the four-eyes rule.
func asSubject(subject string, role auth.Role) context.Context {
	return auth.WithPrincipal(context.Background(), auth.Principal{Subject: subject, Role: role})
}

// approvedProject gives the fixture's partnership an approved project with the results framework of
// withFramework, running 2026-06-01 to 2028-06-01.
func (f fixture) approvedProject(t *testing.T, coop *CooperationServer) *pb.Application {
	t.Helper()
	f.withClosedInception(t, coop)
	at(t, "2026-03-01")
	project, err := coop.CreateApplication(admin, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id,
		Application: withFramework(&pb.Application{Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, StartDate: d(2026, 6, 1), EndDate: d(2028, 6, 1)})})
	if err != nil {
		t.Fatal(err)
	}
	f.withTeam(t, coop, project)
	for _, step := range []func(context.Context, *pb.TransitionApplicationRequest) (*pb.Application, error){coop.SubmitApplication, coop.ApproveApplication} {
		if project, err = step(admin, &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: project.Id}); err != nil {
			t.Fatal(err)
		}
	}
	return project
}

// A yearly report is written against the application's framework, shows the visits of its year and when it
// is due, is submitted only when complete, can be returned with reasons per section, and is approved by
// someone other than who wrote or submitted it.
func TestReportsFollowTheFramework(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	member := as(auth.RoleMember, f.swedish.Id)
	karin, lars := asSubject("karin@icld", auth.RoleCoordinator), asSubject("lars@icld", auth.RoleCoordinator)

	draft, err := coop.CreateApplication(member, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id, Application: &pb.Application{
		Kind: pb.ApplicationKind_APPLICATION_KIND_DEVELOPMENT, StartDate: d(2026, 1, 1), EndDate: d(2026, 12, 31)}})
	if err != nil {
		t.Fatal(err)
	}
	notYet := wantFault[*fault.FailedPrecondition](t, ignoreResult(coop.CreateReport(member, &pb.CreateReportRequest{PartnershipId: f.partnership.Id,
		Report: &pb.Report{ApplicationId: draft.Id, Kind: pb.ReportKind_REPORT_KIND_PARTIAL, Year: 2026}})))
	if notYet.Reason != "APPLICATION_NOT_APPROVED" {
		t.Fatalf("a report of a draft: %+v", notYet)
	}

	project := f.approvedProject(t, coop)
	// Two visits planned now and held after they took place; a third planned, never held, is no visit of the
	// report's.
	var planned []*pb.Visit
	for _, day := range []*date.Date{d(2026, 9, 1), d(2027, 2, 1), d(2026, 10, 1)} {
		v, err := coop.CreateVisit(member, &pb.CreateVisitRequest{PartnershipId: f.partnership.Id, Visit: &pb.Visit{StartDate: day, EndDate: day,
			HostOrganizationId: f.swedish.Id, Travellers: []*pb.Travellers{{OrganizationId: f.international.Id, Count: 3}}, Purpose: "workshops",
			State: pb.VisitState_VISIT_STATE_PLANNED}})
		if err != nil {
			t.Fatal(err)
		}
		planned = append(planned, v)
	}
	at(t, "2027-03-01")
	for _, v := range planned[:2] {
		if _, err := coop.HoldVisit(member, &pb.HoldVisitRequest{PartnershipId: f.partnership.Id, Id: v.Id, Etag: v.Etag}); err != nil {
			t.Fatal(err)
		}
	}
	at(t, "2026-03-01")
	create := func(r *pb.Report) (*pb.Report, error) {
		return coop.CreateReport(member, &pb.CreateReportRequest{PartnershipId: f.partnership.Id, Report: r})
	}
	outside := wantFault[*fault.Invalid](t, ignoreResult(create(&pb.Report{ApplicationId: project.Id, Kind: pb.ReportKind_REPORT_KIND_PARTIAL, Year: 2025})))
	if outside.Violations[0].Field != "report.year" || !strings.Contains(outside.Violations[0].Description, "2026 to 2028") {
		t.Fatalf("a year outside the application: %+v", outside)
	}
	stranger := wantFault[*fault.Invalid](t, ignoreResult(create(&pb.Report{ApplicationId: project.Id, Kind: pb.ReportKind_REPORT_KIND_PARTIAL, Year: 2026,
		Indicators: []*pb.IndicatorReport{{IndicatorId: "nowhere", Value: &pb.IndicatorValue{Value: "3"}}}})))
	if stranger.Violations[0].Field != "report.indicators[0].indicator_id" {
		t.Fatalf("an indicator the application does not have: %+v", stranger)
	}

	report, err := create(&pb.Report{ApplicationId: project.Id, Kind: pb.ReportKind_REPORT_KIND_PARTIAL, Year: 2026,
		Objectives: []*pb.ObjectiveReport{{ObjectiveId: "youth-voice", Narrative: "Two youth councils met the city board"}}})
	if err != nil {
		t.Fatal(err)
	}
	if due := report.GetDueDate(); due.GetYear() != 2027 || due.GetMonth() != 3 || due.GetDay() != 31 {
		t.Errorf("the 2026 report is due %v, want 2027-03-31", due)
	}
	if _, err := create(&pb.Report{ApplicationId: project.Id, Kind: pb.ReportKind_REPORT_KIND_PARTIAL, Year: 2026}); err == nil {
		t.Fatal("a second report of the same year was created")
	}
	got, err := coop.GetReport(member, &pb.GetReportRequest{PartnershipId: f.partnership.Id, Id: report.Id})
	if err != nil || len(got.GetVisits()) != 1 || got.GetVisits()[0].GetStartDate().GetYear() != 2026 {
		t.Fatalf("the report's visits: %v %v", got.GetVisits(), err)
	}

	ref := &pb.TransitionReportRequest{PartnershipId: f.partnership.Id, Id: report.Id}
	incomplete := wantFault[*fault.FailedPrecondition](t, ignoreResult(coop.SubmitReport(member, ref)))
	if incomplete.Reason != "REPORT_INCOMPLETE" || !strings.Contains(incomplete.Message, `"proposals"`) {
		t.Fatalf("a report without its indicator's value: %+v", incomplete)
	}
	if _, err := coop.UpdateReport(member, &pb.UpdateReportRequest{PartnershipId: f.partnership.Id, Id: report.Id, Report: &pb.Report{
		Indicators: []*pb.IndicatorReport{{IndicatorId: "proposals", Value: &pb.IndicatorValue{Value: "4", Date: d(2026, 12, 31)}, Evidence: "council minutes"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := coop.SubmitReport(member, ref); err != nil {
		t.Fatal(err)
	}
	// ICLD finds it among the reports waiting, across partnerships; another organisation does not.
	for who, want := range map[context.Context]int{admin: 1, member: 1, as(auth.RoleMember, "11111111-1111-4111-8111-111111111111"): 0} {
		waiting, err := coop.ListReports(who, &pb.ListReportsRequest{PartnershipId: "-", State: pb.ReportState_REPORT_STATE_SUBMITTED})
		if err != nil || len(waiting.GetReports()) != want {
			t.Fatalf("reports waiting: %v %v, want %d", waiting, err, want)
		}
	}
	if drafts, err := coop.ListReports(admin, &pb.ListReportsRequest{PartnershipId: "-", State: pb.ReportState_REPORT_STATE_DRAFT}); err != nil || len(drafts.GetReports()) != 0 {
		t.Fatalf("draft reports: %v %v", drafts, err)
	}
	returned, err := coop.ReturnReport(karin, &pb.ReturnReportRequest{PartnershipId: f.partnership.Id, Id: report.Id,
		Reasons: []*pb.SectionReason{{Section: "indicators/proposals", Reason: "Attach the minutes of the board"}}})
	if err != nil || returned.GetState() != pb.ReportState_REPORT_STATE_RETURNED || len(returned.GetReturnReasons()) != 1 {
		t.Fatalf("return: %v %v", returned, err)
	}
	if _, err := coop.SubmitReport(karin, ref); err != nil {
		t.Fatal(err)
	}
	self := wantFault[*fault.FailedPrecondition](t, ignoreResult(coop.ApproveReport(karin, ref)))
	if self.Reason != "SELF_APPROVAL" {
		t.Fatalf("approving a report one submitted: %+v", self)
	}
	approved, err := coop.ApproveReport(lars, ref)
	if err != nil || approved.GetState() != pb.ReportState_REPORT_STATE_APPROVED || approved.GetApprover() != "lars@icld" || len(approved.GetReturnReasons()) != 0 {
		t.Fatalf("approve: %v %v", approved, err)
	}
	if frozen := wantFault[*fault.FailedPrecondition](t, ignoreResult(coop.UpdateReport(member, &pb.UpdateReportRequest{PartnershipId: f.partnership.Id,
		Id: report.Id, Report: &pb.Report{Lessons: "more"}}))); frozen.Reason != "REPORT_NOT_EDITABLE" {
		t.Fatalf("changing an approved report: %+v", frozen)
	}

	final, err := create(&pb.Report{ApplicationId: project.Id, Kind: pb.ReportKind_REPORT_KIND_FINAL})
	if err != nil || final.GetYear() != 2028 {
		t.Fatalf("a final report is of the last year: %v %v", final, err)
	}
	list, err := coop.ListReports(member, &pb.ListReportsRequest{PartnershipId: f.partnership.Id, ApplicationId: project.Id})
	if err != nil || len(list.GetReports()) != 2 || list.GetReports()[0].GetId() != report.Id {
		t.Fatalf("the reports: %v %v", list, err)
	}
}

// A PATCH's result obeys the same rules as a create: an indicator with no measure, or a report value that is
// no number, is refused naming the field, however partial the body.
func TestPatchedContentObeysTheProtoRules(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	f.withClosedInception(t, coop)
	project, err := coop.CreateApplication(admin, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id,
		Application: &pb.Application{Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, StartDate: d(2026, 6, 1), EndDate: d(2028, 6, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	broken := withFramework(&pb.Application{})
	broken.Objectives[0].Results[0].Indicators[0].Measure = pb.IndicatorMeasure_INDICATOR_MEASURE_UNSPECIFIED
	invalid := wantFault[*fault.Invalid](t, ignoreResult(coop.UpdateApplication(admin, &pb.UpdateApplicationRequest{PartnershipId: f.partnership.Id,
		Id: project.Id, Application: broken})))
	if invalid.Violations[0].Field != "application.objectives[0].results[0].indicators[0].measure" {
		t.Fatalf("an indicator without a measure: %+v", invalid)
	}
}

// Reports outlive the work: a completed partnership still writes its final report and ICLD approves it, so that
// the final claim can follow; a terminated one reports no more.
func TestACompletedPartnershipStillReports(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	project := f.approvedProject(t, coop)
	for _, org := range []string{f.swedish.Id, f.international.Id} {
		for _, role := range []pb.MemberRole{pb.MemberRole_MEMBER_ROLE_MAJORITY_POLITICIAN, pb.MemberRole_MEMBER_ROLE_OPPOSITION_POLITICIAN, pb.MemberRole_MEMBER_ROLE_LEADING_OFFICIAL} {
			if _, err := coop.AddSteeringGroupMember(admin, &pb.AddSteeringGroupMemberRequest{PartnershipId: f.partnership.Id,
				Member: &pb.Member{OrganizationId: org, DisplayName: "Member", Role: role}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, step := range []func(context.Context, *pb.TransitionPartnershipRequest) (*pb.Partnership, error){
		f.srv.SubmitPartnership, f.srv.ApprovePartnership, f.srv.ActivatePartnership, f.srv.CompletePartnership} {
		if _, err := step(admin, &pb.TransitionPartnershipRequest{Id: f.partnership.Id}); err != nil {
			t.Fatal(err)
		}
	}
	member := as(auth.RoleMember, f.swedish.Id)
	final, err := coop.CreateReport(member, &pb.CreateReportRequest{PartnershipId: f.partnership.Id, Report: &pb.Report{ApplicationId: project.Id, Kind: pb.ReportKind_REPORT_KIND_FINAL,
		Objectives: []*pb.ObjectiveReport{{ObjectiveId: "youth-voice", Narrative: "done"}},
		Indicators: []*pb.IndicatorReport{{IndicatorId: "proposals", Value: &pb.IndicatorValue{Value: "12"}}}}})
	if err != nil {
		t.Fatalf("the final report of a completed partnership: %v", err)
	}
	ref := &pb.TransitionReportRequest{PartnershipId: f.partnership.Id, Id: final.Id}
	if _, err := coop.SubmitReport(member, ref); err != nil {
		t.Fatal(err)
	}
	if approved, err := coop.ApproveReport(admin, ref); err != nil || approved.GetState() != pb.ReportState_REPORT_STATE_APPROVED {
		t.Fatalf("approving it: %v %v", approved, err)
	}
	if _, err := coop.CreateApplication(admin, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id, Application: &pb.Application{
		Kind: pb.ApplicationKind_APPLICATION_KIND_DISSEMINATION, StartDate: d(2029, 1, 1), EndDate: d(2029, 6, 30)}}); err == nil {
		t.Fatal("a completed partnership took a new application")
	}
}
