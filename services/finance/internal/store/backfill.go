package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

// backfillLock keeps two instances migrating at once from both writing the snapshot.
const backfillLock = 0x66696e61_6e636531 // "finance1"

// Backfill writes the whole current state as events when the outbox is empty but the service holds data: an
// installation that had budgets, claims or in-kind time before the outbox existed. Without it, the reporting
// service, which knows only events, would never see them. It does nothing when the outbox has events or there
// is no data, so it is safe at every migration.
func Backfill(ctx context.Context, pool *pgxpool.Pool) error {
	ctx = auth.WithPrincipal(ctx, auth.Principal{Subject: "backfill", Role: auth.RoleAdmin})
	return postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(backfillLock)); err != nil {
			return err
		}
		// Writes that are under way finish first and none starts until the snapshot commits: a change
		// appended but not yet committed could otherwise be missed by the check below, then overtaken by an
		// older snapshot of the same budget.
		if _, err := tx.Exec(ctx, `LOCK TABLE budgets, claims, in_kind_contributions IN SHARE MODE`); err != nil {
			return err
		}
		var events, data bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM outbox),
			EXISTS (SELECT 1 FROM budgets) OR EXISTS (SELECT 1 FROM in_kind_contributions)`).Scan(&events, &data); err != nil {
			return fmt.Errorf("backfill: %w", err)
		}
		if events || !data {
			return nil
		}
		ids := func(sql string) ([]string, error) {
			rows, err := tx.Query(ctx, sql)
			if err != nil {
				return nil, err
			}
			return pgx.CollectRows(rows, pgx.RowTo[string])
		}
		budgets, err := ids(`SELECT id::text FROM budgets ORDER BY id`)
		if err != nil {
			return fmt.Errorf("backfill budgets: %w", err)
		}
		for _, id := range budgets {
			b, err := GetBudget(ctx, tx, id, "")
			if err != nil {
				return err
			}
			if err := budgetChanged(ctx, tx, b); err != nil {
				return err
			}
		}
		claims, err := ids(`SELECT id::text FROM claims ORDER BY id`)
		if err != nil {
			return fmt.Errorf("backfill claims: %w", err)
		}
		for _, id := range claims {
			c, err := GetClaim(ctx, tx, id, "")
			if err != nil {
				return err
			}
			var paid *time.Time
			if err := tx.QueryRow(ctx, `SELECT b.pay_date FROM claims c LEFT JOIN payment_batches b ON b.id = c.payment_batch_id
				WHERE c.id = $1 AND c.state = 'paid'`, id).Scan(&paid); err != nil && err != pgx.ErrNoRows {
				return fmt.Errorf("backfill claim %s: %w", id, err)
			}
			if err := claimChanged(ctx, tx, c, nullableDate(paid)); err != nil {
				return err
			}
		}
		const page = 500
		after := ""
		for {
			list, err := ListInKind(ctx, tx, InKindFilter{}, after, page)
			if err != nil {
				return err
			}
			for _, k := range list {
				if err := inKindRecorded(ctx, tx, k); err != nil {
					return err
				}
			}
			if len(list) < page {
				return nil
			}
			after = list[len(list)-1].ID
		}
	})
}
