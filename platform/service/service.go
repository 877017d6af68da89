// Package service is the main function every Partnerskap service binary shares: it reads the settings,
// connects to the service's own PostgreSQL database, and runs one of the subcommands
//
//	serve    (the default) migrate when MIGRATE_ON_START is set, then serve gRPC until SIGTERM or SIGINT
//	migrate  apply the embedded SQL migrations and exit; safe to run twice or from two processes at once
//	env      print the environment variables with their defaults as a Markdown table
package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/config"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/logging"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/schema"
	"github.com/partnerskap/partnerskap/platform/server"
)

// Spec describes one service binary.
type Spec struct {
	// Name is the short name: "partnership", "network", "finance" or "reporting".
	Name string
	// GRPCPort is the default gRPC port; metrics default to GRPCPort+100.
	GRPCPort int
	// Migrations holds the goose SQL migrations of the service's own tables at its root; the platform's tables
	// (platform/schema) are migrated before them.
	Migrations fs.FS
	// Register adds the service's gRPC implementations, built on the database pool. What it opens for them
	// (a connection to another service) it returns as a Closer, closed when the server has stopped; an error
	// stops the binary before it serves, with everything opened so far closed.
	Register func(s *grpc.Server, pool *pgxpool.Pool, common Settings) (io.Closer, error)
	// AfterMigrate, when set, runs after every migration: data the schema ships with, such as the
	// programme's default rules, loaded into empty tables.
	AfterMigrate func(ctx context.Context, pool *pgxpool.Pool) error
	// Settings, when set, points to the service's own settings struct (env-tagged fields, defaults filled in),
	// loaded with the common settings and listed by `<binary> env`; Register may read it.
	Settings any
	// Seed, when set, loads demo data into an empty database; run when DEMO_DATA is true.
	Seed func(ctx context.Context, pool *pgxpool.Pool) error
	// Worker, when set, runs beside the gRPC server for as long as it serves (the reporting service's event
	// consumer). It returns when ctx ends; an error it returns before that stops the service.
	Worker func(ctx context.Context, pool *pgxpool.Pool, s Settings) error
	// IdempotencyKeys says the service stores idempotency keys (platform/idempotency), which a background job
	// then expires after IDEMPOTENCY_KEY_TTL.
	IdempotencyKeys bool
	// Collectors are served on the metrics port with the server's own metrics.
	Collectors []prometheus.Collector
	// Commands are subcommands besides serve, migrate and env (`reporting rebuild`); each runs once on the
	// service's database and exits.
	Commands map[string]func(ctx context.Context, pool *pgxpool.Pool, s Settings) error
}

// Settings are every environment variable a service reads.
type Settings struct {
	DatabaseURL    string `env:"DATABASE_URL" help:"PostgreSQL URL of the service's own database"`
	MigrateOnStart bool   `env:"MIGRATE_ON_START" help:"apply migrations before serving (make run sets it; in Kubernetes a Job runs migrate instead)"`
	DemoData       bool   `env:"DEMO_DATA" help:"load the demo data into an empty database at start"`
	LogLevel       string `env:"LOG_LEVEL" help:"debug, info, warn or error"`
	Database       DatabaseSettings
	IdempotencyTTL time.Duration `env:"IDEMPOTENCY_KEY_TTL" help:"how long an Idempotency-Key and its answer are kept; a retry after that runs the request again"`
	Server         server.Settings
	Auth           AuthSettings
}

// DatabaseSettings bound the serving process's statements (see postgres.Timeouts).
type DatabaseSettings struct {
	StatementTimeout time.Duration `env:"DB_STATEMENT_TIMEOUT" help:"longest one statement of a request may run before it ends with 503 DATABASE_BUSY (0: no limit)"`
	LockTimeout      time.Duration `env:"DB_LOCK_TIMEOUT" help:"longest one statement may wait for a lock before it ends with 503 DATABASE_BUSY (0: no limit)"`
}

// Timeouts converts the settings to the postgres package's.
func (d DatabaseSettings) Timeouts() postgres.Timeouts {
	return postgres.Timeouts{Statement: d.StatementTimeout, Lock: d.LockTimeout}
}

// AuthSettings configure token verification (see platform/auth).
type AuthSettings struct {
	Mode       string   `env:"AUTH_MODE" help:"development (tokens signed with the key in AUTH_DEV_KEY_FILE) or oidc (tokens of AUTH_ISSUER, keys from AUTH_JWKS_URL)"`
	DevKeyFile string   `env:"AUTH_DEV_KEY_FILE" help:"development: the Ed25519 signing key, created when missing"`
	Issuer     string   `env:"AUTH_ISSUER" help:"the expected iss claim"`
	Audience   string   `env:"AUTH_AUDIENCE" help:"the expected aud claim"`
	JWKSURL    string   `env:"AUTH_JWKS_URL" help:"oidc: the issuer's JSON Web Key Set URL"`
	Algorithms []string `env:"AUTH_ALGORITHMS" help:"oidc: signature algorithms accepted (development accepts EdDSA only)"`
}

// DefaultAuthSettings are development-mode defaults shared by the services, the gateway's token tool and tests.
func DefaultAuthSettings() AuthSettings {
	return AuthSettings{
		Mode:       "development",
		DevKeyFile: ".run/dev-signing-key.pem",
		Issuer:     "partnerskap-dev",
		Audience:   "partnerskap",
		Algorithms: []string{"RS256", "ES256", "EdDSA"},
	}
}

// Config converts the settings to the auth package's configuration.
func (a AuthSettings) Config() auth.Config {
	cfg := auth.Config{Mode: a.Mode, DevKeyFile: a.DevKeyFile, Issuer: a.Issuer, Audience: a.Audience, JWKSURL: a.JWKSURL, Algorithms: a.Algorithms}
	if a.Mode == "development" {
		cfg.Algorithms = nil // the auth package allows EdDSA only in development
	}
	return cfg
}

// MinIdempotencyTTL is the shortest IDEMPOTENCY_KEY_TTL accepted: a key must outlive every retry of its
// request, and a TTL of zero or a typo in the unit would otherwise expire keys seconds old and let a retry
// run a payment twice.
const MinIdempotencyTTL = time.Hour

// validate refuses settings a service must not run with.
func (s Settings) validate() error {
	var errs []error
	if s.IdempotencyTTL < MinIdempotencyTTL {
		errs = append(errs, fmt.Errorf("IDEMPOTENCY_KEY_TTL is %v; it must be at least %v", s.IdempotencyTTL, MinIdempotencyTTL))
	}
	if s.Database.StatementTimeout < 0 || s.Database.LockTimeout < 0 {
		errs = append(errs, errors.New("DB_STATEMENT_TIMEOUT and DB_LOCK_TIMEOUT must not be negative (0: no limit)"))
	}
	return errors.Join(errs...)
}

// DefaultSettings returns the defaults of the service described by spec.
func DefaultSettings(spec Spec) Settings {
	return Settings{
		DatabaseURL: fmt.Sprintf("postgres://postgres@127.0.0.1:5432/partnerskap_%s?sslmode=disable", spec.Name),
		LogLevel:    "info",
		// A request's whole budget is the server's DEADLINE; one statement gets a fraction of it, and a lock
		// wait less still, so a blocked table answers 503 in seconds and frees its connection.
		Database:       DatabaseSettings{StatementTimeout: 10 * time.Second, LockTimeout: 3 * time.Second},
		IdempotencyTTL: 7 * 24 * time.Hour,
		Server:         server.DefaultSettings(spec.GRPCPort),
		Auth:           DefaultAuthSettings(),
	}
}

// Main runs the binary described by spec and exits.
func Main(spec Spec) {
	cmd := "serve"
	if len(os.Args) > 1 {
		cmd = os.Args[1]
	}
	settings := DefaultSettings(spec)
	if cmd == "env" {
		vars := config.Describe(&settings)
		if spec.Settings != nil {
			vars = append(vars, config.Describe(spec.Settings)...)
		}
		fmt.Print(config.Table(vars))
		return
	}
	err := config.Load(&settings)
	if err == nil && spec.Settings != nil {
		err = config.Load(spec.Settings)
	}
	if err == nil {
		err = settings.validate()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	slog.SetDefault(logging.New(os.Stderr, settings.LogLevel, spec.Name))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	switch command, own := spec.Commands[cmd]; {
	case cmd == "serve":
		err = serve(ctx, spec, settings)
	case cmd == "migrate":
		err = migrate(ctx, spec, settings)
	case own:
		err = runCommand(ctx, settings, command)
	default:
		names := []string{"serve", "migrate", "env"}
		for name := range spec.Commands {
			names = append(names, name)
		}
		sort.Strings(names[3:])
		err = fmt.Errorf("unknown command %q; want %s", cmd, strings.Join(names, ", "))
	}
	if err != nil {
		slog.Error("exiting", "error", err.Error())
		os.Exit(1)
	}
}

func runCommand(ctx context.Context, s Settings, command func(context.Context, *pgxpool.Pool, Settings) error) error {
	pool, err := postgres.Connect(ctx, s.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	return command(ctx, pool, s)
}

func migrate(ctx context.Context, spec Spec, s Settings) error {
	applied, err := schema.Migrate(ctx, s.DatabaseURL, spec.Migrations)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	slog.Info("migrated", "applied", applied)
	if spec.AfterMigrate == nil {
		return nil
	}
	pool, err := postgres.Connect(ctx, s.DatabaseURL)
	if err != nil {
		return fmt.Errorf("after migrate: %w", err)
	}
	defer pool.Close()
	if err := spec.AfterMigrate(ctx, pool); err != nil {
		return fmt.Errorf("after migrate: %w", err)
	}
	return nil
}

func serve(ctx context.Context, spec Spec, s Settings) error {
	if s.MigrateOnStart {
		if err := migrate(ctx, spec, s); err != nil {
			return err
		}
	}
	verifier, err := auth.NewVerifier(ctx, s.Auth.Config())
	if err != nil {
		return fmt.Errorf("token verification: %w", err)
	}
	// pgxpool connects lazily, so the service starts (NOT_SERVING) even while the database is down and
	// becomes SERVING when it appears.
	poolCfg, err := postgres.PoolConfig(s.DatabaseURL)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	s.Database.Timeouts().Apply(poolCfg)
	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		return fmt.Errorf("database pool: %w", err)
	}
	defer pool.Close()
	// Readiness has a one-connection pool of its own: when requests hold every connection of the main pool
	// (waiting on a locked table, say), the database still answers, and the service must not be reported
	// down and taken out of rotation for being busy.
	healthCfg := poolCfg.Copy()
	healthCfg.MaxConns, healthCfg.MinConns = 1, 0
	healthPool, err := pgxpool.NewWithConfig(ctx, healthCfg)
	if err != nil {
		return fmt.Errorf("database pool: %w", err)
	}
	defer healthPool.Close()
	if s.DemoData && spec.Seed != nil {
		if err := spec.Seed(ctx, pool); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	serveCtx, stopServing := context.WithCancel(ctx)
	defer stopServing()
	if spec.IdempotencyKeys {
		go idempotency.ExpireEvery(serveCtx, pool, s.IdempotencyTTL, expireInterval(s.IdempotencyTTL))
	}
	workerDone := make(chan error, 1)
	if spec.Worker != nil {
		go func() {
			err := spec.Worker(serveCtx, pool, s)
			if err != nil && serveCtx.Err() == nil {
				slog.Error("worker stopped", "error", err.Error())
				stopServing() // a service whose worker died is not doing its job: stop, and let it restart
			}
			workerDone <- err
		}()
	} else {
		close(workerDone)
	}
	var opened io.Closer
	defer func() {
		if opened != nil {
			if cerr := opened.Close(); cerr != nil {
				slog.Warn("closing what the service opened", "error", cerr.Error())
			}
		}
	}()
	err = server.Run(serveCtx, server.Options{
		Name:     spec.Name,
		Settings: s.Server,
		Verifier: verifier,
		Register: func(g *grpc.Server) error {
			c, err := spec.Register(g, pool, s)
			opened = c
			return err
		},
		Ready:      readiness(healthPool, spec.Migrations),
		Collectors: spec.Collectors,
	})
	stopServing()
	if werr := <-workerDone; werr != nil && ctx.Err() == nil && err == nil {
		err = fmt.Errorf("worker: %w", werr)
	}
	return err
}

// expireInterval is how often expired idempotency keys are looked for: often enough that a key outlives its
// TTL by a small fraction of it, never more often than once a minute.
func expireInterval(ttl time.Duration) time.Duration {
	return max(ttl/24, time.Minute)
}

// readiness is healthy when the database answers and has every migration applied.
func readiness(pool *pgxpool.Pool, migrations fs.FS) server.ReadyFunc {
	return func(ctx context.Context) error {
		if err := pool.Ping(ctx); err != nil {
			return errors.New("database unreachable")
		}
		pending, err := schema.Pending(ctx, pool, migrations)
		if err != nil {
			return fmt.Errorf("migration status: %w", err)
		}
		if pending {
			return errors.New("database has pending migrations; run migrate")
		}
		return nil
	}
}
