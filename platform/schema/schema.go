// Package schema owns the tables the platform's packages write in every service's database (the outbox, the
// audit log, the idempotency keys) and migrates a service's database: the platform's migrations first, with a
// version table of their own, then the service's. Each table is defined once, here, and every service has
// the same one.
package schema

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/postgres"
)

//go:embed migrations/*.sql
var embedded embed.FS

// Platform is the platform's own migrations, versioned in VersionTable.
var Platform = must(fs.Sub(embedded, "migrations"))

// VersionTable is where the platform's migrations are recorded, apart from the service's own (goose's
// default table), so that the two number their versions independently.
const VersionTable = "platform_schema_version"

// Migrate applies the platform's migrations and then the service's own (service may be nil) to the
// database at url, and returns the versions of the service's it applied.
func Migrate(ctx context.Context, url string, service fs.FS) ([]int64, error) {
	if _, err := postgres.MigrateTable(ctx, url, Platform, VersionTable); err != nil {
		return nil, fmt.Errorf("platform tables: %w", err)
	}
	return postgres.Migrate(ctx, url, service)
}

// Pending reports whether a migration of the platform's or the service's is not yet applied.
func Pending(ctx context.Context, pool *pgxpool.Pool, service fs.FS) (bool, error) {
	pending, err := postgres.PendingTable(ctx, pool, Platform, VersionTable)
	if err != nil || pending {
		return pending, err
	}
	return postgres.Pending(ctx, pool, service)
}

func must(f fs.FS, err error) fs.FS {
	if err != nil {
		panic(err)
	}
	return f
}
