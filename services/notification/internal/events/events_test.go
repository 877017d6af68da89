package events

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/services/notification/internal/store"
	"github.com/partnerskap/partnerskap/services/notification/migrations"
)

// A claim decided before its requests went out cancels them; others' stay.
func TestADecidedClaimCancelsItsRequests(t *testing.T) {
	pool := pgtest.NewPool(t, migrations.FS)
	ctx := context.Background()
	for _, key := range []string{"claim-submitted/c1/1/p1", "claim-submitted/c1/1/p2", "claim-submitted/c2/1/p1"} {
		if _, err := store.Enqueue(ctx, pool, store.Message{DedupeKey: key, PersonID: "0190c5a2-0000-7000-8000-000000000001", Kind: "request",
			Language: "en", To: "karin@icld.example", Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	payload, err := anypb.New(&eventspb.ClaimChanged{Id: "c1", State: financepb.ClaimState_CLAIM_STATE_APPROVED})
	if err != nil {
		t.Fatal(err)
	}
	e := &eventspb.Event{SchemaVersion: outbox.SchemaVersion, Payload: payload, Time: timestamppb.Now()}
	if err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error { return Handler{}.Apply(ctx, tx, e) }); err != nil {
		t.Fatal(err)
	}
	ms, err := store.ListMessages(ctx, pool, "", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, m := range ms {
		states[m.DedupeKey] = m.State
	}
	if states["claim-submitted/c1/1/p1"] != "failed" || states["claim-submitted/c1/1/p2"] != "failed" || states["claim-submitted/c2/1/p1"] != "pending" {
		t.Errorf("states after c1 was decided: %v", states)
	}
}
