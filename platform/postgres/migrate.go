package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
)

// migrationLockPeriodSeconds and migrationLockTries bound how a second migrator waits for the first: it polls
// the advisory lock every second (goose's default is every 5s, which would make every concurrent start-up
// 5s slower) for up to five minutes, long enough for any migration we expect to write.
const (
	migrationLockPeriodSeconds = 1
	migrationLockTries         = 300
)

// versionTable is goose's bookkeeping table; Pending looks for it before asking goose anything.
const versionTable = goose.DefaultTablename

// Migrate applies every pending migration in fsys to the database at url and returns the versions it
// applied, in order (none when the database is already current). fsys holds goose SQL files at its root,
// such as "00001_init.sql"; a nil fsys or one without migrations applies nothing.
//
// Migrate is safe to run again and from several processes at once: goose holds a PostgreSQL session
// advisory lock while it applies, so a second migrator waits and then finds nothing left to do. Advisory
// locks are per database, so services migrating their own databases never wait for each other.
func Migrate(ctx context.Context, url string, fsys fs.FS) ([]int64, error) {
	return MigrateTable(ctx, url, fsys, versionTable)
}

// MigrateTable is Migrate recording the versions in table instead of goose's default, for a second set of
// migrations in one database (the platform's, see platform/schema) that numbers its versions on its own.
func MigrateTable(ctx context.Context, url string, fsys fs.FS, table string) ([]int64, error) {
	if fsys == nil {
		return nil, nil
	}
	cfg, err := connConfig(url)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()

	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockTimeout(migrationLockPeriodSeconds, migrationLockTries))
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", cfg.Database, err)
	}
	p, err := newProvider(db, fsys, table, goose.WithSessionLocker(locker))
	if errors.Is(err, goose.ErrNoMigrations) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", cfg.Database, err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", cfg.Database, err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// Pending reports whether some migration in fsys is not yet applied to the database behind pool, so that a
// readiness check can keep a service out of rotation until its schema is current. It takes no lock and,
// unlike goose on its own, never creates the version table: a probe must not write.
func Pending(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS) (bool, error) {
	return PendingTable(ctx, pool, fsys, versionTable)
}

// PendingTable is Pending for migrations recorded in table (see MigrateTable).
func PendingTable(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS, table string) (bool, error) {
	if fsys == nil {
		return false, nil
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close() // leaves the pool open

	p, err := newProvider(db, fsys, table)
	if errors.Is(err, goose.ErrNoMigrations) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("pending migrations: %w", err)
	}
	var hasTable bool
	if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&hasTable); err != nil {
		return false, fmt.Errorf("pending migrations: %w", err)
	}
	if !hasTable {
		return true, nil // never migrated, and fsys has at least one migration
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("pending migrations: %w", err)
	}
	return pending, nil
}

// newProvider builds the one goose configuration this project uses. The global registry is off because
// migrations are SQL files embedded by each service, never Go code registered by whichever package happens
// to be imported; goose's own logging is off because callers log the versions Migrate returns.
func newProvider(db *sql.DB, fsys fs.FS, table string, opts ...goose.ProviderOption) (*goose.Provider, error) {
	store, err := database.NewStore(database.DialectPostgres, table)
	if err != nil {
		return nil, err
	}
	opts = append([]goose.ProviderOption{
		goose.WithStore(store),
		goose.WithDisableGlobalRegistry(true),
		goose.WithLogger(goose.NopLogger()),
	}, opts...)
	// The dialect is the store's; goose refuses both.
	return goose.NewProvider("", db, fsys, opts...)
}
