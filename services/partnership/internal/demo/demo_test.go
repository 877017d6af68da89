package demo

import (
	"context"
	"slices"
	"testing"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
	"github.com/partnerskap/partnerskap/services/partnership/migrations"
)

// TestDemoDataIsInTheStream: a consumer that reads the stream from the start of a `make run` installation
// sees the demo organisations and partnerships, each with the cluster of its eligibility date; loading again
// adds nothing.
func TestDemoDataIsInTheStream(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, migrations.FS)
	if err := store.EnsureDefaults(ctx, pool, 2024, 2030); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := Load(ctx, pool); err != nil {
			t.Fatal(err)
		}
	}
	events, err := outbox.List(ctx, pool, "partnership", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	var partnerships []*eventspb.PartnershipChanged
	for _, e := range events {
		kinds = append(kinds, string(e.GetPayload().MessageName().Name()))
		if e.GetActor() != "demo-data" || e.GetRequestId() != "demo-data" {
			t.Errorf("envelope %v", e)
		}
		var p eventspb.PartnershipChanged
		if e.GetPayload().UnmarshalTo(&p) == nil {
			partnerships = append(partnerships, &p)
		}
	}
	want := []string{"OrganizationChanged", "OrganizationChanged", "PartnershipChanged", "OrganizationChanged", "OrganizationChanged", "PartnershipChanged"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	if p := partnerships[0]; p.GetCountryCode() != "ZM" || p.GetCluster() != typepb.Cluster_CLUSTER_SOUTHERN_AFRICA || p.GetState() != pb.PartnershipState_PARTNERSHIP_STATE_DRAFT {
		t.Errorf("Malmö with Lusaka: %v", p)
	}
	// Vietnam has left the programme; the partnership keeps the cluster of the day ICLD decided on it.
	if p := partnerships[1]; p.GetCountryCode() != "VN" || p.GetCluster() != typepb.Cluster_CLUSTER_ASIA {
		t.Errorf("Växjö with An Giang: %v", p)
	}
}
