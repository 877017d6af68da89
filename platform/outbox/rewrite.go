package outbox

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

// Rewrite edits, in tx, every stored event of like's type: edit receives each decoded payload and reports
// whether it changed it, and changed payloads are stored back under the same seq and id. It is how an erasure
// reaches what the event stream carried of a person, so that a consumer that replays the stream from the
// start (a rebuild) never learns it again. It returns how many events changed. Consumers that already read an
// event keep what they read; the erasure's own events tell them the new state.
func Rewrite(ctx context.Context, tx pgx.Tx, like proto.Message, edit func(proto.Message) bool) (int, error) {
	name := string(like.ProtoReflect().Descriptor().FullName())
	rows, err := tx.Query(ctx, `SELECT seq, payload FROM outbox WHERE type = $1 ORDER BY seq FOR UPDATE`, name)
	if err != nil {
		return 0, fmt.Errorf("outbox: rewrite %s: %w", name, err)
	}
	type stored struct {
		seq     int64
		payload []byte
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stored, error) {
		var s stored
		return s, r.Scan(&s.seq, &s.payload)
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: rewrite %s: %w", name, err)
	}
	changed := 0
	for _, s := range all {
		var body anypb.Any
		if err := proto.Unmarshal(s.payload, &body); err != nil {
			return changed, fmt.Errorf("outbox: rewrite: decode event %d: %w", s.seq, err)
		}
		msg := like.ProtoReflect().New().Interface()
		if err := body.UnmarshalTo(msg); err != nil {
			return changed, fmt.Errorf("outbox: rewrite: decode event %d: %w", s.seq, err)
		}
		if !edit(msg) {
			continue
		}
		if err := body.MarshalFrom(msg); err != nil {
			return changed, fmt.Errorf("outbox: rewrite: encode event %d: %w", s.seq, err)
		}
		data, err := proto.MarshalOptions{Deterministic: true}.Marshal(&body)
		if err != nil {
			return changed, fmt.Errorf("outbox: rewrite: encode event %d: %w", s.seq, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE outbox SET payload = $2 WHERE seq = $1`, s.seq, data); err != nil {
			return changed, fmt.Errorf("outbox: rewrite event %d: %w", s.seq, err)
		}
		changed++
	}
	return changed, nil
}
