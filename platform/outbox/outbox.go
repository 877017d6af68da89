// Package outbox is how a service tells others what changed: an event is written to the outbox table in the
// same transaction as the change it describes, and served in order from a cursor over gRPC
// (partnerskap.events.v1.EventService). A change and its event commit together or not at all, so the stream
// holds exactly the committed changes; consumers store their cursor in the same transaction as the event's
// effect, so delivery is at least once and the effect exactly once.
//
// The service's database needs the table outbox (seq, id, type, schema_version, time, actor, request_id,
// payload), which platform/schema makes.
package outbox

import (
	"context"
	"fmt"
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

// lockKey serialises appends within one database: the transaction that takes a seq commits before the next
// one may take one, so seq order is commit order and a consumer reading "after seq N" never skips an event
// that commits late. It is held from the append to the end of the transaction, which is why producers append
// their events last.
const lockKey = 0x70617274_6e657273 // "partners"

// Append writes payload as an event of the change in tx, made by a. Call it last in the transaction, after the
// change's own writes and locks.
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
// writes and its event in one round trip, so that the lock Append takes is held for no round trip but the
// commit's. Queue it last in the batch, and send the batch last in the transaction.
func Queue(batch *pgx.Batch, a record.Actor, payload proto.Message) error {
	args, err := appendArgs(a, payload)
	if err != nil {
		return err
	}
	batch.Queue(appendSQL, args...)
	return nil
}

// appendSQL takes the lock and inserts in one statement: the lock is held until commit, so every round trip
// after it is time in which no other change of the service can commit. The lock's row is produced before the
// inserted row, so seq (its default) is taken under the lock.
const appendSQL = `INSERT INTO outbox (id, type, schema_version, time, actor, request_id, payload)
	SELECT $1, $2, $3, $4, $5, $6, $7 FROM (SELECT pg_advisory_xact_lock($8)) AS serialised`

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
		SchemaVersion, record.Now(), a.Subject, a.RequestID, data, int64(lockKey)}, nil
}

// Server serves a producer's outbox as partnerskap.events.v1.EventService.
type Server struct {
	eventspb.UnimplementedEventServiceServer
	pool     *pgxpool.Pool
	producer string
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
	events, err := List(ctx, s.pool, s.producer, req.GetAfterSeq(), limit)
	if err != nil {
		return nil, err
	}
	resp := &eventspb.ListEventsResponse{Events: events}
	if err := s.pool.QueryRow(ctx, `SELECT COALESCE(max(seq), 0) FROM outbox`).Scan(&resp.HeadSeq); err != nil {
		return nil, fmt.Errorf("outbox: head: %w", err)
	}
	return resp, nil
}

// List reads the events after seq after: at most limit, and no more than PageBytes of them (see ListWithin).
func List(ctx context.Context, q record.Querier, producer string, after int64, limit int) ([]*eventspb.Event, error) {
	return ListWithin(ctx, q, producer, after, limit, PageBytes)
}

// ListWithin reads the events after seq after: at most limit of them, and no more than take maxBytes in a
// ListEventsResponse, except that the first is served whatever its size (so the stream always moves; Append
// keeps every event under MaxEventBytes). A stored payload that does not decode is still served, with its raw
// bytes, so that the consumer parks it instead of the stream stopping behind it.
func ListWithin(ctx context.Context, q record.Querier, producer string, after int64, limit, maxBytes int) ([]*eventspb.Event, error) {
	// The database already stops once the payloads alone fill the budget (an event is never smaller than its
	// payload), so a page of large events does not drag hundreds of payloads over the wire only to be cut
	// below. octet_length reads a stored value's length without decompressing it.
	rows, err := q.Query(ctx, `SELECT seq, id, schema_version, time, actor, request_id, type, payload FROM (
			SELECT *, sum(octet_length(payload)) OVER (ORDER BY seq) - octet_length(payload) AS before
			FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2) page
		WHERE before < $3 ORDER BY seq`, after, limit, maxBytes)
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
