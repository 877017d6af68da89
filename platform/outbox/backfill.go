package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
)

// Snapshot is what a producer writes to an empty outbox: the whole state of its data as events, for an
// installation whose data predates its outbox and which the reporting service, knowing only events, would
// otherwise never see.
type Snapshot struct {
	// Tables are the tables the events are computed from, share-locked in this order before anything is
	// read: a write in progress commits first (and as the outbox then holds its event, the backfill does
	// nothing), and a later one waits until the snapshot has committed, so its events come after it. List
	// them in the order the service's writes lock them, so that no write holds one while waiting for another
	// the backfill already holds.
	Tables []string
	// HasData is an SQL boolean expression, true when the service holds data to write.
	HasData string
	// Write appends every event of the snapshot in tx, made by a (BackfillActor), and returns how many.
	Write func(ctx context.Context, tx pgx.Tx, a record.Actor) (int, error)
}

// BackfillActor is who the snapshot's events say made them: the changes they describe were made before the
// outbox existed, and their own actors are in the audit log.
var BackfillActor = record.Actor{Subject: "backfill", Role: "admin", RequestID: "backfill"}

// backfillLock is held from Backfill's check to the commit of its events, so two instances migrating at once
// cannot both write the snapshot. Nothing else takes it.
const backfillLock = 0x6261636b_66696c6c // "backfill"

// Backfill writes s when the outbox is empty but the service holds data, in one transaction, and returns
// how many events it wrote. It does nothing when the outbox has events or there is no data, so it is safe
// after every migration and from two processes at once. The events' actor and request id are "backfill":
// the changes they describe were made before the outbox existed, and their own actors are in the audit log.
func Backfill(ctx context.Context, pool *pgxpool.Pool, s Snapshot) (int, error) {
	needed := func(q interface {
		QueryRow(context.Context, string, ...any) pgx.Row
	}) (bool, error) {
		var yes bool
		err := q.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM outbox) AND (`+s.HasData+`)`).Scan(&yes)
		if err != nil {
			return false, fmt.Errorf("backfill: %w", err)
		}
		return yes, nil
	}
	// Every run after the first finds events; it answers here, without blocking any write.
	if yes, err := needed(pool); err != nil || !yes {
		return 0, err
	}
	written := 0
	err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		written = 0
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(backfillLock)); err != nil {
			return fmt.Errorf("backfill: lock: %w", err)
		}
		tables := make([]string, len(s.Tables))
		for i, t := range s.Tables {
			tables[i] = pgx.Identifier{t}.Sanitize()
		}
		if _, err := tx.Exec(ctx, `LOCK TABLE `+strings.Join(tables, ", ")+` IN SHARE MODE`); err != nil {
			return fmt.Errorf("backfill: lock: %w", err)
		}
		if yes, err := needed(tx); err != nil || !yes {
			return err
		}
		var err error
		written, err = s.Write(ctx, tx, BackfillActor)
		return err
	})
	if err != nil {
		return 0, err
	}
	if written > 0 {
		slog.InfoContext(ctx, "backfilled the outbox with the data from before it existed", "events", written)
	}
	return written, nil
}
