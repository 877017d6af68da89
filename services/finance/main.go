// Command finance serves the finance service: budget rules, budgets, reimbursement claims, payments and the
// ledger. It reads applications from the partnership service. Run `finance env` for its settings.
package main

import (
	"context"
	"io"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/finance/internal/partnerships"
	"github.com/partnerskap/partnerskap/services/finance/internal/server"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
	"github.com/partnerskap/partnerskap/services/finance/migrations"
)

// settings are the finance service's own environment variables.
type settings struct {
	Partnerships  upstream.PartnershipSettings
	ClaimWaitDays int `env:"CLAIM_WAIT_DAYS" help:"days after its submission by which ICLD decides a claim: the due day of its deadline (GET /v1/deadlines)"`
}

func main() {
	own := settings{Partnerships: upstream.DefaultPartnershipSettings(), ClaimWaitDays: server.DefaultClaimWaitDays}
	service.Main(service.Spec{
		Name:            "finance",
		GRPCPort:        9093,
		Migrations:      migrations.FS,
		IdempotencyKeys: true,
		Settings:        &own,
		Register: func(s *grpc.Server, pool *pgxpool.Pool, _ service.Settings) (io.Closer, error) {
			conn, err := upstream.DialPartnership(own.Partnerships)
			if err != nil {
				return nil, err
			}
			server.Register(s, pool, partnerships.New(conn), own.ClaimWaitDays)
			return conn, nil
		},
		// The programme's default caps, loaded into an empty installation so that budgets can be made at once;
		// and, for an installation with data from before the outbox, a snapshot of it as events.
		AfterMigrate: func(ctx context.Context, pool *pgxpool.Pool) error {
			if err := store.SeedDefaultRules(ctx, pool); err != nil {
				return err
			}
			_, err := store.Backfill(ctx, pool)
			return err
		},
	})
}
