// Command network serves the network service: thematic networks of partnerships that start together and
// run four years. It reads partnerships from the partnership service. Run `network env` for its settings.
package main

import (
	"context"
	"io"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/internal/partnerships"
	"github.com/partnerskap/partnerskap/services/network/internal/server"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
	"github.com/partnerskap/partnerskap/services/network/migrations"
)

// settings are the network service's own environment variables.
type settings struct {
	Partnerships  upstream.PartnershipSettings
	ToleranceDays int `env:"INCEPTION_TOLERANCE_DAYS" help:"how many days a member partnership's inception may start before or after the network's cohort start"`
}

func main() {
	own := settings{Partnerships: upstream.DefaultPartnershipSettings(), ToleranceDays: domain.DefaultMembershipRule().ToleranceDays}
	service.Main(service.Spec{
		Name:            "network",
		GRPCPort:        9092,
		Migrations:      migrations.FS,
		IdempotencyKeys: true,
		Settings:        &own,
		Register: func(s *grpc.Server, pool *pgxpool.Pool, _ service.Settings) (io.Closer, error) {
			rule := domain.MembershipRule{ToleranceDays: own.ToleranceDays}
			if err := rule.Validate("INCEPTION_TOLERANCE_DAYS"); err != nil {
				return nil, err
			}
			client, err := partnerships.New(own.Partnerships)
			if err != nil {
				return nil, err
			}
			server.Register(s, pool, client, rule)
			return client, nil
		},
		AfterMigrate: func(ctx context.Context, pool *pgxpool.Pool) error {
			// Data from before the outbox existed reaches the event stream, and so the reports.
			_, err := store.Backfill(ctx, pool)
			return err
		},
	})
}
