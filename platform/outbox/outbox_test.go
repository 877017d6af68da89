package outbox

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
)

// schema is the platform's tables, the outbox among them, and a table of things the tests change.
var schema = fstest.MapFS{"00001_things.sql": {Data: []byte(`-- +goose Up
CREATE TABLE things (n int PRIMARY KEY);
-- +goose Down
DROP TABLE things;
`)}}

func TestEventsCommitWithTheirChangeAndServeInCommitOrder(t *testing.T) {
	pool := pgtest.NewPool(t, schema)
	ctx := auth.WithPrincipal(context.Background(), auth.Principal{Subject: "anna", Role: auth.RoleAdmin})
	write := func(n int, fail bool) error {
		return postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			event := &eventspb.InKindRecorded{Id: "x", Hours: int32(n)}
			if n%2 == 0 { // the change and its event in one round trip (Queue), serialised like Append
				batch := &pgx.Batch{}
				batch.Queue(`INSERT INTO things VALUES ($1)`, n)
				if err := Queue(batch, testActor, event); err != nil {
					return err
				}
				if err := tx.SendBatch(ctx, batch).Close(); err != nil {
					return err
				}
			} else {
				if _, err := tx.Exec(ctx, `INSERT INTO things VALUES ($1)`, n); err != nil {
					return err
				}
				if err := Append(ctx, tx, testActor, event); err != nil {
					return err
				}
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

// bigClaim is a claim event of 500 lines, as large as a member's valid claim can make it (about 50 KB).
func bigClaim(n int) *eventspb.ClaimChanged {
	c := &eventspb.ClaimChanged{Id: fmt.Sprintf("claim-%d", n), BudgetId: "b", PartnershipId: "p"}
	for i := range 500 {
		c.Lines = append(c.Lines, &eventspb.ClaimLineState{BudgetLineId: fmt.Sprintf("%064d", i), Year: 2026,
			Sek: &typepb.Money{CurrencyCode: "SEK", AmountMinor: 1 << 40}, Approved: &typepb.Money{CurrencyCode: "SEK", AmountMinor: 1 << 40}})
	}
	return c
}

// TestPagesAreBoundedByBytes fills the outbox with claims that add up to several pages' worth of bytes
// within one page's count, and reads them back: every page stays within its byte budget, none is empty, and
// together they are the whole stream in order.
func TestPagesAreBoundedByBytes(t *testing.T) {
	pool := pgtest.NewPool(t, schema)
	ctx := auth.WithPrincipal(context.Background(), auth.Principal{Subject: "anna", Role: auth.RoleMember})
	const claims = 60
	if err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		for n := range claims {
			if err := Append(ctx, tx, testActor, bigClaim(n)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if size := servedSize(&eventspb.Event{Payload: mustAny(t, bigClaim(0))}); claims*size < 2*PageBytes {
		t.Fatalf("the fixture is too small to need pages: %d events of %d bytes", claims, size)
	}

	for _, budget := range []int{PageBytes, 200 << 10, 1} {
		var seen []*eventspb.Event
		pages, after := 0, int64(0)
		for {
			events, err := ListWithin(ctx, pool, "finance", after, 500, budget)
			if err != nil {
				t.Fatal(err)
			}
			if len(events) == 0 {
				break
			}
			pages++
			resp := &eventspb.ListEventsResponse{Events: events, HeadSeq: math.MaxInt64}
			if size := proto.Size(resp); len(events) > 1 && size > budget+11 { // head_seq: 11 bytes at most
				t.Errorf("budget %d: a page of %d events is %d bytes", budget, len(events), size)
			}
			seen = append(seen, events...)
			after = events[len(events)-1].GetSeq()
		}
		if len(seen) != claims {
			t.Fatalf("budget %d: %d events read of %d", budget, len(seen), claims)
		}
		for i, e := range seen {
			var c eventspb.ClaimChanged
			if err := e.GetPayload().UnmarshalTo(&c); err != nil || c.GetId() != fmt.Sprintf("claim-%d", i) {
				t.Fatalf("budget %d: event %d is %v (%v)", budget, i, c.GetId(), err)
			}
		}
		if budget == 1 && pages != claims {
			t.Errorf("a budget smaller than any event gave %d pages for %d events; want one event a page", pages, claims)
		}
		if budget == PageBytes && pages < 2 {
			t.Errorf("%d events over %d bytes came in one page", claims, PageBytes)
		}
	}

	// The server serves the same pages, whatever count is asked for.
	resp, err := NewServer(pool, "finance").ListEvents(ctx, &eventspb.ListEventsRequest{PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(resp.GetEvents()); n == 0 || n == claims || proto.Size(resp) > PageBytes+11 {
		t.Errorf("ListEvents served %d events in %d bytes", n, proto.Size(resp))
	}
}

func mustAny(t *testing.T, m proto.Message) *anypb.Any {
	t.Helper()
	a, err := anypb.New(m)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAppendRefusesAnEventOverMaxEventBytes: a network listing more members than one event may carry fails
// its change, and leaves the stream as it was, rather than writing an event no consumer could read.
func TestAppendRefusesAnEventOverMaxEventBytes(t *testing.T) {
	pool := pgtest.NewPool(t, schema)
	ctx := auth.WithPrincipal(context.Background(), auth.Principal{Subject: "anna", Role: auth.RoleAdmin})
	network := &eventspb.NetworkChanged{Id: "n"}
	for len(network.MemberPartnershipIds)*38 < MaxEventBytes { // a UUID with its tag and length
		network.MemberPartnershipIds = append(network.MemberPartnershipIds, record.NewID())
	}
	err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO things VALUES (1)`); err != nil {
			return err
		}
		return Append(ctx, tx, testActor, network)
	})
	if err == nil || !strings.Contains(err.Error(), "partnerskap.events.v1.NetworkChanged") {
		t.Fatalf("Append of a %d-byte event = %v", proto.Size(network), err)
	}
	if err := Queue(&pgx.Batch{}, testActor, network); err == nil || !strings.Contains(err.Error(), "NetworkChanged") {
		t.Fatalf("Queue of a %d-byte event = %v", proto.Size(network), err)
	}
	var things, events int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM things), (SELECT count(*) FROM outbox)`).Scan(&things, &events); err != nil {
		t.Fatal(err)
	}
	if things != 0 || events != 0 {
		t.Errorf("the refused change left %d rows and %d events", things, events)
	}

	// Just under the bound is written and served.
	network.MemberPartnershipIds = network.MemberPartnershipIds[:len(network.MemberPartnershipIds)-200]
	if err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error { return Append(ctx, tx, testActor, network) }); err != nil {
		t.Fatal(err)
	}
	served, err := List(ctx, pool, "network", 0, 10)
	if err != nil || len(served) != 1 || servedSize(served[0]) > MaxEventBytes {
		t.Fatalf("List = %d events, %v", len(served), err)
	}
}

// TestEnvelopeBytesBoundsTheEnvelope checks envelopeBytes against the largest envelope: every field at its
// widest encoding, a long subject and the longest request id the services accept.
func TestEnvelopeBytesBoundsTheEnvelope(t *testing.T) {
	actor := strings.Repeat("s", 16<<10)
	requestID := strings.Repeat("r", 128)
	for _, n := range []int{0, 1, 127, 128, 16383, 16384, 1 << 20, 3 << 20} {
		payload := &anypb.Any{TypeUrl: "type.googleapis.com/partnerskap.events.v1.ClaimChanged", Value: make([]byte, n)}
		data, err := proto.Marshal(payload)
		if err != nil {
			t.Fatal(err)
		}
		e := &eventspb.Event{Seq: math.MaxInt64, Id: record.NewID(), Producer: strings.Repeat("p", 99), SchemaVersion: -1,
			Time: &timestamppb.Timestamp{Seconds: math.MinInt64, Nanos: -1}, Actor: actor, RequestId: requestID, Payload: payload}
		if got, bound := servedSize(e), len(data)+len(actor)+len(requestID)+envelopeBytes; got > bound {
			t.Errorf("payload of %d bytes: served %d, bound %d", n, got, bound)
		}
	}
}

// testActor makes the events of these tests.
var testActor = record.Actor{Subject: "anna", Role: "admin", RequestID: "req-1"}

// TestAnEventIsServedOnlyWhenEveryEarlierSeqIsFinal: appends take their seq without a lock, so a later seq can
// commit first; the server must hold it back until the earlier one's transaction has ended, or a consumer
// would move its cursor past an event that commits later.
func TestAnEventIsServedOnlyWhenEveryEarlierSeqIsFinal(t *testing.T) {
	pool := pgtest.NewPool(t, schema)
	ctx := context.Background()
	var cache int64
	if err := pool.QueryRow(ctx, `SELECT cache_size FROM pg_sequences
		WHERE format('%I.%I', schemaname, sequencename)::regclass = pg_get_serial_sequence('outbox', 'seq')::regclass`).Scan(&cache); err != nil || cache != 1 {
		t.Fatalf("the seq sequence caches %d values (%v); the horizon needs each seq handed out when taken", cache, err)
	}
	srv := NewServer(pool, "finance")
	served := func() []int32 {
		t.Helper()
		resp, err := srv.ListEvents(ctx, &eventspb.ListEventsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var hours []int32
		for _, e := range resp.GetEvents() {
			var p eventspb.InKindRecorded
			if err := e.GetPayload().UnmarshalTo(&p); err != nil {
				t.Fatal(err)
			}
			hours = append(hours, p.GetHours())
		}
		if n := len(resp.GetEvents()); n > 0 && resp.GetHeadSeq() != resp.GetEvents()[n-1].GetSeq() {
			t.Errorf("head %d after serving up to %d", resp.GetHeadSeq(), resp.GetEvents()[n-1].GetSeq())
		}
		return hours
	}
	open := func(n int32) pgx.Tx {
		t.Helper()
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = tx.Rollback(ctx) }) // a failing test must not leave the database in use
		if err := Append(ctx, tx, testActor, &eventspb.InKindRecorded{Id: "x", Hours: n}); err != nil {
			t.Fatal(err)
		}
		return tx
	}

	early, rolledBack, late := open(1), open(2), open(3)
	if err := late.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got := served(); len(got) != 0 {
		t.Fatalf("served %v while seq 1 and 2 were open", got)
	}
	if err := early.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got := served(); len(got) != 0 {
		t.Fatalf("served %v while seq 2 was open", got)
	}
	if err := rolledBack.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if got := served(); fmt.Sprint(got) != "[1 3]" {
		t.Fatalf("served %v once every append had ended, want [1 3]", got)
	}
}

// BenchmarkAppend measures changes with their events committed by 16 concurrent writers: side by side, as
// Append now takes its seq, and serialised, as it did while appends took a lock held until commit (emulated
// here by taking such a lock with the append). With a local PostgreSQL each commit waits for its WAL flush;
// side by side, concurrent commits share flushes.
//
//	go test -run '^$' -bench Append -benchtime 3s ./platform/outbox/
func BenchmarkAppend(b *testing.B) {
	pool := pgtest.NewPool(b, schema)
	ctx := context.Background()
	var next atomic.Int64
	for _, serialised := range []bool{false, true} {
		name := map[bool]string{false: "side-by-side", true: "serialised"}[serialised]
		b.Run(name, func(b *testing.B) {
			b.SetParallelism(8) // 16 writers on 2 cores
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n := next.Add(1)
					err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
						if _, err := tx.Exec(ctx, `INSERT INTO things VALUES ($1)`, n); err != nil {
							return err
						}
						if err := Append(ctx, tx, testActor, &eventspb.InKindRecorded{Id: "x", Hours: int32(n)}); err != nil {
							return err
						}
						if serialised { // one round trip and the commit under the lock, as the old Append held it
							_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(42)`)
							return err
						}
						return nil
					})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
