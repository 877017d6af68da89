// Package outbox is how a service tells others what changed: an event is written to the outbox table in the
// same transaction as the change it describes, and served in order from a cursor over gRPC
// (partnerskap.events.v1.EventService). A change and its event commit together or not at all, so the stream
// holds exactly the committed changes; consumers store their cursor in the same transaction as the event's
// effect, so delivery is at least once and the effect exactly once.
//
// Appends take no lock: the writes of a service commit side by side. The stream's order is the order in
// which events took their seq, which for two changes where one waited for the other's lock is the order they
// were made (Append), and an event is served only once every seq before it is final (horizon), so a
// consumer's cursor never passes an event that commits late.
//
// The service's database needs the table outbox (seq, id, type, schema_version, time, actor, request_id,
// payload), which platform/schema makes.
package outbox

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/record"
)

// SchemaVersion is the version of the payload messages in partnerskap.events.v1. A change a consumer of
// version 1 could misread (a field's meaning, not a new field) needs a new version, which old consumers park.
const SchemaVersion = 1

// Append writes payload as an event of the change in tx, made by a. Call it last in the transaction, after the
// change's own writes and locks: the event's seq is taken here, so of two changes where one waited for the
// other's lock, the one that waited has the later seq, and consumers see the changes of one resource in the
// order they were made. Appends take no lock of their own; the Server serves an event only once every seq
// before it is final (see horizon).
func Append(ctx context.Context, tx pgx.Tx, a record.Actor, payload proto.Message) error {
	args, err := appendArgs(a, payload)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, appendSQL, args...); err != nil {
		return fmt.Errorf("outbox: append: %w", err)
	}
	return nil
}

// Queue adds the statement that appends payload, made by a, to batch: for a producer that sends its last
// writes and its event in one round trip. Queue it last in the batch, and send the batch last in the
// transaction, after the change's locks, as with Append.
func Queue(batch *pgx.Batch, a record.Actor, payload proto.Message) error {
	args, err := appendArgs(a, payload)
	if err != nil {
		return err
	}
	batch.Queue(appendSQL, args...)
	return nil
}

const appendSQL = `INSERT INTO outbox (id, type, schema_version, time, actor, request_id, payload)
	VALUES ($1, $2, $3, $4, $5, $6, $7)`

// appendArgs encodes payload and returns appendSQL's arguments, refusing an event over MaxEventBytes.
func appendArgs(a record.Actor, payload proto.Message) ([]any, error) {
	body, err := anypb.New(payload)
	if err != nil {
		return nil, fmt.Errorf("outbox: wrap %T: %w", payload, err)
	}
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("outbox: encode %T: %w", payload, err)
	}
	if err := checkSize(payload, len(data), a); err != nil {
		return nil, err
	}
	return []any{record.NewID(), string(payload.ProtoReflect().Descriptor().FullName()),
		SchemaVersion, record.Now(), a.Subject, a.RequestID, data}, nil
}

// Server serves a producer's outbox as partnerskap.events.v1.EventService.
type Server struct {
	eventspb.UnimplementedEventServiceServer
	pool     *pgxpool.Pool
	producer string
	horizon  horizon
}

// NewServer serves the outbox in pool's database as the stream of producer ("partnership", ...).
func NewServer(pool *pgxpool.Pool, producer string) *Server {
	return &Server{pool: pool, producer: producer}
}

// ListEvents returns the events after req.after_seq, oldest first.
func (s *Server) ListEvents(ctx context.Context, req *eventspb.ListEventsRequest) (*eventspb.ListEventsResponse, error) {
	limit := int(req.GetPageSize())
	if limit == 0 {
		limit = 100
	}
	final, err := s.horizon.advance(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	events, err := listRange(ctx, s.pool, s.producer, req.GetAfterSeq(), final, limit, PageBytes)
	if err != nil {
		return nil, err
	}
	return &eventspb.ListEventsResponse{Events: events, HeadSeq: final}, nil
}

// List reads the committed events after seq after: at most limit, and no more than PageBytes of them (see
// ListWithin). It is for tests and tools that read an outbox no one writes at the same time; a consumer reads
// through the Server, which serves only final events.
func List(ctx context.Context, q record.Querier, producer string, after int64, limit int) ([]*eventspb.Event, error) {
	return ListWithin(ctx, q, producer, after, limit, PageBytes)
}

// ListWithin reads the events after seq after: at most limit of them, and no more than take maxBytes in a
// ListEventsResponse, except that the first is served whatever its size (so the stream always moves; Append
// keeps every event under MaxEventBytes). A stored payload that does not decode is still served, with its raw
// bytes, so that the consumer parks it instead of the stream stopping behind it.
func ListWithin(ctx context.Context, q record.Querier, producer string, after int64, limit, maxBytes int) ([]*eventspb.Event, error) {
	return listRange(ctx, q, producer, after, math.MaxInt64, limit, maxBytes)
}

// listRange is ListWithin of the events up to seq upTo.
func listRange(ctx context.Context, q record.Querier, producer string, after, upTo int64, limit, maxBytes int) ([]*eventspb.Event, error) {
	// The database already stops once the payloads alone fill the budget (an event is never smaller than its
	// payload), so a page of large events does not drag hundreds of payloads over the wire only to be cut
	// below. octet_length reads a stored value's length without decompressing it.
	rows, err := q.Query(ctx, `SELECT seq, id, schema_version, time, actor, request_id, type, payload FROM (
			SELECT *, sum(octet_length(payload)) OVER (ORDER BY seq) - octet_length(payload) AS before
			FROM outbox WHERE seq > $1 AND seq <= $4 ORDER BY seq LIMIT $2) page
		WHERE before < $3 ORDER BY seq`, after, limit, maxBytes, upTo)
	if err != nil {
		return nil, fmt.Errorf("outbox: list: %w", err)
	}
	defer rows.Close()
	var out []*eventspb.Event
	used := 0
	for rows.Next() {
		e := &eventspb.Event{Producer: producer}
		var at time.Time
		var typ string
		var data []byte
		if err := rows.Scan(&e.Seq, &e.Id, &e.SchemaVersion, &at, &e.Actor, &e.RequestId, &typ, &data); err != nil {
			return nil, fmt.Errorf("outbox: read: %w", err)
		}
		e.Time = timestamppb.New(at)
		e.Payload = &anypb.Any{}
		if err := proto.Unmarshal(data, e.Payload); err != nil {
			e.Payload = &anypb.Any{TypeUrl: "type.googleapis.com/" + typ, Value: data}
		}
		size := servedSize(e)
		if len(out) > 0 && used+size > maxBytes {
			break
		}
		used += size
		out = append(out, e)
	}
	return out, rows.Err()
}
