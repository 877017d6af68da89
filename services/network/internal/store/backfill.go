package store

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/record"
)

// backfillPage is how many networks Backfill reads at a time.
const backfillPage = 500

// Backfill writes every network's whole state as an event when the outbox is empty but the service holds
// networks: an installation with networks from before the outbox (migration 00003) existed. The events are
// written oldest network first, each built as the writes of a network build it (networkChanged); see
// outbox.Backfill for when it writes and how it locks. The share locks on the networks and their
// memberships stand for the network's row lock networkChanged asks for. It returns how many events it wrote.
func Backfill(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	return outbox.Backfill(ctx, pool, outbox.Snapshot{
		Tables:  []string{"networks", "network_memberships"},
		HasData: `EXISTS (SELECT 1 FROM networks)`,
		Write: func(ctx context.Context, tx pgx.Tx, a record.Actor) (int, error) {
			written := 0
			for after := ""; ; {
				page, err := ListNetworks(ctx, tx, NetworkFilter{}, after, backfillPage)
				if err != nil {
					return 0, err
				}
				for _, n := range page {
					if err := networkChanged(ctx, tx, n, a); err != nil {
						return 0, err
					}
					written++
				}
				if len(page) < backfillPage {
					return written, nil
				}
				after = page[len(page)-1].ID
			}
		},
	})
}
