package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
	"github.com/partnerskap/partnerskap/services/partnership/migrations"
)

func as(role auth.Role, org string) context.Context {
	return auth.WithPrincipal(context.Background(), auth.Principal{Subject: "test-" + string(role), Role: role, Org: org})
}

var admin = as(auth.RoleAdmin, "")

func malmo() *pb.Organization {
	return &pb.Organization{Kind: pb.OrganizationKind_ORGANIZATION_KIND_MUNICIPALITY, DisplayName: "Malmö stad",
		Details: &pb.Organization_Swedish{Swedish: &pb.SwedishDetails{OrgNumber: "212000-1124", MunicipalityCode: "1280"}}}
}

func lusaka() *pb.Organization {
	return &pb.Organization{Kind: pb.OrganizationKind_ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT, DisplayName: "Lusaka City Council",
		Details: &pb.Organization_International{International: &pb.InternationalDetails{CountryCode: "ZM", GovernmentKind: "city council"}}}
}

// fixture is a server on a fresh database with two organisations and a draft partnership between them.
type fixture struct {
	srv                    *Server
	swedish, international *pb.Organization
	partnership            *pb.Partnership
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	srv := New(withDefaults(t))
	sw, err := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: malmo()})
	if err != nil {
		t.Fatal(err)
	}
	in, err := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: lusaka()})
	if err != nil {
		t.Fatal(err)
	}
	p, err := srv.CreatePartnership(as(auth.RoleMember, sw.Id), &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{
		SwedishOrganizationId: sw.Id, InternationalOrganizationId: in.Id, Title: "Young people's influence",
		CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION}, SdgTargets: []string{"16.7"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{srv: srv, swedish: sw, international: in, partnership: p}
}

func wantFault[T error](t *testing.T, err error) T {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("want %T, got %v", target, err)
	}
	return target
}

func TestCreateOrganizationNormalisesAndRefusesDuplicates(t *testing.T) {
	f := newFixture(t)
	sw := f.swedish.GetSwedish()
	if sw.OrgNumber != "212000-1124" || sw.MunicipalityName == "" || f.swedish.Etag == "" || f.swedish.Creator != "test-admin" {
		t.Fatalf("unexpected organisation %v", f.swedish)
	}
	dup := malmo()
	dup.GetSwedish().OrgNumber = "2120001124"
	err := wantFault[*fault.Conflict](t, ignoreResult(f.srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: dup})))
	if !err.AlreadyExists || err.Field != "organization.swedish.org_number" {
		t.Fatalf("unexpected conflict %+v", err)
	}
}

func TestCreateOrganizationNamesEveryBadField(t *testing.T) {
	f := newFixture(t)
	bad := malmo()
	bad.GetSwedish().OrgNumber = "212000-1125"
	bad.GetSwedish().MunicipalityCode = "9999"
	invalid := wantFault[*fault.Invalid](t, ignoreResult(f.srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: bad})))
	fields := map[string]bool{}
	for _, v := range invalid.Violations {
		fields[v.Field] = true
	}
	if !fields["organization.swedish.org_number"] || !fields["organization.swedish.municipality_code"] {
		t.Fatalf("violations %+v", invalid.Violations)
	}
	list, err := f.srv.ListOrganizations(admin, &pb.ListOrganizationsRequest{})
	if err != nil || len(list.Organizations) != 2 {
		t.Fatalf("a refused create wrote something: %v %v", list, err)
	}
}

// balance gives every party of the fixture's partnership a steering group that passes the composition rule.
func (f fixture) balance(t *testing.T) {
	t.Helper()
	coop := NewCooperation(f.srv.pool)
	roles := []pb.MemberRole{pb.MemberRole_MEMBER_ROLE_MAJORITY_POLITICIAN, pb.MemberRole_MEMBER_ROLE_OPPOSITION_POLITICIAN, pb.MemberRole_MEMBER_ROLE_LEADING_OFFICIAL}
	for _, org := range []string{f.swedish.Id, f.international.Id} {
		for i, role := range roles {
			_, err := coop.AddSteeringGroupMember(admin, &pb.AddSteeringGroupMemberRequest{PartnershipId: f.partnership.Id,
				Member: &pb.Member{OrganizationId: org, DisplayName: fmt.Sprintf("Person %d", i), Role: role}})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestLifecycleAndHistory(t *testing.T) {
	f := newFixture(t)
	id := f.partnership.Id
	f.balance(t)
	coordinator := as(auth.RoleCoordinator, "")
	steps := []struct {
		name string
		call func(context.Context, *pb.TransitionPartnershipRequest) (*pb.Partnership, error)
		ctx  context.Context
		want pb.PartnershipState
	}{
		{"submit", f.srv.SubmitPartnership, as(auth.RoleMember, f.swedish.Id), pb.PartnershipState_PARTNERSHIP_STATE_SUBMITTED},
		{"approve", f.srv.ApprovePartnership, coordinator, pb.PartnershipState_PARTNERSHIP_STATE_INCEPTION},
		{"activate", f.srv.ActivatePartnership, coordinator, pb.PartnershipState_PARTNERSHIP_STATE_ACTIVE},
		{"complete", f.srv.CompletePartnership, coordinator, pb.PartnershipState_PARTNERSHIP_STATE_COMPLETED},
	}
	for _, s := range steps {
		p, err := s.call(s.ctx, &pb.TransitionPartnershipRequest{Id: id, Reason: "step " + s.name})
		if err != nil || p.State != s.want {
			t.Fatalf("%s: %v %v", s.name, p.GetState(), err)
		}
	}
	illegal := wantFault[*fault.FailedPrecondition](t, ignoreResult(f.srv.TerminatePartnership(coordinator, &pb.TransitionPartnershipRequest{Id: id, Reason: "too late"})))
	if illegal.Reason != "ILLEGAL_TRANSITION" {
		t.Fatalf("reason %q", illegal.Reason)
	}
	hist, err := f.srv.ListPartnershipHistory(as(auth.RolePartner, f.international.Id), &pb.ListPartnershipHistoryRequest{Id: id, PageSize: 3})
	if err != nil || len(hist.Transitions) != 3 || hist.NextPageToken == "" {
		t.Fatalf("history page 1: %v %v", hist, err)
	}
	rest, err := f.srv.ListPartnershipHistory(admin, &pb.ListPartnershipHistoryRequest{Id: id, PageSize: 3, PageToken: hist.NextPageToken})
	if err != nil || len(rest.Transitions) != 1 || rest.Transitions[0].Transition != "complete" || rest.NextPageToken != "" {
		t.Fatalf("history page 2: %v %v", rest, err)
	}
	first := hist.Transitions[0]
	if first.Actor != "test-member" || first.ActorRole != "member" || first.Reason != "step submit" {
		t.Fatalf("first transition %v", first)
	}
}

func TestTerminateNeedsAReason(t *testing.T) {
	f := newFixture(t)
	wantFault[*fault.Invalid](t, ignoreResult(f.srv.TerminatePartnership(admin, &pb.TransitionPartnershipRequest{Id: f.partnership.Id})))
}

func TestOtherOrganisationsSeeNothing(t *testing.T) {
	f := newFixture(t)
	stranger, err := f.srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: &pb.Organization{
		Kind: pb.OrganizationKind_ORGANIZATION_KIND_MUNICIPALITY, DisplayName: "Växjö kommun",
		Details: &pb.Organization_Swedish{Swedish: &pb.SwedishDetails{OrgNumber: "212000-0662", MunicipalityCode: "0780"}}}})
	if err != nil {
		t.Fatal(err)
	}
	member := as(auth.RoleMember, stranger.Id)
	wantFault[*fault.NotFound](t, ignoreResult(f.srv.GetPartnership(member, &pb.GetPartnershipRequest{Id: f.partnership.Id})))
	wantFault[*fault.NotFound](t, ignoreResult(f.srv.SubmitPartnership(member, &pb.TransitionPartnershipRequest{Id: f.partnership.Id})))
	wantFault[*fault.NotFound](t, ignoreResult(f.srv.ListPartnershipHistory(member, &pb.ListPartnershipHistoryRequest{Id: f.partnership.Id})))
	list, err := f.srv.ListPartnerships(member, &pb.ListPartnershipsRequest{})
	if err != nil || len(list.Partnerships) != 0 {
		t.Fatalf("stranger listed %v %v", list, err)
	}
	own, err := f.srv.ListPartnerships(as(auth.RolePartner, f.international.Id), &pb.ListPartnershipsRequest{})
	if err != nil || len(own.Partnerships) != 1 {
		t.Fatalf("partner listed %v %v", own, err)
	}
	wantFault[*fault.PermissionDenied](t, ignoreResult(f.srv.CreatePartnership(member, &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{
		SwedishOrganizationId: f.swedish.Id, InternationalOrganizationId: f.international.Id, Title: "Not mine",
		CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION}}})))
}

func TestUpdateHonoursMaskAndETag(t *testing.T) {
	f := newFixture(t)
	member := as(auth.RoleMember, f.swedish.Id)
	updated, err := f.srv.UpdatePartnership(member, &pb.UpdatePartnershipRequest{
		Id: f.partnership.Id, Partnership: &pb.Partnership{Title: "A new title", Challenge: "ignored", Etag: f.partnership.Etag},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}},
	})
	if err != nil || updated.Title != "A new title" || updated.Challenge != "" || updated.Etag == f.partnership.Etag {
		t.Fatalf("update: %v %v", updated, err)
	}
	stale := wantFault[*fault.Conflict](t, ignoreResult(f.srv.UpdatePartnership(member, &pb.UpdatePartnershipRequest{
		Id: f.partnership.Id, Partnership: &pb.Partnership{Title: "Lost update", Etag: f.partnership.Etag},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}},
	})))
	if stale.Reason != "ETAG_MISMATCH" {
		t.Fatalf("reason %q", stale.Reason)
	}
	wantFault[*fault.Invalid](t, ignoreResult(f.srv.UpdatePartnership(member, &pb.UpdatePartnershipRequest{
		Id: f.partnership.Id, Partnership: &pb.Partnership{State: pb.PartnershipState_PARTNERSHIP_STATE_ACTIVE},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"state"}},
	})))
	wantFault[*fault.Invalid](t, ignoreResult(f.srv.UpdatePartnership(member, &pb.UpdatePartnershipRequest{
		Id: f.partnership.Id, Partnership: &pb.Partnership{SdgTargets: []string{"16.99"}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"sdg_targets"}},
	})))
	got, _ := f.srv.GetPartnership(member, &pb.GetPartnershipRequest{Id: f.partnership.Id})
	if got.Title != "A new title" || got.Etag != updated.Etag {
		t.Fatalf("a refused update wrote something: %v", got)
	}
}

func TestIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	f := newFixture(t)
	ctx := metadata.NewIncomingContext(admin, metadata.Pairs("idempotency-key", "key-1"))
	req := &pb.CreateOrganizationRequest{Organization: &pb.Organization{Kind: pb.OrganizationKind_ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT,
		DisplayName: "Jinja City", Details: &pb.Organization_International{International: &pb.InternationalDetails{CountryCode: "UG", GovernmentKind: "city council"}}}}
	first, err := f.srv.CreateOrganization(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.srv.CreateOrganization(ctx, req)
	if err != nil || !proto.Equal(first, again) {
		t.Fatalf("replay: %v %v", again, err)
	}
	other := proto.Clone(req).(*pb.CreateOrganizationRequest)
	other.Organization.DisplayName = "Jinja District"
	conflict := wantFault[*fault.Conflict](t, ignoreResult(f.srv.CreateOrganization(ctx, other)))
	if conflict.Reason != "IDEMPOTENCY_KEY_REUSED" {
		t.Fatalf("reason %q", conflict.Reason)
	}
	list, _ := f.srv.ListOrganizations(admin, &pb.ListOrganizationsRequest{CountryCode: "UG"})
	if len(list.Organizations) != 1 {
		t.Fatalf("want one Ugandan organisation, got %d", len(list.Organizations))
	}
}

func TestListOrganizationsPagesInCreationOrder(t *testing.T) {
	f := newFixture(t)
	var ids []string
	req := &pb.ListOrganizationsRequest{PageSize: 1}
	for {
		resp, err := f.srv.ListOrganizations(admin, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range resp.Organizations {
			ids = append(ids, o.Id)
		}
		if resp.NextPageToken == "" {
			break
		}
		req.PageToken = resp.NextPageToken
	}
	if len(ids) != 2 || ids[0] != f.swedish.Id || ids[1] != f.international.Id {
		t.Fatalf("pages gave %v", ids)
	}
	wantFault[*fault.Invalid](t, ignoreResult(f.srv.ListOrganizations(admin, &pb.ListOrganizationsRequest{CountryCode: "ZM", PageToken: req.PageToken})))
	wantFault[*fault.Invalid](t, ignoreResult(f.srv.ListOrganizations(admin, &pb.ListOrganizationsRequest{PageToken: "garbage"})))
}

// withDefaults is a fresh database carrying the programme's default rules, as `partnership migrate` leaves it.
func withDefaults(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool := pgtest.NewPool(t, migrations.FS)
	if err := store.EnsureDefaults(context.Background(), pool, 2024, 2030); err != nil {
		t.Fatal(err)
	}
	return pool
}

func ignoreResult[T any](_ T, err error) error { return err }

func TestMalformedOrgClaimSeesNothing(t *testing.T) {
	f := newFixture(t)
	list, err := f.srv.ListPartnerships(as(auth.RoleMember, "not-a-uuid"), &pb.ListPartnershipsRequest{})
	if err != nil || len(list.Partnerships) != 0 {
		t.Fatalf("got %v %v", list, err)
	}
}

// An organisation's own member may rename it but not change who it legally is; staff may.
func TestMembersMayNotChangeAnOrganisationsIdentity(t *testing.T) {
	f := newFixture(t)
	member := as(auth.RoleMember, f.swedish.Id)
	identity := &pb.UpdateOrganizationRequest{Id: f.swedish.Id, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"swedish"}},
		Organization: &pb.Organization{Details: &pb.Organization_Swedish{Swedish: &pb.SwedishDetails{OrgNumber: "212000-0142", MunicipalityCode: "1280"}}}}
	denied := wantFault[*fault.PermissionDenied](t, ignoreResult(f.srv.UpdateOrganization(member, identity)))
	if denied.Reason != "IDENTITY_FIELD_STAFF_ONLY" || !strings.Contains(denied.Message, "organization.swedish.org_number") {
		t.Fatalf("refusal %q %q, want IDENTITY_FIELD_STAFF_ONLY naming organization.swedish.org_number", denied.Reason, denied.Message)
	}
	got, _ := f.srv.GetOrganization(admin, &pb.GetOrganizationRequest{Id: f.swedish.Id})
	if got.GetSwedish().GetOrgNumber() != "212000-1124" {
		t.Fatalf("a refused change was written: %v", got)
	}
	rename := &pb.UpdateOrganizationRequest{Id: f.swedish.Id, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}},
		Organization: &pb.Organization{DisplayName: "Malmö stad (kommun)"}}
	if _, err := f.srv.UpdateOrganization(member, rename); err != nil {
		t.Fatalf("a member renaming its own organisation: %v", err)
	}
	if _, err := f.srv.UpdateOrganization(as(auth.RoleCoordinator, ""), identity); err != nil {
		t.Fatalf("a coordinator correcting the organisation number: %v", err)
	}
}

// The list finds partnerships by their international party's country and by words of their title, in any
// case; a stranger finds nothing by either, and a page token is good only for the filters it was made with.
func TestListFiltersByCountryAndTitle(t *testing.T) {
	f := newFixture(t)
	count := func(ctx context.Context, req *pb.ListPartnershipsRequest) int {
		t.Helper()
		list, err := f.srv.ListPartnerships(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return len(list.Partnerships)
	}
	for _, c := range []struct {
		req  *pb.ListPartnershipsRequest
		want int
	}{
		{&pb.ListPartnershipsRequest{CountryCode: "ZM"}, 1},
		{&pb.ListPartnershipsRequest{CountryCode: "KE"}, 0},
		{&pb.ListPartnershipsRequest{Query: "PEOPLE'S infl"}, 1},
		{&pb.ListPartnershipsRequest{Query: "  people  "}, 1},
		{&pb.ListPartnershipsRequest{Query: "water"}, 0},
		{&pb.ListPartnershipsRequest{Query: "%"}, 0},
		{&pb.ListPartnershipsRequest{Query: "young", CountryCode: "ZM"}, 1},
	} {
		if got := count(admin, c.req); got != c.want {
			t.Errorf("%v: %d partnerships, want %d", c.req, got, c.want)
		}
	}
	if got := count(as(auth.RoleMember, "11111111-1111-4111-8111-111111111111"), &pb.ListPartnershipsRequest{Query: "young", CountryCode: "ZM"}); got != 0 {
		t.Errorf("a stranger found %d", got)
	}
	if _, err := f.srv.CreatePartnership(as(auth.RoleMember, f.swedish.Id), &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{
		SwedishOrganizationId: f.swedish.Id, InternationalOrganizationId: f.international.Id, Title: "Young voices",
		CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION}}}); err != nil {
		t.Fatal(err)
	}
	first, err := f.srv.ListPartnerships(admin, &pb.ListPartnershipsRequest{Query: "young", PageSize: 1})
	if err != nil || first.NextPageToken == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	wantFault[*fault.Invalid](t, ignoreResult(f.srv.ListPartnerships(admin, &pb.ListPartnershipsRequest{Query: "voices", PageSize: 1, PageToken: first.NextPageToken})))
}
