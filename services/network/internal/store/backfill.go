package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/postgres"
)

// backfillLock is taken around Backfill's "is the outbox empty?" check and held until its events commit, so
// two instances migrating at once cannot both write the snapshot. Nothing else takes it.
const backfillLock = 0x6e657477_6261636b // "netwback"

// backfillActor names the events of the snapshot: the changes they describe were made before the outbox
// existed, and their own actors are in the audit log.
var backfillActor = Actor{Subject: "backfill", Role: "admin", RequestID: "backfill"}

// backfillPage is how many networks Backfill reads at a time.
const backfillPage = 500

// Backfill writes every network's whole state as an event when the outbox is empty but the service holds
// networks: an installation with networks from before the outbox (migration 00003) existed, which the
// reporting service, knowing only events, would otherwise never see. The events are written in one
// transaction, oldest network first, each built as the writes of a network build it (networkChanged). It does
// nothing when the outbox has events or there are no networks, so it is safe after every migration and from
// two processes at once. It returns how many events it wrote.
//
// The snapshot is read under share locks on the networks and their memberships, which stand for the network's
// row lock networkChanged asks for: a write in progress commits first (and as the outbox then holds its
// event, the backfill does nothing), and a later one waits until the snapshot has committed, so its event
// comes after it in the stream. The networks are locked before the memberships, and the backfill takes no row
// lock: a write that holds a network's row lock while it waits for the backfill holds nothing the backfill
// waits for.
func Backfill(ctx context.Context, pool *pgxpool.Pool) (written int, err error) {
	// Every run after the first finds events; it answers here, without blocking any write.
	if needed, err := backfillNeeded(ctx, pool); err != nil || !needed {
		return 0, err
	}
	err = postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		written = 0
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(backfillLock)); err != nil {
			return fmt.Errorf("backfill: lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `LOCK TABLE networks, network_memberships IN SHARE MODE`); err != nil {
			return fmt.Errorf("backfill: lock: %w", err)
		}
		if needed, err := backfillNeeded(ctx, tx); err != nil || !needed {
			return err
		}
		for after := ""; ; {
			page, err := ListNetworks(ctx, tx, NetworkFilter{}, after, backfillPage)
			if err != nil {
				return err
			}
			for _, n := range page {
				if err := networkChanged(ctx, tx, n, backfillActor); err != nil {
					return err
				}
				written++
			}
			if len(page) < backfillPage {
				return nil
			}
			after = page[len(page)-1].ID
		}
	})
	if err != nil {
		return 0, err
	}
	return written, nil
}

// backfillNeeded reports whether the outbox is empty while the service holds networks.
func backfillNeeded(ctx context.Context, q Querier) (bool, error) {
	var needed bool
	err := q.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM outbox) AND EXISTS (SELECT 1 FROM networks)`).Scan(&needed)
	if err != nil {
		return false, fmt.Errorf("backfill: %w", err)
	}
	return needed, nil
}
