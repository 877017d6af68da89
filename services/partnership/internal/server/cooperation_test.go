package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/servertest"
)

// at freezes the clock of the rules that depend on today for one test.
func at(t *testing.T, day string) {
	t.Helper()
	when, err := time.Parse("2006-01-02 15:04", day+" 12:00")
	if err != nil {
		t.Fatal(err)
	}
	timeNow = func() time.Time { return when }
	t.Cleanup(func() { timeNow = time.Now })
}

func d(y, m, day int) *date.Date { return &date.Date{Year: int32(y), Month: int32(m), Day: int32(day)} }

// inception creates a draft inception application of the fixture's partnership, for 2025.
func (f fixture) inception(t *testing.T, coop *CooperationServer) *pb.Application {
	t.Helper()
	app, err := coop.CreateApplication(admin, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id, Application: &pb.Application{
		Kind: pb.ApplicationKind_APPLICATION_KIND_INCEPTION, StartDate: d(2025, 1, 1), EndDate: d(2026, 1, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// withTeam gives an application of the fixture's partnership the team its kind needs, so it may be submitted:
// per party two politicians and an official for an inception, three officials (one project manager) for a
// project.
func (f fixture) withTeam(t *testing.T, coop *CooperationServer, app *pb.Application) {
	t.Helper()
	var members []*pb.Member
	for _, org := range []string{f.swedish.Id, f.international.Id} {
		add := func(role pb.MemberRole, manager bool) {
			members = append(members, &pb.Member{OrganizationId: org, DisplayName: "Someone", Role: role, ProjectManager: manager})
		}
		if app.GetKind() == pb.ApplicationKind_APPLICATION_KIND_PROJECT {
			add(pb.MemberRole_MEMBER_ROLE_OFFICIAL, true)
			add(pb.MemberRole_MEMBER_ROLE_OFFICIAL, false)
			add(pb.MemberRole_MEMBER_ROLE_OFFICIAL, false)
			continue
		}
		add(pb.MemberRole_MEMBER_ROLE_MAJORITY_POLITICIAN, false)
		add(pb.MemberRole_MEMBER_ROLE_OPPOSITION_POLITICIAN, false)
		add(pb.MemberRole_MEMBER_ROLE_OFFICIAL, false)
	}
	team, err := coop.SetApplicationTeam(admin, &pb.SetApplicationTeamRequest{PartnershipId: app.GetPartnershipId(), Id: app.GetId(), Members: members})
	if err != nil || !team.GetCheck().GetPasses() {
		t.Fatalf("the team: %v %v", team, err)
	}
}

// withClosedInception gives the fixture's partnership an inception that ran its course, so projects may follow.
func (f fixture) withClosedInception(t *testing.T, coop *CooperationServer) {
	t.Helper()
	inc := f.inception(t, coop)
	f.withTeam(t, coop, inc)
	steps := []func(context.Context, *pb.TransitionApplicationRequest) (*pb.Application, error){
		coop.SubmitApplication, coop.ApproveApplication, coop.StartApplication, coop.CloseApplication,
	}
	for _, step := range steps {
		if _, err := step(admin, &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: inc.Id}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestProjectSubmissionFollowsTheWindow(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	f.withClosedInception(t, coop)
	project, err := coop.CreateApplication(admin, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id,
		Application: withFramework(&pb.Application{Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, StartDate: d(2026, 6, 1), EndDate: d(2028, 6, 1)})})
	if err != nil {
		t.Fatal(err)
	}
	f.withTeam(t, coop, project)
	submit := &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: project.Id}

	at(t, "2026-03-16") // the day after the spring window closes
	var outside *fault.FailedPrecondition
	if _, err := coop.SubmitApplication(admin, submit); !errors.As(err, &outside) || !strings.Contains(outside.Message, "2026-09-15") {
		t.Fatalf("outside the window: want the next window's dates, got %v", err)
	}
	at(t, "2026-03-15") // its last day
	if _, err := coop.SubmitApplication(admin, submit); err != nil {
		t.Fatalf("on the window's last day: %v", err)
	}
}

func TestProjectNeedsAClosedInceptionUnlessWaived(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	req := &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id, Application: &pb.Application{
		Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, StartDate: d(2026, 1, 1), EndDate: d(2027, 1, 1)}}
	var precondition *fault.FailedPrecondition
	if _, err := coop.CreateApplication(admin, req); !errors.As(err, &precondition) || precondition.Reason != "INCEPTION_NOT_CLOSED" {
		t.Fatalf("want INCEPTION_NOT_CLOSED, got %v", err)
	}
	req.Application.WaiverReason = "the parties worked together under an earlier programme"
	waived, err := coop.CreateApplication(admin, req)
	if err != nil || waived.WaiverReason == "" {
		t.Fatalf("an admin's waiver: %v %v", waived, err)
	}
}

func TestTeamsAreCheckedPerParty(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	inc := f.inception(t, coop)
	person := func(org string, role pb.MemberRole) *pb.Member {
		return &pb.Member{OrganizationId: org, DisplayName: "Someone", Role: role}
	}
	team, err := coop.SetApplicationTeam(admin, &pb.SetApplicationTeamRequest{PartnershipId: f.partnership.Id, Id: inc.Id, Members: []*pb.Member{
		person(f.swedish.Id, pb.MemberRole_MEMBER_ROLE_MAJORITY_POLITICIAN),
		person(f.swedish.Id, pb.MemberRole_MEMBER_ROLE_OPPOSITION_POLITICIAN),
		person(f.swedish.Id, pb.MemberRole_MEMBER_ROLE_OFFICIAL),
		person(f.international.Id, pb.MemberRole_MEMBER_ROLE_OFFICIAL),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if team.Check.Passes || len(team.Check.Violations) == 0 {
		t.Fatalf("the international party has no politicians, yet the team passes: %v", team.Check)
	}
	for _, v := range team.Check.Violations {
		if v.OrganizationId != f.international.Id {
			t.Fatalf("a violation names the complete Swedish party: %v", v)
		}
	}
	checked, err := coop.CheckApplicationTeam(as(auth.RoleMember, f.swedish.Id), &pb.CheckApplicationTeamRequest{PartnershipId: f.partnership.Id, Id: inc.Id})
	if err != nil || len(checked.Members) != 4 || checked.Check.Passes {
		t.Fatalf("check: %v %v", checked, err)
	}
}

// An application is submitted and approved only with the people the programme funds: an inception or project
// with its team, a steering-group application with a balanced steering group. The refusal names every rule
// broken, and nothing changes.
func TestApplicationsNeedTheirPeople(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	inc := f.inception(t, coop)
	step := &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: inc.Id}
	var refused *fault.FailedPrecondition
	_, err := coop.SubmitApplication(admin, step)
	if !errors.As(err, &refused) || refused.Reason != ReasonTeamIncomplete || len(refused.Violations) != 6 ||
		!strings.Contains(refused.Message, "Lusaka City Council has no officials") {
		t.Fatalf("an inception without a team: %v", err)
	}
	if got, _ := coop.GetApplication(admin, &pb.GetApplicationRequest{PartnershipId: f.partnership.Id, Id: inc.Id}); got.GetState() != pb.ApplicationState_APPLICATION_STATE_DRAFT {
		t.Fatalf("a refused submission changed the application: %v", got)
	}
	f.withTeam(t, coop, inc)
	if _, err := coop.SubmitApplication(admin, step); err != nil {
		t.Fatalf("with its team: %v", err)
	}
	// ICLD finds it among the applications waiting, across partnerships; another organisation does not.
	stranger := as(auth.RoleMember, "11111111-1111-4111-8111-111111111111")
	for _, c := range []struct {
		who   context.Context
		id    string
		state pb.ApplicationState
		want  int
	}{
		{admin, "-", pb.ApplicationState_APPLICATION_STATE_SUBMITTED, 1},
		{as(auth.RoleMember, f.swedish.Id), "-", pb.ApplicationState_APPLICATION_STATE_SUBMITTED, 1},
		{stranger, "-", pb.ApplicationState_APPLICATION_STATE_SUBMITTED, 0},
		{admin, "-", pb.ApplicationState_APPLICATION_STATE_DRAFT, 0},
		{admin, f.partnership.Id, pb.ApplicationState_APPLICATION_STATE_SUBMITTED, 1},
		{admin, f.partnership.Id, pb.ApplicationState_APPLICATION_STATE_UNSPECIFIED, 1},
	} {
		got, err := coop.ListApplications(c.who, &pb.ListApplicationsRequest{PartnershipId: c.id, State: c.state})
		if err != nil || len(got.GetApplications()) != c.want {
			t.Errorf("%s %v: %v %v, want %d", c.id, c.state, got, err, c.want)
		}
	}
	wantFault[*fault.NotFound](t, ignoreResult(coop.ListApplications(stranger, &pb.ListApplicationsRequest{PartnershipId: f.partnership.Id})))
	// The team changes before the decision: the approval checks it again.
	if _, err := coop.SetApplicationTeam(admin, &pb.SetApplicationTeamRequest{PartnershipId: f.partnership.Id, Id: inc.Id, Members: []*pb.Member{
		{OrganizationId: f.swedish.Id, DisplayName: "Alone", Role: pb.MemberRole_MEMBER_ROLE_OFFICIAL}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := coop.ApproveApplication(admin, step); !errors.As(err, &refused) || refused.Reason != ReasonTeamIncomplete {
		t.Fatalf("approving an application whose team fell apart: %v", err)
	}

	sg, err := coop.CreateApplication(admin, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id, Application: &pb.Application{
		Kind: pb.ApplicationKind_APPLICATION_KIND_STEERING_GROUP, StartDate: d(2025, 1, 1), EndDate: d(2025, 12, 31)}})
	if err != nil {
		t.Fatal(err)
	}
	at(t, "2026-03-01") // inside the spring window, which steering-group applications need
	_, err = coop.SubmitApplication(admin, &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: sg.Id})
	if !errors.As(err, &refused) || refused.Reason != ReasonSteeringGroupUnbalanced || len(refused.Violations) == 0 {
		t.Fatalf("a steering-group application without a steering group: %v", err)
	}
}

// Visits come a page at a time, by their first day (then by when they were recorded, for visits that start
// the same day), and a token this list did not give is refused.
func TestVisitsArePaged(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	for _, day := range []int{20, 5, 5, 12} { // recorded out of order, two on the same day
		if _, err := coop.CreateVisit(admin, &pb.CreateVisitRequest{PartnershipId: f.partnership.Id, Visit: &pb.Visit{StartDate: d(2025, 5, day),
			EndDate: d(2025, 5, day+2), HostOrganizationId: f.swedish.Id, Travellers: []*pb.Travellers{{OrganizationId: f.international.Id, Count: 2}},
			Purpose: "exchange"}}); err != nil {
			t.Fatal(err)
		}
	}
	var days []int32
	req := &pb.ListVisitsRequest{PartnershipId: f.partnership.Id, PageSize: 3}
	for pages := 0; ; pages++ {
		resp, err := coop.ListVisits(admin, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range resp.GetVisits() {
			days = append(days, v.GetStartDate().GetDay())
		}
		if resp.GetNextPageToken() == "" {
			if pages != 1 {
				t.Fatalf("4 visits in pages of 3 came in %d pages", pages+1)
			}
			break
		}
		req.PageToken = resp.GetNextPageToken()
	}
	if fmt.Sprint(days) != "[5 5 12 20]" {
		t.Fatalf("visits by first day: %v", days)
	}
	_, err := coop.ListVisits(admin, &pb.ListVisitsRequest{PartnershipId: f.partnership.Id, PageToken: "bm90IGEgdG9rZW4"})
	var invalid *fault.Invalid
	if !errors.As(err, &invalid) {
		t.Fatalf("a token this list did not give: %v", err)
	}
}

// The lists that were read whole come a page at a time too, in the order they had: applications and
// steering-group members by when they were made, countries by code and first day, partnerships out of
// compliance by id.
func TestShortListsArePaged(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	f.withClosedInception(t, coop)
	first, err := coop.ListApplications(admin, &pb.ListApplicationsRequest{PartnershipId: f.partnership.Id})
	if err != nil {
		t.Fatal(err)
	}
	apps := mapped(first.GetApplications(), (*pb.Application).GetId)
	var members []string
	for i := range 3 {
		if i > 0 {
			app, err := coop.CreateApplication(admin, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id, Application: &pb.Application{
				Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, StartDate: d(2026+i, 1, 1), EndDate: d(2026+i, 12, 31)}})
			if err != nil {
				t.Fatal(err)
			}
			apps = append(apps, app.GetId())
		}
		m, err := coop.AddSteeringGroupMember(admin, &pb.AddSteeringGroupMemberRequest{PartnershipId: f.partnership.Id,
			Member: &pb.Member{OrganizationId: f.swedish.Id, DisplayName: fmt.Sprint("Member ", i), Role: pb.MemberRole_MEMBER_ROLE_LEADING_OFFICIAL}})
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, m.GetId())
	}
	got := servertest.ReadPages(t, 2, func(token string) ([]string, string, error) {
		resp, err := coop.ListApplications(admin, &pb.ListApplicationsRequest{PartnershipId: f.partnership.Id, PageSize: 2, PageToken: token})
		return mapped(resp.GetApplications(), (*pb.Application).GetId), resp.GetNextPageToken(), err
	})
	if !slices.Equal(got, apps) {
		t.Errorf("applications %v, want %v", got, apps)
	}
	got = servertest.ReadPages(t, 2, func(token string) ([]string, string, error) {
		resp, err := coop.ListSteeringGroupMembers(admin, &pb.ListSteeringGroupMembersRequest{PartnershipId: f.partnership.Id, PageSize: 2, PageToken: token})
		return mapped(resp.GetMembers(), (*pb.Member).GetId), resp.GetNextPageToken(), err
	})
	if !slices.Equal(got, members) {
		t.Errorf("members %v, want %v", got, members)
	}

	prog := NewProgramme(f.srv.pool)
	whole, err := prog.ListCountries(admin, &pb.ListCountriesRequest{AllVersions: true, PageSize: 500})
	if err != nil || len(whole.GetCountries()) < 10 {
		t.Fatalf("every country: %v %v", len(whole.GetCountries()), err)
	}
	got = servertest.ReadPages(t, 7, func(token string) ([]string, string, error) {
		resp, err := prog.ListCountries(admin, &pb.ListCountriesRequest{AllVersions: true, PageSize: 7, PageToken: token})
		return mapped(resp.GetCountries(), (*pb.CountryEligibility).GetId), resp.GetNextPageToken(), err
	})
	if want := mapped(whole.GetCountries(), (*pb.CountryEligibility).GetId); !slices.Equal(got, want) {
		t.Errorf("countries in pages of 7 %v, want %v", got, want)
	}
	if _, err := prog.ListCountries(admin, &pb.ListCountriesRequest{Date: "2019-03-01", PageSize: 7, PageToken: firstToken(t, prog)}); err == nil {
		t.Error("a page token of one day's list was accepted for another day's")
	}

	// Three partnerships approved this year (so in inception), with no visits: none is in compliance.
	var late []string
	for i := range 3 {
		p, err := f.srv.CreatePartnership(as(auth.RoleMember, f.swedish.Id), &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{
			SwedishOrganizationId: f.swedish.Id, InternationalOrganizationId: f.international.Id, Title: fmt.Sprint("Partnership ", i),
			CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION}, SdgTargets: []string{"16.7"}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []func(context.Context, *pb.TransitionPartnershipRequest) (*pb.Partnership, error){f.srv.SubmitPartnership, f.srv.ApprovePartnership} {
			if _, err := step(admin, &pb.TransitionPartnershipRequest{Id: p.Id}); err != nil {
				t.Fatal(err)
			}
		}
		late = append(late, p.Id)
	}
	got = servertest.ReadPages(t, 2, func(token string) ([]string, string, error) {
		resp, err := coop.ListNonCompliantPartnerships(admin, &pb.ListNonCompliantPartnershipsRequest{PageSize: 2, PageToken: token})
		return mapped(resp.GetPartnerships(), (*pb.PartnershipCompliance).GetPartnershipId), resp.GetNextPageToken(), err
	})
	if !slices.Equal(got, late) {
		t.Errorf("partnerships out of compliance %v, want %v", got, late)
	}
}

// firstToken is the token of the second page of today's countries in pages of 7.
func firstToken(t *testing.T, prog *ProgrammeServer) string {
	t.Helper()
	resp, err := prog.ListCountries(admin, &pb.ListCountriesRequest{PageSize: 7})
	if err != nil || resp.GetNextPageToken() == "" {
		t.Fatalf("today's countries: %v %v", resp, err)
	}
	return resp.GetNextPageToken()
}

// mapped applies f to each item, in order.
func mapped[T, U any](items []T, f func(T) U) []U {
	out := make([]U, 0, len(items))
	for _, it := range items {
		out = append(out, f(it))
	}
	return out
}

// withFramework gives app the content a project needs before it is submitted: purpose, problem, one objective
// with an outcome measured by a counted indicator, a planned activity, a risk and the considerations.
func withFramework(app *pb.Application) *pb.Application {
	app.Purpose, app.Problem = "Young people influence local environmental decisions", "Young people are not heard"
	app.Objectives = []*pb.Objective{{Id: "youth-voice", Statement: "Young people are heard", Results: []*pb.ExpectedResult{{
		Id: "councils", Level: pb.ResultLevel_RESULT_LEVEL_OUTCOME, Statement: "Youth councils advise the city",
		Indicators: []*pb.Indicator{{Id: "proposals", Name: "Youth proposals decided on", Measure: pb.IndicatorMeasure_INDICATOR_MEASURE_UNIT,
			Unit: "proposals", Baseline: &pb.IndicatorValue{Value: "0", Date: d(2026, 1, 1)}, Target: &pb.IndicatorValue{Value: "12", Date: d(2028, 6, 1)}}}}}}}
	app.PlannedActivities = []*pb.PlannedActivity{{Id: "workshops", Year: 2026, ObjectiveId: "youth-voice", Description: "Workshops in schools"}}
	app.Risks = []*pb.Risk{{Description: "Elections change the majority", Mitigation: "Both majority and opposition sit in the steering group"}}
	app.GenderAndInclusion, app.AntiCorruption = "Half of the participants are girls", "Four eyes on every payment"
	return app
}

// A project's content is checked when it is written and complete before it is submitted; ICLD can return it
// for changes; once approved it is frozen, and only ICLD changes it, keeping the content before as a revision.
func TestProjectContentIsCheckedReturnedAndRevised(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	f.withClosedInception(t, coop)
	member := as(auth.RoleMember, f.swedish.Id)
	coordinator := as(auth.RoleCoordinator, "")
	at(t, "2026-03-01") // inside the spring window

	dup := withFramework(&pb.Application{Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, StartDate: d(2026, 6, 1), EndDate: d(2028, 6, 1)})
	dup.PlannedActivities[0].Id = "councils"
	invalid := wantFault[*fault.Invalid](t, ignoreResult(coop.CreateApplication(member, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id, Application: dup})))
	if invalid.Violations[0].Field != "application.planned_activities[0].id" {
		t.Fatalf("a duplicate id: %+v", invalid)
	}

	project, err := coop.CreateApplication(member, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id, Application: &pb.Application{
		Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, StartDate: d(2026, 6, 1), EndDate: d(2028, 6, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	f.withTeam(t, coop, project)
	ref := &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: project.Id}
	incomplete := wantFault[*fault.FailedPrecondition](t, ignoreResult(coop.SubmitApplication(member, ref)))
	if incomplete.Reason != "APPLICATION_INCOMPLETE" || !strings.Contains(incomplete.Message, "at least one objective") {
		t.Fatalf("an empty project: %+v", incomplete)
	}

	// Without a mask, the fields sent change and no others: the dates stay.
	full := withFramework(&pb.Application{})
	updated, err := coop.UpdateApplication(member, &pb.UpdateApplicationRequest{PartnershipId: f.partnership.Id, Id: project.Id, Application: full})
	if err != nil || len(updated.GetObjectives()) != 1 || updated.GetStartDate().GetYear() != 2026 || updated.GetRevision() != 1 {
		t.Fatalf("writing the framework: %v %v", updated, err)
	}
	if _, err := coop.SubmitApplication(member, ref); err != nil {
		t.Fatal(err)
	}
	wantFault[*fault.FailedPrecondition](t, ignoreResult(coop.UpdateApplication(member, &pb.UpdateApplicationRequest{PartnershipId: f.partnership.Id,
		Id: project.Id, Application: &pb.Application{Purpose: "another"}})))

	wantFault[*fault.Invalid](t, ignoreResult(coop.ReturnApplication(coordinator, ref)))
	ref.Reason = "Say how the toolbox will be kept up to date"
	returned, err := coop.ReturnApplication(coordinator, ref)
	if err != nil || returned.GetState() != pb.ApplicationState_APPLICATION_STATE_RETURNED || returned.GetReturnReason() != ref.Reason {
		t.Fatalf("return: %v %v", returned, err)
	}
	ref.Reason = ""
	if _, err := coop.UpdateApplication(member, &pb.UpdateApplicationRequest{PartnershipId: f.partnership.Id, Id: project.Id,
		Application: &pb.Application{Purpose: "Young people shape local environmental decisions"}}); err != nil {
		t.Fatalf("editing a returned application: %v", err)
	}
	for _, step := range []func(context.Context, *pb.TransitionApplicationRequest) (*pb.Application, error){coop.SubmitApplication, coop.ApproveApplication} {
		if _, err := step(coordinator, ref); err != nil {
			t.Fatal(err)
		}
	}

	change := &pb.UpdateApplicationRequest{PartnershipId: f.partnership.Id, Id: project.Id, Application: &pb.Application{Problem: "Young people are seldom heard"}}
	if frozen := wantFault[*fault.FailedPrecondition](t, ignoreResult(coop.UpdateApplication(member, change))); frozen.Reason != "APPLICATION_FROZEN" {
		t.Fatalf("a member changing an approved application: %+v", frozen)
	}
	if invalid := wantFault[*fault.Invalid](t, ignoreResult(coop.UpdateApplication(coordinator, change))); invalid.Violations[0].Field != "revision_reason" {
		t.Fatalf("a revision without a reason: %+v", invalid)
	}
	change.RevisionReason = "agreed at the steering group of 2026-09-01"
	revised, err := coop.UpdateApplication(coordinator, change)
	if err != nil || revised.GetRevision() != 2 || revised.GetProblem() != "Young people are seldom heard" {
		t.Fatalf("a recorded revision: %v %v", revised, err)
	}
	revs, err := coop.ListApplicationRevisions(member, &pb.ListApplicationRevisionsRequest{PartnershipId: f.partnership.Id, ApplicationId: project.Id})
	if err != nil || len(revs.GetRevisions()) != 1 || revs.GetRevisions()[0].GetNumber() != 1 ||
		revs.GetRevisions()[0].GetApplication().GetProblem() != "Young people are not heard" || revs.GetRevisions()[0].GetReason() != change.RevisionReason {
		t.Fatalf("the revision kept: %v %v", revs, err)
	}
}
