package server

import (
	"context"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/servertest"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/internal/partnerships"
	"github.com/partnerskap/partnerskap/services/network/migrations"
)

// Two partnerships in Kenya whose inceptions start with the cohort of 2027-01-04, as the stand-in partnership
// service below reports them.
const (
	kisumu  = "0190c5a2-0000-7000-8000-0000000000a1"
	nakuru  = "0190c5a2-0000-7000-8000-0000000000a2"
	kenyan  = "0190c5a2-0000-7000-8000-0000000000b1"
	swedish = "0190c5a2-0000-7000-8000-0000000000b2"
)

func cohortStart() *date.Date { return &date.Date{Year: 2027, Month: 1, Day: 4} }

// standIn answers the reads AddMembership makes of the partnership service. It serves no country list: a
// partnership's cluster is the partnership service's answer, never worked out here.
type standIn struct {
	partnershippb.UnimplementedPartnershipServiceServer
	partnershippb.UnimplementedCooperationServiceServer
}

func (standIn) GetPartnership(_ context.Context, req *partnershippb.GetPartnershipRequest) (*partnershippb.Partnership, error) {
	if req.GetId() != kisumu && req.GetId() != nakuru {
		return nil, status.Error(codes.NotFound, "no such partnership")
	}
	return &partnershippb.Partnership{Id: req.GetId(), Title: "Partnership " + req.GetId()[len(req.GetId())-2:], State: partnershippb.PartnershipState_PARTNERSHIP_STATE_INCEPTION,
		SwedishOrganizationId: swedish, InternationalOrganizationId: kenyan, CountryCode: "KE", Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA}, nil
}

func (standIn) GetOrganization(_ context.Context, req *partnershippb.GetOrganizationRequest) (*partnershippb.Organization, error) {
	o := &partnershippb.Organization{Id: req.GetId(), DisplayName: "Organisation " + req.GetId()}
	if req.GetId() == kenyan {
		o.Details = &partnershippb.Organization_International{International: &partnershippb.InternationalDetails{CountryCode: "KE"}}
	}
	return o, nil
}

// ListApplications answers in two pages, the inception on the second, as a partnership with more
// applications than a page holds would: the client must read them all.
func (standIn) ListApplications(_ context.Context, req *partnershippb.ListApplicationsRequest) (*partnershippb.ListApplicationsResponse, error) {
	if req.GetPageToken() == "" {
		return &partnershippb.ListApplicationsResponse{NextPageToken: "second", Applications: []*partnershippb.Application{{PartnershipId: req.GetPartnershipId(),
			Kind: partnershippb.ApplicationKind_APPLICATION_KIND_PROJECT, State: partnershippb.ApplicationState_APPLICATION_STATE_DRAFT}}}, nil
	}
	return &partnershippb.ListApplicationsResponse{Applications: []*partnershippb.Application{{PartnershipId: req.GetPartnershipId(),
		Kind: partnershippb.ApplicationKind_APPLICATION_KIND_INCEPTION, State: partnershippb.ApplicationState_APPLICATION_STATE_APPROVED, StartDate: cohortStart()}}}, nil
}

// withPartnerships is a server on an empty database that reads partnerships from the stand-in.
func withPartnerships(t *testing.T) (*Server, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.NewPool(t, migrations.FS)
	return New(pool, standInClient(t), domain.DefaultMembershipRule()), pool
}

// standInClient is a partnership client of the stand-in, served on a free port.
func standInClient(t *testing.T) *partnerships.Client {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer()
	partnershippb.RegisterPartnershipServiceServer(g, standIn{})
	partnershippb.RegisterCooperationServiceServer(g, standIn{})
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	client, err := partnerships.New(upstream.PartnershipSettings{Addr: lis.Addr().String(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

func networkEvents(t *testing.T, pool *pgxpool.Pool) []*eventspb.NetworkChanged {
	t.Helper()
	events, err := outbox.List(context.Background(), pool, "network", 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*eventspb.NetworkChanged, len(events))
	for i, e := range events {
		out[i] = &eventspb.NetworkChanged{}
		if err := e.GetPayload().UnmarshalTo(out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestEveryNetworkChangeEmitsItsState follows a network from its creation through its members' joining and
// leaving to its start: each change writes the network's whole state with its members now; activities and
// refused changes write nothing; the stream serves the events in order.
func TestEveryNetworkChangeEmitsItsState(t *testing.T) {
	srv, pool := withPartnerships(t)
	admin := as(auth.RoleAdmin, "")
	n, err := srv.CreateNetwork(admin, &pb.CreateNetworkRequest{Network: &pb.Network{DisplayName: "Equitable health, East Africa",
		Theme: "equitable health", Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA, CohortStart: cohortStart()}})
	if err != nil {
		t.Fatal(err)
	}
	// The word beside the enum, for a reporting service of the release before during a rolling upgrade.
	//lint:ignore SA1019 the producer still writes it, and this checks that it does
	state := &eventspb.NetworkChanged{Id: n.GetId(), DisplayName: "Equitable health, East Africa", Theme: "equitable health", LegacyCluster: "east_africa", Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA,
		State: pb.NetworkState_NETWORK_STATE_PLANNED, CohortStart: cohortStart(), EndDate: &date.Date{Year: 2031, Month: 1, Day: 3}}
	var want []*eventspb.NetworkChanged
	changed := func(step string, err error, update func()) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		update()
		want = append(want, proto.Clone(state).(*eventspb.NetworkChanged))
		got := networkEvents(t, pool)
		if len(got) != len(want) || !proto.Equal(got[len(got)-1], want[len(want)-1]) {
			t.Fatalf("after %s: events %v, want %v", step, got, want)
		}
	}
	changed("create", nil, func() {})
	_, err = srv.UpdateNetwork(admin, &pb.UpdateNetworkRequest{Id: n.GetId(), Network: &pb.Network{Theme: "health", Etag: n.GetEtag()},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"theme"}}})
	changed("update", err, func() { state.Theme = "health" })
	_, err = srv.OpenNetwork(admin, &pb.TransitionNetworkRequest{Id: n.GetId()})
	changed("open", err, func() { state.State = pb.NetworkState_NETWORK_STATE_RECRUITING })
	for _, p := range []string{kisumu, nakuru} {
		_, err = srv.AddMembership(admin, &pb.AddMembershipRequest{NetworkId: n.GetId(), Membership: &pb.Membership{PartnershipId: p}})
		changed("add "+p, err, func() { state.MemberPartnershipIds = append(state.MemberPartnershipIds, p) })
	}
	_, err = srv.RemoveMembership(admin, &pb.RemoveMembershipRequest{NetworkId: n.GetId(), PartnershipId: kisumu, Reason: "the parties ended their cooperation"})
	changed("remove", err, func() { state.MemberPartnershipIds = []string{nakuru} })
	_, err = srv.StartNetwork(admin, &pb.TransitionNetworkRequest{Id: n.GetId()})
	changed("start", err, func() { state.State = pb.NetworkState_NETWORK_STATE_RUNNING })

	if _, err := srv.CreateActivity(admin, &pb.CreateActivityRequest{NetworkId: n.GetId(), Activity: &pb.Activity{Kind: pb.ActivityKind_ACTIVITY_KIND_JOINT_TRAINING,
		Title: "Training", StartDate: cohortStart(), EndDate: cohortStart(), Participations: []*pb.Participation{{PartnershipId: nakuru, Participants: 3}}}}); err != nil {
		t.Fatal(err)
	}
	if got := networkEvents(t, pool); len(got) != len(want) {
		t.Fatalf("an activity wrote %d events", len(got)-len(want))
	}
	for name, call := range map[string]func() error{
		"invalid network": func() error {
			return ignoreResult(srv.CreateNetwork(admin, &pb.CreateNetworkRequest{Network: &pb.Network{DisplayName: "No cluster", Theme: "health", CohortStart: cohortStart()}}))
		},
		"stale etag": func() error {
			return ignoreResult(srv.UpdateNetwork(admin, &pb.UpdateNetworkRequest{Id: n.GetId(), Network: &pb.Network{Theme: "lost", Etag: n.GetEtag()},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"theme"}}}))
		},
		"illegal step": func() error { return ignoreResult(srv.OpenNetwork(admin, &pb.TransitionNetworkRequest{Id: n.GetId()})) },
		"removed member rejoins": func() error {
			return ignoreResult(srv.AddMembership(admin, &pb.AddMembershipRequest{NetworkId: n.GetId(), Membership: &pb.Membership{PartnershipId: kisumu}}))
		},
		"removal without a reason": func() error {
			return ignoreResult(srv.RemoveMembership(admin, &pb.RemoveMembershipRequest{NetworkId: n.GetId(), PartnershipId: nakuru}))
		},
	} {
		if err := call(); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if got := networkEvents(t, pool); len(got) != len(want) {
			t.Fatalf("%s: %d events, want %d", name, len(got), len(want))
		}
	}

	resp, err := outbox.NewServer(pool, "network").ListEvents(admin, &eventspb.ListEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetEvents()) != len(want) || resp.GetHeadSeq() != resp.GetEvents()[len(want)-1].GetSeq() {
		t.Fatalf("served %d events up to %d, want %d", len(resp.GetEvents()), resp.GetHeadSeq(), len(want))
	}
	for i, e := range resp.GetEvents() {
		var got eventspb.NetworkChanged
		if err := e.GetPayload().UnmarshalTo(&got); err != nil || !proto.Equal(&got, want[i]) || e.GetProducer() != "network" || e.GetActor() != "test-admin" {
			t.Fatalf("event %d: %v (%v), want %v", i, e, err, want[i])
		}
		if i > 0 && e.GetSeq() <= resp.GetEvents()[i-1].GetSeq() {
			t.Fatalf("event %d out of order", i)
		}
	}
	if !slices.Equal(want[len(want)-1].GetMemberPartnershipIds(), []string{nakuru}) {
		t.Fatalf("members at the end: %v", want[len(want)-1].GetMemberPartnershipIds())
	}
}

func ignoreResult[T any](_ T, err error) error { return err }

// Memberships come a page at a time in the order partnerships joined, activities by start date and then by
// when they were recorded.
func TestMembershipsAndActivitiesArePaged(t *testing.T) {
	srv, _ := withPartnerships(t)
	admin := as(auth.RoleAdmin, "")
	n, err := srv.CreateNetwork(admin, &pb.CreateNetworkRequest{Network: &pb.Network{DisplayName: "Equitable health, East Africa",
		Theme: "equitable health", Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA, CohortStart: cohortStart()}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.OpenNetwork(admin, &pb.TransitionNetworkRequest{Id: n.GetId()}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{nakuru, kisumu} {
		if _, err := srv.AddMembership(admin, &pb.AddMembershipRequest{NetworkId: n.GetId(), Membership: &pb.Membership{PartnershipId: p}}); err != nil {
			t.Fatal(err)
		}
	}
	members := servertest.ReadPages(t, 1, func(token string) ([]string, string, error) {
		resp, err := srv.ListMemberships(admin, &pb.ListMembershipsRequest{NetworkId: n.GetId(), PageSize: 1, PageToken: token})
		var ids []string
		for _, m := range resp.GetMemberships() {
			ids = append(ids, m.GetPartnershipId())
		}
		return ids, resp.GetNextPageToken(), err
	})
	if !slices.Equal(members, []string{nakuru, kisumu}) {
		t.Errorf("memberships a page at a time: %v, want in the order they joined", members)
	}
	for _, title := range []string{"First", "Second", "Third"} {
		if _, err := srv.CreateActivity(admin, &pb.CreateActivityRequest{NetworkId: n.GetId(), Activity: &pb.Activity{Kind: pb.ActivityKind_ACTIVITY_KIND_JOINT_TRAINING,
			Title: title, StartDate: cohortStart(), EndDate: cohortStart(), Participations: []*pb.Participation{{PartnershipId: nakuru, Participants: 3}}}}); err != nil {
			t.Fatal(err)
		}
	}
	first, err := srv.ListActivities(admin, &pb.ListActivitiesRequest{NetworkId: n.GetId(), PageSize: 2})
	if err != nil || len(first.GetActivities()) != 2 || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	rest, err := srv.ListActivities(admin, &pb.ListActivitiesRequest{NetworkId: n.GetId(), PageSize: 2, PageToken: first.GetNextPageToken()})
	if err != nil || len(rest.GetActivities()) != 1 || rest.GetNextPageToken() != "" || rest.GetActivities()[0].GetTitle() != "Third" {
		t.Fatalf("last page: %v %v", rest, err)
	}
}
