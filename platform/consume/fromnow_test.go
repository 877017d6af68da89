package consume

import (
	"context"
	"math"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
)

// consumerSchema is a consumer's tables (as its service's migrations define them) and one it applies to.
var consumerSchema = fstest.MapFS{"00001_consumer.sql": {Data: []byte(`-- +goose Up
CREATE TABLE consumer_cursors (producer text PRIMARY KEY, seq bigint NOT NULL, event_time timestamptz);
CREATE TABLE parked_events (producer text NOT NULL, seq bigint NOT NULL, id text NOT NULL, type text NOT NULL,
    schema_version int NOT NULL, reason text NOT NULL, payload bytea NOT NULL, event_time timestamptz,
    parked_time timestamptz NOT NULL, PRIMARY KEY (producer, seq));
CREATE TABLE applied (seq bigint PRIMARY KEY);
-- +goose Down
DROP TABLE applied;
DROP TABLE parked_events;
DROP TABLE consumer_cursors;
`)}}

// A consumer FromNow passes over what its source held before it first read it, and applies what comes after.
func TestFromNowStartsAtTheHead(t *testing.T) {
	ctx := context.Background()
	producer := pgtest.NewPool(t, pgtest.PlatformOnly)
	write := func(n int) {
		t.Helper()
		if err := postgres.InTx(ctx, producer, pgx.TxOptions{}, func(tx pgx.Tx) error {
			for range n {
				if err := outbox.Append(ctx, tx, record.Actor{Subject: "s"}, &eventspb.InKindRecorded{Id: "x", Hours: 1}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	write(3)
	c := Consumer{Pool: pgtest.NewPool(t, consumerSchema), Metrics: NewMetrics("test"), PageSize: 10, FromNow: true,
		Malformed: func(error) bool { return false },
		Apply: func(ctx context.Context, tx pgx.Tx, e *eventspb.Event) error {
			_, err := tx.Exec(ctx, `INSERT INTO applied VALUES ($1)`, e.GetSeq())
			return err
		},
		Sources: []Source{{Name: "finance", List: func(ctx context.Context, after int64, limit int) (*eventspb.ListEventsResponse, error) {
			events, err := outbox.ListWithin(ctx, producer, "finance", after, limit, math.MaxInt32)
			if err != nil {
				return nil, err
			}
			var head int64
			if err := producer.QueryRow(ctx, `SELECT COALESCE(max(seq), 0) FROM outbox`).Scan(&head); err != nil {
				return nil, err
			}
			return &eventspb.ListEventsResponse{Events: events, HeadSeq: head}, nil
		}}},
	}
	applied := func() int {
		var n int
		if err := c.Pool.QueryRow(ctx, `SELECT count(*) FROM applied`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for range 2 { // the first run only finds the head
		if err := c.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := applied(); n != 0 {
		t.Fatalf("%d events of before the consumer's start applied", n)
	}
	write(2)
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if n := applied(); n != 2 {
		t.Errorf("%d events applied of the 2 written since", n)
	}
}
