package server

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
	"github.com/partnerskap/partnerskap/services/network/migrations"
)

// checkBackfill checks that the outbox holds the backfill's snapshot and nothing else: one event per
// network, in want's order, written by "backfill", equal to want.
func checkBackfill(t *testing.T, pool *pgxpool.Pool, want []*eventspb.NetworkChanged) {
	t.Helper()
	events, err := outbox.List(context.Background(), pool, "network", 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != len(want) {
		t.Fatalf("%d events, want one for each of %d networks", len(events), len(want))
	}
	for i, e := range events {
		var got eventspb.NetworkChanged
		if err := e.GetPayload().UnmarshalTo(&got); err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(&got, want[i]) {
			t.Errorf("event %d:\n got %v\nwant %v", i, &got, want[i])
		}
		if e.GetActor() != "backfill" || e.GetProducer() != "network" {
			t.Errorf("envelope %v", e)
		}
	}
}

func emptyOutbox(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `DELETE FROM outbox`); err != nil {
		t.Fatal(err)
	}
}

// TestBackfillWritesTheNetworksFromBeforeTheOutbox: of a database with networks but an empty outbox, the
// backfill writes each network once, as the last event its writes produced; running it again, or several
// times at once, adds nothing.
func TestBackfillWritesTheNetworksFromBeforeTheOutbox(t *testing.T) {
	ctx := context.Background()
	srv, pool := withPartnerships(t)
	admin := as(auth.RoleAdmin, "")
	var ids []string
	for _, name := range []string{"Equitable health, East Africa", "Climate, East Africa"} {
		n, err := srv.CreateNetwork(admin, &pb.CreateNetworkRequest{Network: &pb.Network{DisplayName: name,
			Theme: "equitable health", Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA, CohortStart: cohortStart()}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, n.GetId())
	}
	first, err := srv.UpdateNetwork(admin, &pb.UpdateNetworkRequest{Id: ids[0], Network: &pb.Network{Theme: "health"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"theme"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.OpenNetwork(admin, &pb.TransitionNetworkRequest{Id: first.GetId()}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{kisumu, nakuru} {
		if _, err := srv.AddMembership(admin, &pb.AddMembershipRequest{NetworkId: first.GetId(), Membership: &pb.Membership{PartnershipId: p}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.RemoveMembership(admin, &pb.RemoveMembershipRequest{NetworkId: first.GetId(), PartnershipId: kisumu, Reason: "the parties ended their cooperation"}); err != nil {
		t.Fatal(err)
	}
	// What the writes stated last of each network, in id order.
	last := map[string]*eventspb.NetworkChanged{}
	for _, e := range networkEvents(t, pool) {
		last[e.GetId()] = e
	}
	slices.Sort(ids)
	var want []*eventspb.NetworkChanged
	for _, id := range ids {
		want = append(want, last[id])
	}
	if m := last[first.GetId()]; m.GetTheme() != "health" || m.GetState() != pb.NetworkState_NETWORK_STATE_RECRUITING ||
		!slices.Equal(m.GetMemberPartnershipIds(), []string{nakuru}) {
		t.Fatalf("the writes ended on %v", m)
	}

	emptyOutbox(t, pool)
	if n, err := store.Backfill(ctx, pool); err != nil || n != len(want) {
		t.Fatalf("backfill wrote %d events (%v), want %d", n, err, len(want))
	}
	checkBackfill(t, pool, want)
	if n, err := store.Backfill(ctx, pool); err != nil || n != 0 {
		t.Fatalf("second backfill wrote %d events (%v)", n, err)
	}
	checkBackfill(t, pool, want)

	// Instances migrating at once write the snapshot once.
	emptyOutbox(t, pool)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { _, err := store.Backfill(ctx, pool); errs <- err })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkBackfill(t, pool, want)
}

// TestBackfillOfRowsWithoutEvents: networks and memberships that no write of this code made (inserted as the
// service before the outbox did) each get their state, members included, removed ones not.
func TestBackfillOfRowsWithoutEvents(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t)
	if _, err := srv.pool.Exec(ctx, `UPDATE network_memberships SET removed = '2026-01-01', removal_reason = 'left'
		WHERE network_id = $1 AND swedish_organization_id = $2`, n3, orgB); err != nil {
		t.Fatal(err)
	}
	if n := len(networkEvents(t, srv.pool)); n != 0 {
		t.Fatalf("the fixture has %d events", n)
	}
	if _, err := store.Backfill(ctx, srv.pool); err != nil {
		t.Fatal(err)
	}
	events := networkEvents(t, srv.pool)
	var got []string
	members := map[string]int{}
	for _, e := range events {
		got = append(got, e.GetId())
		members[e.GetId()] = len(e.GetMemberPartnershipIds())
	}
	if !slices.Equal(got, []string{n1, n2, n3, n4}) {
		t.Fatalf("networks %v, want n1 to n4", got)
	}
	if want := map[string]int{n1: 1, n2: 1, n3: 1, n4: 0}; !maps.Equal(members, want) {
		t.Fatalf("members %v, want %v", members, want)
	}
}

// TestBackfillWritesNothingWithoutNeed: an empty database gets no events, nor does one whose outbox has
// events, even when they do not cover every network.
func TestBackfillWritesNothingWithoutNeed(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, migrations.FS)
	if _, err := store.Backfill(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if n := len(networkEvents(t, pool)); n != 0 {
		t.Fatalf("an empty database got %d events", n)
	}

	srv, pool := withPartnerships(t)
	for _, name := range []string{"Health", "Climate"} {
		if _, err := srv.CreateNetwork(as(auth.RoleAdmin, ""), &pb.CreateNetworkRequest{Network: &pb.Network{DisplayName: name,
			Theme: "health", Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA, CohortStart: cohortStart()}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `DELETE FROM outbox WHERE seq > (SELECT min(seq) FROM outbox)`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Backfill(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if n := len(networkEvents(t, pool)); n != 1 {
		t.Fatalf("an outbox with events grew to %d", n)
	}
}
