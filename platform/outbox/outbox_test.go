package outbox

import (
	"context"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

// schema is the outbox table as every producer's migrations create it.
var schema = fstest.MapFS{"00001_outbox.sql": {Data: []byte(`-- +goose Up
CREATE TABLE outbox (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             uuid NOT NULL UNIQUE,
    type           text NOT NULL,
    schema_version int NOT NULL,
    time           timestamptz NOT NULL,
    actor          text NOT NULL,
    request_id     text NOT NULL,
    payload        bytea NOT NULL
);
CREATE TABLE things (n int PRIMARY KEY);
-- +goose Down
DROP TABLE things;
DROP TABLE outbox;
`)}}

func TestEventsCommitWithTheirChangeAndServeInCommitOrder(t *testing.T) {
	pool := pgtest.NewPool(t, schema)
	ctx := auth.WithPrincipal(context.Background(), auth.Principal{Subject: "anna", Role: auth.RoleAdmin})
	write := func(n int, fail bool) error {
		return postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO things VALUES ($1)`, n); err != nil {
				return err
			}
			if err := Append(ctx, tx, &eventspb.InKindRecorded{Id: "x", Hours: int32(n)}); err != nil {
				return err
			}
			if fail {
				return context.Canceled // the change and its event roll back together
			}
			return nil
		})
	}
	if err := write(1, true); err == nil {
		t.Fatal("the failing write committed")
	}
	var wg sync.WaitGroup
	for n := 2; n < 42; n++ {
		wg.Add(1)
		go func() { defer wg.Done(); _ = write(n, false) }()
	}
	wg.Wait()

	srv := NewServer(pool, "finance")
	var got []*eventspb.Event
	after := int64(0)
	for {
		resp, err := srv.ListEvents(ctx, &eventspb.ListEventsRequest{AfterSeq: after, PageSize: 7})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.GetEvents()) == 0 {
			if resp.GetHeadSeq() != after {
				t.Errorf("head %d, last served %d", resp.GetHeadSeq(), after)
			}
			break
		}
		got = append(got, resp.GetEvents()...)
		after = resp.GetEvents()[len(resp.GetEvents())-1].GetSeq()
	}
	if len(got) != 40 {
		t.Fatalf("%d events for 40 committed changes", len(got))
	}
	seen := map[int32]bool{}
	for i, e := range got {
		if i > 0 && e.GetSeq() <= got[i-1].GetSeq() {
			t.Errorf("event %d out of order", i)
		}
		var p eventspb.InKindRecorded
		if err := e.GetPayload().UnmarshalTo(&p); err != nil {
			t.Fatal(err)
		}
		if p.GetHours() == 1 {
			t.Error("the rolled-back change's event was served")
		}
		seen[p.GetHours()] = true
		if e.GetProducer() != "finance" || e.GetActor() != "anna" || e.GetSchemaVersion() != SchemaVersion || e.GetId() == "" {
			t.Errorf("event envelope = %v", e)
		}
	}
	if len(seen) != 40 {
		t.Errorf("%d distinct changes in 40 events", len(seen))
	}
}

func TestUndecodablePayloadIsServedRaw(t *testing.T) {
	pool := pgtest.NewPool(t, schema)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO outbox (id, type, schema_version, time, actor, request_id, payload)
		VALUES (gen_random_uuid(), 'partnerskap.events.v1.Mystery', 9, now(), 'x', 'r', decode('ffff', 'hex'))`); err != nil {
		t.Fatal(err)
	}
	events, err := List(ctx, pool, "network", 0, 10)
	if err != nil || len(events) != 1 {
		t.Fatalf("List = %v, %v", events, err)
	}
	if e := events[0]; e.GetSchemaVersion() != 9 || e.GetPayload().GetTypeUrl() != "type.googleapis.com/partnerskap.events.v1.Mystery" {
		t.Errorf("raw event = %v", e)
	}
}
