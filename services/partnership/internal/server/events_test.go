package server

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/outbox"
)

// stream reads a partnership service's events after seq after.
func stream(t *testing.T, pool *pgxpool.Pool, after int64) []*eventspb.Event {
	t.Helper()
	events, err := outbox.List(context.Background(), pool, "partnership", after, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// tail reads the events written since the last call, so a test can check each change's events in turn.
type tail struct {
	t    *testing.T
	pool *pgxpool.Pool
	seq  int64
}

// next returns the new events' payloads, after checking that they are of the kinds named, in that order.
func (tl *tail) next(kinds ...string) []*eventspb.Event {
	tl.t.Helper()
	events := stream(tl.t, tl.pool, tl.seq)
	var got []string
	for _, e := range events {
		got = append(got, string(e.GetPayload().MessageName().Name()))
	}
	if !slices.Equal(got, kinds) {
		tl.t.Fatalf("events %v, want %v", got, kinds)
	}
	if len(events) > 0 {
		tl.seq = events[len(events)-1].GetSeq()
	}
	return events
}

// payload decodes an event's payload into m and returns m.
func payload[M proto.Message](t *testing.T, e *eventspb.Event, m M) M {
	t.Helper()
	if err := e.GetPayload().UnmarshalTo(m); err != nil {
		t.Fatal(err)
	}
	return m
}

func wantPayload(t *testing.T, e *eventspb.Event, got, want proto.Message) {
	t.Helper()
	if payload(t, e, got); !proto.Equal(got, want) {
		t.Errorf("payload\n got %v\nwant %v", got, want)
	}
}

func outboxSize(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEveryChangeEmitsItsEvent follows a partnership from its parties' registration to visits and a person's
// erasure: each change writes the whole state of what it changed, and the stream serves it in order.
func TestEveryChangeEmitsItsEvent(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	coordinator := as(auth.RoleCoordinator, "")
	events := &tail{t: t, pool: f.srv.pool}

	created := events.next("OrganizationChanged", "OrganizationChanged", "PartnershipChanged")
	wantPayload(t, created[0], &eventspb.OrganizationChanged{}, &eventspb.OrganizationChanged{Id: f.swedish.Id, DisplayName: "Malmö stad",
		Kind: "municipality", OrgNumber: "2120001124", CountryCode: "SE"})
	wantPayload(t, created[1], &eventspb.OrganizationChanged{}, &eventspb.OrganizationChanged{Id: f.international.Id,
		DisplayName: "Lusaka City Council", Kind: "international_local_government", CountryCode: "ZM"})
	draft := &eventspb.PartnershipChanged{Id: f.partnership.Id, Title: "Young people's influence", State: pb.PartnershipState_PARTNERSHIP_STATE_DRAFT,
		SwedishOrganizationId: f.swedish.Id, InternationalOrganizationId: f.international.Id, CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION},
		SdgTargets: []string{"16.7"}, CountryCode: "ZM", Cluster: typepb.Cluster_CLUSTER_SOUTHERN_AFRICA, CreateTime: f.partnership.CreateTime}
	wantPayload(t, created[2], &eventspb.PartnershipChanged{}, draft)
	if f.partnership.GetCountryCode() != draft.CountryCode || f.partnership.GetCluster() != draft.Cluster {
		t.Errorf("the create answer's country and cluster %s, %v differ from its event's", f.partnership.GetCountryCode(), f.partnership.GetCluster())
	}
	if e := created[2]; e.GetActor() != "test-member" || e.GetProducer() != "partnership" {
		t.Errorf("envelope %v", e)
	}

	if _, err := f.srv.UpdateOrganization(admin, &pb.UpdateOrganizationRequest{Id: f.swedish.Id, Organization: &pb.Organization{DisplayName: "Malmö",
		Etag: f.swedish.Etag}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}}}); err != nil {
		t.Fatal(err)
	}
	if o := payload(t, events.next("OrganizationChanged")[0], &eventspb.OrganizationChanged{}); o.GetDisplayName() != "Malmö" || o.GetOrgNumber() != "2120001124" {
		t.Errorf("renamed organisation %v", o)
	}
	if _, err := f.srv.UpdatePartnership(admin, &pb.UpdatePartnershipRequest{Id: f.partnership.Id, Partnership: &pb.Partnership{Challenge: "Youth councils"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"challenge"}}}); err != nil {
		t.Fatal(err)
	}
	draft.Challenge = "Youth councils"
	wantPayload(t, events.next("PartnershipChanged")[0], &eventspb.PartnershipChanged{}, draft)

	// Each new steering-group member restates this year's compliance; the sixth balances the group.
	f.balance(t)
	thisYear := int32(civil.DateOf(time.Now()).Year)
	steering := events.next(slices.Repeat([]string{"ComplianceChanged"}, 6)...)
	wantPayload(t, steering[0], &eventspb.ComplianceChanged{}, &eventspb.ComplianceChanged{PartnershipId: f.partnership.Id, Year: thisYear})
	wantPayload(t, steering[5], &eventspb.ComplianceChanged{}, &eventspb.ComplianceChanged{PartnershipId: f.partnership.Id, Year: thisYear, SteeringGroupBalanced: true})

	for _, step := range []struct {
		call func(context.Context, *pb.TransitionPartnershipRequest) (*pb.Partnership, error)
		ctx  context.Context
		want pb.PartnershipState
	}{
		{f.srv.SubmitPartnership, as(auth.RoleMember, f.swedish.Id), pb.PartnershipState_PARTNERSHIP_STATE_SUBMITTED},
		{f.srv.ApprovePartnership, coordinator, pb.PartnershipState_PARTNERSHIP_STATE_INCEPTION},
	} {
		if _, err := step.call(step.ctx, &pb.TransitionPartnershipRequest{Id: f.partnership.Id}); err != nil {
			t.Fatal(err)
		}
		draft.State = step.want
		wantPayload(t, events.next("PartnershipChanged")[0], &eventspb.PartnershipChanged{}, draft)
	}

	app := f.inception(t, coop)
	// The word beside the enum, for a reporting service of the release before during a rolling upgrade.
	application := &eventspb.ApplicationChanged{Id: app.Id, PartnershipId: f.partnership.Id, Kind: pb.ApplicationKind_APPLICATION_KIND_INCEPTION,
		//lint:ignore SA1019 the producer still writes it, and this checks that it does
		LegacyStatus: "draft", State: pb.ApplicationState_APPLICATION_STATE_DRAFT, StartDate: d(2025, 1, 1), EndDate: d(2026, 1, 1)}
	wantPayload(t, events.next("ApplicationChanged")[0], &eventspb.ApplicationChanged{}, application)
	f.withTeam(t, coop, app)
	if _, err := coop.SubmitApplication(admin, &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: app.Id}); err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 as above
	application.State, application.LegacyStatus = pb.ApplicationState_APPLICATION_STATE_SUBMITTED, "submitted"
	wantPayload(t, events.next("ApplicationChanged")[0], &eventspb.ApplicationChanged{}, application)

	// Visits restate their year: two meetings, one hosted by each party, make 2025 comply.
	visit := func(host, guest string, month int) {
		t.Helper()
		if _, err := coop.CreateVisit(admin, &pb.CreateVisitRequest{PartnershipId: f.partnership.Id, Visit: &pb.Visit{StartDate: d(2025, month, 1),
			EndDate: d(2025, month, 4), HostOrganizationId: host, Travellers: []*pb.Travellers{{OrganizationId: guest, Count: 3}}, Purpose: "steering group meeting"}}); err != nil {
			t.Fatal(err)
		}
	}
	visit(f.international.Id, f.swedish.Id, 5)
	wantPayload(t, events.next("ComplianceChanged")[0], &eventspb.ComplianceChanged{}, &eventspb.ComplianceChanged{PartnershipId: f.partnership.Id,
		Year: 2025, Meetings: 1, Visits: 1, SteeringGroupBalanced: true})
	visit(f.swedish.Id, f.international.Id, 10)
	year2025 := &eventspb.ComplianceChanged{PartnershipId: f.partnership.Id, Year: 2025, Meetings: 2, Visits: 2, Compliant: true, SteeringGroupBalanced: true}
	wantPayload(t, events.next("ComplianceChanged")[0], &eventspb.ComplianceChanged{}, year2025)

	// A steering-group change restates every year with visits and this one.
	members, err := coop.ListSteeringGroupMembers(admin, &pb.ListSteeringGroupMembersRequest{PartnershipId: f.partnership.Id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := coop.RemoveSteeringGroupMember(admin, &pb.RemoveSteeringGroupMemberRequest{PartnershipId: f.partnership.Id, Id: members.Members[0].Id}); err != nil {
		t.Fatal(err)
	}
	year2025.SteeringGroupBalanced = false
	removed := events.next("ComplianceChanged", "ComplianceChanged")
	wantPayload(t, removed[0], &eventspb.ComplianceChanged{}, year2025)
	wantPayload(t, removed[1], &eventspb.ComplianceChanged{}, &eventspb.ComplianceChanged{PartnershipId: f.partnership.Id, Year: thisYear})

	// So does an erasure from a steering group, with the same numbers: no payload names a person.
	if _, err := coop.AddSteeringGroupMember(admin, &pb.AddSteeringGroupMemberRequest{PartnershipId: f.partnership.Id, Member: &pb.Member{
		OrganizationId: members.Members[0].OrganizationId, DisplayName: "Anna Andersson", Email: "anna@example.org", Role: members.Members[0].Role}}); err != nil {
		t.Fatal(err)
	}
	year2025.SteeringGroupBalanced = true
	wantPayload(t, events.next("ComplianceChanged", "ComplianceChanged")[0], &eventspb.ComplianceChanged{}, year2025)
	if _, err := coop.ErasePerson(admin, &pb.ErasePersonRequest{Email: "Anna@example.org", Reason: "she asked"}); err != nil {
		t.Fatal(err)
	}
	wantPayload(t, events.next("ComplianceChanged", "ComplianceChanged")[0], &eventspb.ComplianceChanged{}, year2025)

	// The registered EventService serves the same events, in order, a page at a time.
	all := stream(t, f.srv.pool, 0)
	srv := outbox.NewServer(f.srv.pool, "partnership")
	var served []*eventspb.Event
	for after := int64(0); ; {
		resp, err := srv.ListEvents(admin, &eventspb.ListEventsRequest{AfterSeq: after, PageSize: 4})
		if err != nil {
			t.Fatal(err)
		}
		if resp.GetHeadSeq() != all[len(all)-1].GetSeq() {
			t.Fatalf("head %d, want %d", resp.GetHeadSeq(), all[len(all)-1].GetSeq())
		}
		if len(resp.GetEvents()) == 0 {
			break
		}
		served = append(served, resp.GetEvents()...)
		after = resp.GetEvents()[len(resp.GetEvents())-1].GetSeq()
	}
	if len(served) != len(all) {
		t.Fatalf("served %d events of %d", len(served), len(all))
	}
	for i := range all {
		if !proto.Equal(served[i], all[i]) {
			t.Fatalf("event %d served as %v, stored as %v", i, served[i], all[i])
		}
	}
}

// TestRefusedChangesWriteNoEvent: a change refused for its input, its etag, its state or the rules rolls its
// event back with it; so does a request that changes nothing.
func TestRefusedChangesWriteNoEvent(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	app := f.inception(t, coop)
	before := outboxSize(t, f.srv.pool)
	badNumber := malmo()
	badNumber.GetSwedish().OrgNumber = "212000-1125"
	for name, call := range map[string]func() error{
		"invalid organisation": func() error {
			return ignoreResult(f.srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: badNumber}))
		},
		"duplicate organisation": func() error {
			return ignoreResult(f.srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: malmo()}))
		},
		"stale organisation etag": func() error {
			return ignoreResult(f.srv.UpdateOrganization(admin, &pb.UpdateOrganizationRequest{Id: f.swedish.Id, Organization: &pb.Organization{DisplayName: "Malmö", Etag: "7"}}))
		},
		"stale partnership etag": func() error {
			return ignoreResult(f.srv.UpdatePartnership(admin, &pb.UpdatePartnershipRequest{Id: f.partnership.Id, Partnership: &pb.Partnership{Title: "Lost", Etag: "7"}}))
		},
		"illegal transition": func() error {
			return ignoreResult(f.srv.ActivatePartnership(admin, &pb.TransitionPartnershipRequest{Id: f.partnership.Id}))
		},
		"ineligible country": func() error {
			return ignoreResult(f.srv.CreatePartnership(admin, &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{SwedishOrganizationId: f.swedish.Id,
				InternationalOrganizationId: f.international.Id, Title: "Too early", CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION}, EligibilityDate: d(2001, 1, 1)}}))
		},
		"application step out of order": func() error {
			return ignoreResult(coop.ApproveApplication(admin, &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: app.Id}))
		},
		"stale application etag": func() error {
			return ignoreResult(coop.SubmitApplication(admin, &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: app.Id, Etag: "7"}))
		},
		"second inception": func() error {
			return ignoreResult(coop.CreateApplication(admin, &pb.CreateApplicationRequest{PartnershipId: f.partnership.Id, Application: &pb.Application{
				Kind: pb.ApplicationKind_APPLICATION_KIND_INCEPTION, StartDate: d(2025, 1, 1), EndDate: d(2026, 1, 1)}}))
		},
		"visit hosted by a stranger": func() error {
			return ignoreResult(coop.CreateVisit(admin, &pb.CreateVisitRequest{PartnershipId: f.partnership.Id, Visit: &pb.Visit{StartDate: d(2025, 5, 1),
				EndDate: d(2025, 5, 2), HostOrganizationId: app.Id, Travellers: []*pb.Travellers{{OrganizationId: f.swedish.Id, Count: 2}}, Purpose: "meeting"}}))
		},
		"official in a steering group": func() error {
			return ignoreResult(coop.AddSteeringGroupMember(admin, &pb.AddSteeringGroupMemberRequest{PartnershipId: f.partnership.Id,
				Member: &pb.Member{OrganizationId: f.swedish.Id, DisplayName: "Someone", Role: pb.MemberRole_MEMBER_ROLE_OFFICIAL}}))
		},
		"removing no one": func() error {
			return ignoreResult(coop.RemoveSteeringGroupMember(admin, &pb.RemoveSteeringGroupMemberRequest{PartnershipId: f.partnership.Id, Id: app.Id}))
		},
	} {
		if err := call(); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if n := outboxSize(t, f.srv.pool); n != before {
			t.Fatalf("%s: %d events written", name, n-before)
		}
	}
	if _, err := coop.ErasePerson(admin, &pb.ErasePersonRequest{Email: "nobody@example.org", Reason: "asked"}); err != nil {
		t.Fatal(err)
	}
	if n := outboxSize(t, f.srv.pool); n != before {
		t.Fatalf("erasing nobody wrote %d events", n-before)
	}
}

// TestPartnershipsFollowTheirCountry: the country and cluster a partnership's event carries live in other
// rows; when an admin moves a country to another cluster, or the international party to another country,
// the partnerships concerned are restated in the same transaction.
func TestPartnershipsFollowTheirCountry(t *testing.T) {
	f := newFixture(t)
	programme := NewProgramme(f.srv.pool)
	events := &tail{t: t, pool: f.srv.pool}
	events.next("OrganizationChanged", "OrganizationChanged", "PartnershipChanged")

	countries, err := programme.ListCountries(admin, &pb.ListCountriesRequest{AllVersions: true})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(countries.Countries, func(c *pb.CountryEligibility) bool { return c.CountryCode == "ZM" })
	zambia := countries.Countries[i]
	if _, err := programme.UpdateCountryEligibility(admin, &pb.UpdateCountryEligibilityRequest{Id: zambia.Id,
		Country: &pb.CountryEligibility{Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA, Etag: zambia.Etag}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"cluster"}}}); err != nil {
		t.Fatal(err)
	}
	if p := payload(t, events.next("PartnershipChanged")[0], &eventspb.PartnershipChanged{}); p.GetId() != f.partnership.Id || p.GetCountryCode() != "ZM" || p.GetCluster() != typepb.Cluster_CLUSTER_EAST_AFRICA {
		t.Errorf("after Zambia's move: %v", p)
	}
	// The API answers with the cluster its events carry, by Get and by List.
	if got, err := f.srv.GetPartnership(admin, &pb.GetPartnershipRequest{Id: f.partnership.Id}); err != nil || got.GetCountryCode() != "ZM" || got.GetCluster() != typepb.Cluster_CLUSTER_EAST_AFRICA {
		t.Errorf("GetPartnership after Zambia's move: %v, %v", got, err)
	}
	if list, err := f.srv.ListPartnerships(admin, &pb.ListPartnershipsRequest{}); err != nil || len(list.GetPartnerships()) != 1 || list.GetPartnerships()[0].GetCluster() != typepb.Cluster_CLUSTER_EAST_AFRICA {
		t.Errorf("ListPartnerships after Zambia's move: %v, %v", list, err)
	}

	if _, err := f.srv.UpdateOrganization(admin, &pb.UpdateOrganizationRequest{Id: f.international.Id, Organization: &pb.Organization{
		Details: &pb.Organization_International{International: &pb.InternationalDetails{CountryCode: "CO", GovernmentKind: "city council"}}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"international"}}}); err != nil {
		t.Fatal(err)
	}
	moved := events.next("OrganizationChanged", "PartnershipChanged")
	if o := payload(t, moved[0], &eventspb.OrganizationChanged{}); o.GetCountryCode() != "CO" {
		t.Errorf("moved organisation %v", o)
	}
	if p := payload(t, moved[1], &eventspb.PartnershipChanged{}); p.GetCountryCode() != "CO" || p.GetCluster() != typepb.Cluster_CLUSTER_LATIN_AMERICA {
		t.Errorf("after the party's move: %v", p)
	}
	if got, err := f.srv.GetPartnership(admin, &pb.GetPartnershipRequest{Id: f.partnership.Id}); err != nil || got.GetCountryCode() != "CO" || got.GetCluster() != typepb.Cluster_CLUSTER_LATIN_AMERICA {
		t.Errorf("GetPartnership after the party's move: %v, %v", got, err)
	}
	// A change that leaves the country alone restates nothing but the organisation.
	if _, err := f.srv.UpdateOrganization(admin, &pb.UpdateOrganizationRequest{Id: f.international.Id, Organization: &pb.Organization{DisplayName: "Lusaka"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}}}); err != nil {
		t.Fatal(err)
	}
	events.next("OrganizationChanged")
}

// TestConcurrentVisitsAreAllCounted: visits recorded at once for one partnership are serialised on it, so the
// last event of their year counts them all.
func TestConcurrentVisitsAreAllCounted(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	const n = 6
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			host, guest := f.swedish.Id, f.international.Id
			if i%2 == 1 {
				host, guest = guest, host
			}
			_, err := coop.CreateVisit(admin, &pb.CreateVisitRequest{PartnershipId: f.partnership.Id, Visit: &pb.Visit{StartDate: d(2025, i+1, 1),
				EndDate: d(2025, i+1, 2), HostOrganizationId: host, Travellers: []*pb.Travellers{{OrganizationId: guest, Count: 2}}, Purpose: "meeting"}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	events := stream(t, f.srv.pool, 0)
	last := payload(t, events[len(events)-1], &eventspb.ComplianceChanged{})
	if last.GetYear() != 2025 || last.GetVisits() != n || last.GetMeetings() != n || !last.GetCompliant() {
		t.Errorf("last compliance event %v, want %d visits", last, n)
	}
}
