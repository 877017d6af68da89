// Command partnership serves the partnership service: organisations, partnerships and the programme's rules.
// Run `partnership env` for its settings.
package main

import (
	"context"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/services/partnership/internal/demo"
	"github.com/partnerskap/partnerskap/services/partnership/internal/server"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
	"github.com/partnerskap/partnerskap/services/partnership/migrations"
)

func main() {
	service.Main(service.Spec{
		Name:            "partnership",
		GRPCPort:        9091,
		Migrations:      migrations.FS,
		IdempotencyKeys: true,
		Register: func(s *grpc.Server, pool *pgxpool.Pool) (io.Closer, error) {
			server.Register(s, pool)
			return nil, nil
		},
		AfterMigrate: func(ctx context.Context, pool *pgxpool.Pool) error {
			// Windows for the years around now; an admin adds later ones through the API.
			year := time.Now().Year()
			if err := store.EnsureDefaults(ctx, pool, year-1, year+4); err != nil {
				return err
			}
			// Data from before the outbox existed reaches the event stream, and so the reports.
			_, err := store.Backfill(ctx, pool)
			return err
		},
		Seed: demo.Load,
	})
}
