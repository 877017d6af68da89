package server

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/services/partnership/internal/demo"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// snapshotKinds are the kinds of event in the order the backfill writes them.
var snapshotKinds = map[string]int{"OrganizationChanged": 0, "PartnershipChanged": 1, "ApplicationChanged": 2, "ComplianceChanged": 3}

// stated is what a stream says of each thing: the payload of its last event, by kind and id (and year, for
// compliance).
func stated(t *testing.T, events []*eventspb.Event) map[string]proto.Message {
	t.Helper()
	out := map[string]proto.Message{}
	for _, e := range events {
		m, err := e.GetPayload().UnmarshalNew()
		if err != nil {
			t.Fatal(err)
		}
		out[snapshotKey(t, m)] = m
	}
	return out
}

func snapshotKey(t *testing.T, m proto.Message) string {
	t.Helper()
	switch m := m.(type) {
	case *eventspb.OrganizationChanged:
		return "organization " + m.GetId()
	case *eventspb.PartnershipChanged:
		return "partnership " + m.GetId()
	case *eventspb.ApplicationChanged:
		return "application " + m.GetId()
	case *eventspb.ComplianceChanged:
		return fmt.Sprintf("compliance %s %d", m.GetPartnershipId(), m.GetYear())
	}
	t.Fatalf("unexpected event %T", m)
	return ""
}

// simulatePreOutbox empties the outbox, as in a database whose data was written before it existed.
func simulatePreOutbox(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `DELETE FROM outbox`); err != nil {
		t.Fatal(err)
	}
}

// checkBackfill checks that the outbox holds the backfill's snapshot and nothing else: one event per thing,
// written by "backfill", kind after kind, each equal to the last the normal writes produced (want).
func checkBackfill(t *testing.T, pool *pgxpool.Pool, want map[string]proto.Message) {
	t.Helper()
	events := stream(t, pool, 0)
	if len(events) != len(want) {
		t.Errorf("%d events, want one for each of %d things", len(events), len(want))
	}
	seen := map[string]bool{}
	last := 0
	for _, e := range events {
		if e.GetActor() != "backfill" || e.GetProducer() != "partnership" {
			t.Errorf("envelope %v", e)
		}
		kind := string(e.GetPayload().MessageName().Name())
		if snapshotKinds[kind] < last {
			t.Errorf("%s after a %d-th kind", kind, last)
		}
		last = snapshotKinds[kind]
		got, err := e.GetPayload().UnmarshalNew()
		if err != nil {
			t.Fatal(err)
		}
		key := snapshotKey(t, got)
		if seen[key] {
			t.Errorf("%s written twice", key)
		}
		seen[key] = true
		if w, ok := want[key]; !ok {
			t.Errorf("%s: no write stated it, backfill wrote %v", key, got)
		} else if !proto.Equal(got, w) {
			t.Errorf("%s:\n got %v\nwant %v", key, got, w)
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("%s missing", key)
		}
	}
}

// TestBackfillWritesTheStateFromBeforeTheOutbox: of a database with data but an empty outbox, the backfill
// writes every organisation, partnership and application and every year of compliance the writes stated,
// each as the last event the writes produced; running it again, or several times at once, adds nothing.
func TestBackfillWritesTheStateFromBeforeTheOutbox(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	pool := f.srv.pool
	coop := NewCooperation(pool)
	if _, err := f.srv.UpdateOrganization(admin, &pb.UpdateOrganizationRequest{Id: f.swedish.Id, Organization: &pb.Organization{DisplayName: "Malmö",
		Etag: f.swedish.Etag}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: &pb.Organization{
		Kind: pb.OrganizationKind_ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT, DisplayName: "Kitwe City Council",
		Details: &pb.Organization_International{International: &pb.InternationalDetails{CountryCode: "ZM", GovernmentKind: "city council"}}}}); err != nil {
		t.Fatal(err)
	}
	// The fixture's partnership: a balanced steering group, approved, an application, two visits in 2025.
	f.balance(t)
	for _, step := range []struct {
		call func(context.Context, *pb.TransitionPartnershipRequest) (*pb.Partnership, error)
		ctx  context.Context
	}{{f.srv.SubmitPartnership, as(auth.RoleMember, f.swedish.Id)}, {f.srv.ApprovePartnership, as(auth.RoleCoordinator, "")}} {
		if _, err := step.call(step.ctx, &pb.TransitionPartnershipRequest{Id: f.partnership.Id}); err != nil {
			t.Fatal(err)
		}
	}
	app := f.inception(t, coop)
	f.withTeam(t, coop, app)
	if _, err := coop.SubmitApplication(admin, &pb.TransitionApplicationRequest{PartnershipId: f.partnership.Id, Id: app.Id}); err != nil {
		t.Fatal(err)
	}
	visit := func(partnershipID, host, guest string, year, month int) {
		t.Helper()
		if _, err := coop.CreateVisit(admin, &pb.CreateVisitRequest{PartnershipId: partnershipID, Visit: &pb.Visit{StartDate: d(year, month, 1),
			EndDate: d(year, month, 4), HostOrganizationId: host, Travellers: []*pb.Travellers{{OrganizationId: guest, Count: 3}}, Purpose: "exchange"}}); err != nil {
			t.Fatal(err)
		}
	}
	visit(f.partnership.Id, f.international.Id, f.swedish.Id, 2025, 5)
	visit(f.partnership.Id, f.swedish.Id, f.international.Id, 2025, 10)
	// A second partnership with a visit but no steering group, and a third with neither.
	for _, title := range []string{"Water", "Waste"} {
		p, err := f.srv.CreatePartnership(as(auth.RoleMember, f.swedish.Id), &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{
			SwedishOrganizationId: f.swedish.Id, InternationalOrganizationId: f.international.Id, Title: title,
			CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_TRANSPARENCY}, SdgTargets: []string{"6.b"}}})
		if err != nil {
			t.Fatal(err)
		}
		if title == "Water" {
			visit(p.Id, f.international.Id, f.swedish.Id, 2024, 3)
		}
	}
	want := stated(t, stream(t, pool, 0))
	if n := len(want); n != 3+3+1+3 {
		t.Fatalf("the writes stated %d things, want 3 organisations, 3 partnerships, 1 application and 3 years of compliance: %v", n, want)
	}

	simulatePreOutbox(t, pool)
	if n, err := store.Backfill(ctx, pool); err != nil || n != len(want) {
		t.Fatalf("backfill wrote %d events (%v), want %d", n, err, len(want))
	}
	checkBackfill(t, pool, want)
	if n, err := store.Backfill(ctx, pool); err != nil || n != 0 {
		t.Fatalf("second backfill wrote %d events (%v)", n, err)
	}
	checkBackfill(t, pool, want)

	// Instances migrating at once write the snapshot once.
	simulatePreOutbox(t, pool)
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

	// Later writes follow the snapshot in the stream.
	if _, err := f.srv.UpdatePartnership(admin, &pb.UpdatePartnershipRequest{Id: f.partnership.Id, Partnership: &pb.Partnership{Challenge: "Youth councils"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"challenge"}}}); err != nil {
		t.Fatal(err)
	}
	events := stream(t, pool, 0)
	if len(events) != len(want)+1 || events[len(events)-1].GetActor() != "test-admin" {
		t.Fatalf("after a write: %d events, the last %v", len(events), events[len(events)-1])
	}
}

// TestBackfillOfDemoData: `make run` on a database that got its demo data before the outbox existed.
func TestBackfillOfDemoData(t *testing.T) {
	ctx := context.Background()
	pool := withDefaults(t)
	if err := demo.Load(ctx, pool); err != nil {
		t.Fatal(err)
	}
	want := stated(t, stream(t, pool, 0))
	simulatePreOutbox(t, pool)
	if _, err := store.Backfill(ctx, pool); err != nil {
		t.Fatal(err)
	}
	checkBackfill(t, pool, want)
}

// TestBackfillWritesNothingWithoutNeed: an empty database (with only the programme's defaults) gets no
// events, nor does one whose outbox has events, even when they do not cover everything.
func TestBackfillWritesNothingWithoutNeed(t *testing.T) {
	ctx := context.Background()
	pool := withDefaults(t)
	if _, err := store.Backfill(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if n := outboxSize(t, pool); n != 0 {
		t.Fatalf("an empty database got %d events", n)
	}

	f := newFixture(t)
	if _, err := f.srv.pool.Exec(ctx, `DELETE FROM outbox WHERE seq > (SELECT min(seq) FROM outbox)`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Backfill(ctx, f.srv.pool); err != nil {
		t.Fatal(err)
	}
	if n := outboxSize(t, f.srv.pool); n != 1 {
		t.Fatalf("an outbox with events grew to %d", n)
	}
}
