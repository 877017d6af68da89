package main

import (
	"context"
	"fmt"
	"math"
	"net"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/consume"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
)

func claimOf(t *testing.T, lines int) *eventspb.ClaimChanged {
	t.Helper()
	c := &eventspb.ClaimChanged{Id: record.NewID(), BudgetId: budget1, PartnershipId: p1, State: financepb.ClaimState_CLAIM_STATE_SUBMITTED}
	for i := range lines {
		c.Lines = append(c.Lines, &eventspb.ClaimLineState{BudgetLineId: fmt.Sprintf("travel-%057d", i), Year: 2026,
			Sek: sek(1_000_000), Approved: sek(999_999)})
	}
	return c
}

// tooLarge is a stream that refuses, as gRPC's receive limit would, any page larger than limit bytes.
func tooLarge(s *stream, limit int, asked *[]int) consume.Source {
	inner := s.source()
	return consume.Source{Name: s.name, List: func(ctx context.Context, after int64, n int) (*eventspb.ListEventsResponse, error) {
		*asked = append(*asked, n)
		page, err := inner.List(ctx, after, n)
		if err == nil && proto.Size(page) > limit {
			return nil, status.Errorf(codes.ResourceExhausted, "grpc: received message larger than max (%d vs. %d)", proto.Size(page), limit)
		}
		return page, err
	}}
}

// TestPagesTooLargeToReceiveAreAskedForInHalves follows a producer that bounds its pages by count alone (a
// release before byte-bounded pages) through a transport that refuses large pages: the consumer catches up
// and rebuilds all the same, asking for fewer events, and asks for more again later.
func TestPagesTooLargeToReceiveAreAskedForInHalves(t *testing.T) {
	finance := &stream{name: "finance"}
	for range 40 {
		finance.add(t, 1, claimOf(t, 40)) // about 4 KB each
	}
	limit := 3 * proto.Size(finance.events[0]) // three events a page at most
	var asked []int
	c := newConsumer(t)
	c.PageSize = 500
	c.Sources = []consume.Source{tooLarge(finance, limit, &asked)}
	ctx := context.Background()
	check := func(what string) {
		t.Helper()
		var claims, lines int
		if err := c.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM claim_lines)`).Scan(&claims, &lines); err != nil {
			t.Fatal(err)
		}
		if claims != 40 || lines != 40*40 {
			t.Fatalf("%s: %d claims and %d lines applied, want 40 and 1600", what, claims, lines)
		}
		shrunk, regrown := false, false
		for i := 1; i < len(asked); i++ {
			shrunk = shrunk || asked[i] < asked[i-1]
			regrown = regrown || (shrunk && asked[i] > asked[i-1])
		}
		if !shrunk || !regrown || slices.Min(asked) < 1 {
			t.Errorf("%s: page sizes asked %v; want them halved, then doubled again", what, asked)
		}
		asked = nil
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	check("catching up")
	if err := c.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	check("rebuilding")

	// One event the transport refuses on its own is an error, not a loop.
	finance.add(t, 1, claimOf(t, 200))
	if err := c.CatchUp(ctx); status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("an event too large to receive: %v", err)
	}
}

// producerSchema is a producer's database: the platform's tables, the outbox among them.
var producerSchema = pgtest.PlatformOnly

// countOnly serves an outbox as a producer of a release before byte-bounded pages did: by count alone.
type countOnly struct {
	eventspb.UnimplementedEventServiceServer
	q record.Querier
}

func (s countOnly) ListEvents(ctx context.Context, req *eventspb.ListEventsRequest) (*eventspb.ListEventsResponse, error) {
	events, err := outbox.ListWithin(ctx, s.q, "finance", req.GetAfterSeq(), int(req.GetPageSize()), math.MaxInt32)
	return &eventspb.ListEventsResponse{Events: events, HeadSeq: math.MaxInt32}, err
}

// serve serves srv over gRPC on a loopback port and returns a consume.Source reading it with opts, as the
// reporting service's main does.
func serve(t *testing.T, srv eventspb.EventServiceServer, opts ...grpc.CallOption) consume.Source {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	eventspb.RegisterEventServiceServer(gs, srv)
	go func() { _ = gs.Serve(lis) }()
	t.Cleanup(gs.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	client := eventspb.NewEventServiceClient(conn)
	return consume.Source{Name: "finance", List: func(ctx context.Context, after int64, limit int) (*eventspb.ListEventsResponse, error) {
		return client.ListEvents(ctx, &eventspb.ListEventsRequest{AfterSeq: after, PageSize: int32(limit)}, opts...)
	}}
}

// TestAStreamPastFourMiBInOnePageRebuilds is the audit's case: a member fills the finance outbox with claims
// of 500 lines until one page of the consumer's count holds more than gRPC's default receive limit. The
// consumer catches up and rebuilds over real gRPC, from a producer that bounds its pages by bytes (whatever
// the consumer's receive limit) and from one that does not (thanks to the consumer's raised limit).
func TestAStreamPastFourMiBInOnePageRebuilds(t *testing.T) {
	producer := pgtest.NewPool(t, producerSchema)
	ctx := auth.WithPrincipal(context.Background(), auth.Principal{Subject: "dev-member", Role: auth.RoleMember})
	// Enough claims to pass 4 MiB by a margin, counted from the size of one; checked once written.
	one := proto.Size(&eventspb.ListEventsResponse{Events: []*eventspb.Event{{Payload: mustAny(t, claimOf(t, 500))}}})
	claims := (4<<20)/one + 5
	for range claims {
		if err := postgres.InTx(ctx, producer, pgx.TxOptions{}, func(tx pgx.Tx) error {
			return outbox.Append(ctx, tx, record.Actor{Subject: "dev-member", Role: "member"}, claimOf(t, 500))
		}); err != nil {
			t.Fatal(err)
		}
	}
	events, err := outbox.ListWithin(ctx, producer, "finance", 0, 1000, math.MaxInt32)
	if err != nil {
		t.Fatal(err)
	}
	total := proto.Size(&eventspb.ListEventsResponse{Events: events})
	if len(events) != claims || total <= 4<<20 {
		t.Fatalf("%d events in %d bytes do not pass 4 MiB", len(events), total)
	}
	c := newConsumer(t)
	c.PageSize = 500
	if claims > c.PageSize {
		t.Fatalf("%d claims do not fit one page of %d", claims, c.PageSize)
	}

	for _, tc := range []struct {
		name   string
		source consume.Source
	}{
		{"byte-bounded producer, gRPC's default receive limit", serve(t, outbox.NewServer(producer, "finance"))},
		{"count-bounded producer, the consumer's receive limit", serve(t, countOnly{q: producer}, consume.CallOptions()...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Sources = []consume.Source{tc.source}
			if err := c.Rebuild(ctx); err != nil {
				t.Fatalf("rebuild of %d claims (%d bytes in one page): %v", claims, total, err)
			}
			if _, err := c.Pool.Exec(ctx, `UPDATE consumer_cursors SET seq = 0`); err != nil {
				t.Fatal(err)
			}
			if err := c.CatchUp(ctx); err != nil {
				t.Fatalf("catching up on %d claims (%d bytes in one page): %v", claims, total, err)
			}
			var applied, lines, parked int
			if err := c.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM claim_lines),
				(SELECT count(*) FROM parked_events)`).Scan(&applied, &lines, &parked); err != nil {
				t.Fatal(err)
			}
			if applied != claims || lines != 500*claims || parked != 0 {
				t.Errorf("%d claims, %d lines and %d parked events; want %d, %d and 0", applied, lines, parked, claims, 500*claims)
			}
		})
	}

	// Without either fix — a producer bounding by count, a consumer with gRPC's default limit — the page
	// cannot be received at all: the case above is the one the audit found.
	old := serve(t, countOnly{q: producer})
	if _, err := old.List(ctx, 0, 500); status.Code(err) != codes.ResourceExhausted {
		t.Errorf("a %d-byte page through gRPC's default limit: %v", total, err)
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
