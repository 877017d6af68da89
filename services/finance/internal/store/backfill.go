package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
)

// Backfill writes the whole current state as events when the outbox is empty but the service holds data: an
// installation that had budgets, claims or in-kind time before the outbox existed. Each budget, claim and
// contribution is written as its writes write it; see outbox.Backfill for when it writes and how it locks.
func Backfill(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	return outbox.Backfill(ctx, pool, outbox.Snapshot{
		Tables:  []string{"budgets", "claims", "in_kind_contributions"},
		HasData: `EXISTS (SELECT 1 FROM budgets) OR EXISTS (SELECT 1 FROM in_kind_contributions)`,
		Write:   writeSnapshot,
	})
}

// writeSnapshot appends an event of every budget, claim and in-kind contribution, oldest first.
func writeSnapshot(ctx context.Context, tx pgx.Tx, a Actor) (int, error) {
	ids := func(sql string) ([]string, error) {
		rows, err := tx.Query(ctx, sql)
		if err != nil {
			return nil, fmt.Errorf("backfill: %w", err)
		}
		return pgx.CollectRows(rows, pgx.RowTo[string])
	}
	written := 0
	budgets, err := ids(`SELECT id::text FROM budgets ORDER BY id`)
	if err != nil {
		return 0, err
	}
	for _, id := range budgets {
		b, err := GetBudget(ctx, tx, id, "")
		if err != nil {
			return 0, err
		}
		if err := budgetChanged(ctx, tx, b, a); err != nil {
			return 0, err
		}
		written++
	}
	claims, err := ids(`SELECT id::text FROM claims ORDER BY id`)
	if err != nil {
		return 0, err
	}
	for _, id := range claims {
		c, err := GetClaim(ctx, tx, id, "")
		if err != nil {
			return 0, err
		}
		var paid *time.Time
		if c.State == domain.StatusPaid {
			if err := tx.QueryRow(ctx, `SELECT pay_date FROM payment_batches WHERE id = $1`, c.PaymentBatchID).Scan(&paid); err != nil {
				return 0, fmt.Errorf("backfill: pay date of claim %s: %w", id, err)
			}
		}
		if err := claimChanged(ctx, tx, c, nullableDate(paid), a); err != nil {
			return 0, err
		}
		written++
	}
	const page = 500
	for after := ""; ; {
		list, err := ListInKind(ctx, tx, InKindFilter{}, after, page)
		if err != nil {
			return 0, err
		}
		for _, k := range list {
			if err := inKindRecorded(ctx, tx, k, a); err != nil {
				return 0, err
			}
			written++
		}
		if len(list) < page {
			return written, nil
		}
		after = list[len(list)-1].ID
	}
}
