package outbox

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// horizon is how far a producer's outbox may be served: the highest seq up to which every event is final,
// its transaction committed or rolled back.
//
// Appends take their seq without a lock, so that a service's writes commit side by side; a transaction may
// therefore commit seq 11 while the one holding seq 10 is still open, and a consumer that read 11 and moved
// its cursor past it would never see 10. The horizon is found in two steps, in this order: read the seq
// sequence's last value L, then list the transactions that hold the outbox's write lock. A transaction that
// took a seq up to L took the lock before (an INSERT locks its table before it runs) and holds it until it
// ends, so it is on that list unless it has already ended; once everyone on the list has ended, every seq up
// to L is final. (This needs each seq to be handed out when it is taken, the sequence's CACHE 1, which is
// PostgreSQL's default and what platform/schema makes.)
type horizon struct {
	mu    sync.Mutex
	final int64
}

// settleWaits are the pauses advance makes for the appends it found open to end, about 30 ms in all: a
// write transaction ends a few milliseconds after its append, and one that does not (a long erasure, a
// session left open) only holds the stream back, at the horizon last known, until it ends.
var settleWaits = []time.Duration{0, time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond,
	8 * time.Millisecond, 16 * time.Millisecond}

// openAppends lists the transactions of this database that hold the outbox's write lock. Relation locks
// taken on the fast path are listed too.
const openAppends = `SELECT l.virtualtransaction FROM pg_locks l
	WHERE l.locktype = 'relation' AND l.mode = 'RowExclusiveLock' AND l.relation = 'outbox'::regclass
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`

// markSQL reads L and then the open appends: the lock list depends on L (a correlated subquery of the row
// that holds it), so PostgreSQL reads the sequence first.
const markSQL = `SELECT mark.last, ARRAY(` + openAppends + ` AND mark.last IS NOT NULL)
	FROM (SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('outbox', 'seq')::regclass), 0) AS last
		OFFSET 0) AS mark`

// advance moves the horizon as far as the database allows now and returns it.
func (h *horizon) advance(ctx context.Context, pool *pgxpool.Pool) (int64, error) {
	var last int64
	var open []string
	if err := pool.QueryRow(ctx, markSQL).Scan(&last, &open); err != nil {
		return 0, fmt.Errorf("outbox: horizon: %w", err)
	}
	for _, wait := range settleWaits {
		if len(open) == 0 {
			return h.raise(last), nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(wait):
		}
		if err := pool.QueryRow(ctx, `SELECT ARRAY(`+openAppends+` AND l.virtualtransaction = ANY($1))`, open).Scan(&open); err != nil {
			return 0, fmt.Errorf("outbox: horizon: %w", err)
		}
	}
	if len(open) == 0 {
		return h.raise(last), nil
	}
	return h.raise(0), nil
}

// raise moves the horizon up to seq, never down, and returns it.
func (h *horizon) raise(seq int64) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.final = max(h.final, seq)
	return h.final
}
