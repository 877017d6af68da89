package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultMaxConns is the pool size when the URL does not say pool_max_conns. pgxpool's own default follows
// the CPU count, which on a 2-core machine starves a service that holds one connection per streaming Watch.
const DefaultMaxConns = 10

// DefaultConnectTimeout bounds each new connection when the URL has no connect_timeout, so that a server
// that vanished makes calls fail fast instead of hanging until the caller's deadline (if it has one).
const DefaultConnectTimeout = 5 * time.Second

// PostgreSQL error codes this package and its callers act on.
const (
	codeUniqueViolation      = "23505"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeDuplicateDatabase    = "42P04"
)

// WithDatabase returns url with its database name replaced by name. User, password, host, port and query
// parameters stay as they are, which is how each service derives its own database from the one server URL
// that Locate returns. Only URL syntax (postgres:// or postgresql://) is accepted: keyword/value strings
// cannot be rewritten reliably, and DATABASE_URL is documented as a URL.
func WithDatabase(rawURL, name string) (string, error) {
	if name == "" {
		return "", errors.New("database name is empty")
	}
	u, err := parseURL(rawURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// parseURL parses a PostgreSQL connection URL and refuses anything else.
func parseURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error repeats the URL, which may hold a password.
		return nil, errors.New("database URL is not a valid URL (want postgres://user@host:port/dbname)")
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("database URL has scheme %q, want postgres:// or postgresql://", u.Scheme)
	}
	return u, nil
}

// EnsureDatabase creates database name on the server at serverURL unless it already exists. It connects to
// the database serverURL itself names, because CREATE DATABASE must run from some other database. Two
// processes may call it at once: losing the race to create counts as success.
func EnsureDatabase(ctx context.Context, serverURL, name string) error {
	cfg, err := connConfig(serverURL)
	if err != nil {
		return fmt.Errorf("ensure database %s: %w", name, err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("ensure database %s: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil {
		return fmt.Errorf("ensure database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == codeDuplicateDatabase || pgErr.Code == codeUniqueViolation) {
		// Another process created it between our check and our CREATE (the catalog's unique index
		// reports the race as 23505 rather than 42P04).
		return nil
	}
	if err != nil {
		return fmt.Errorf("ensure database %s: %w", name, err)
	}
	return nil
}

// Connect opens a pgxpool on url and pings it, so a wrong URL fails at start-up rather than on the first
// request. Settings in the URL win (see PoolConfig); otherwise the pool holds at most DefaultMaxConns connections and each
// connection attempt gives up after DefaultConnectTimeout.
func Connect(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := PoolConfig(url)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database %s on %s:%d: %w",
			cfg.ConnConfig.Database, cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	return pool, nil
}

// connConfig parses url for a single connection. It goes through pgxpool's parser so that pool_* settings
// in a DATABASE_URL meant for Connect are dropped instead of being sent to the server as unknown runtime
// parameters.
func connConfig(url string) (*pgx.ConnConfig, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	return cfg.ConnConfig, nil
}

// UniqueViolation reports whether err (or any error it wraps) is a unique_violation, and names the
// constraint that was broken, so that a store can turn "slug already taken" into a precise fault instead of
// an internal error.
func UniqueViolation(err error) (constraint string, ok bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation {
		return pgErr.ConstraintName, true
	}
	return "", false
}

// PoolConfig is the pool configuration of url: settings in the URL win; otherwise the pool holds at most
// DefaultMaxConns connections and each connection attempt gives up after DefaultConnectTimeout.
func PoolConfig(url string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	// A service writes, so a connection must reach a primary: after a failover, a name that still points at
	// the old primary (now a standby) would otherwise give connections every write of which fails. Refused,
	// the connection counts as the database being unreachable, and the caller retries or answers 503.
	if !strings.Contains(url, "target_session_attrs") {
		cfg.ConnConfig.ValidateConnect = pgconn.ValidateConnectTargetSessionAttrsReadWrite
	}
	return cfg, nil
}

// Timeouts bound one statement of a serving process, so that a table locked by someone else or a runaway
// query ends in seconds with a clear answer (see Busy) instead of holding a pooled connection until every
// other call waits behind it. Zero leaves PostgreSQL's setting (no limit). Migrations and one-off commands
// (`reporting rebuild`) connect without them: their statements may rightly run long.
type Timeouts struct {
	// Statement is statement_timeout: the longest one statement may run.
	Statement time.Duration
	// Lock is lock_timeout: the longest one statement may wait for a lock.
	Lock time.Duration
}

// Apply sets the timeouts as run-time parameters of every connection cfg makes. A value already in the
// database URL wins, so an operator can still tune one service through its DATABASE_URL.
func (t Timeouts) Apply(cfg *pgxpool.Config) {
	set := func(name string, d time.Duration) {
		if _, inURL := cfg.ConnConfig.RuntimeParams[name]; inURL || d <= 0 {
			return
		}
		cfg.ConnConfig.RuntimeParams[name] = fmt.Sprintf("%dms", d.Milliseconds())
	}
	set("statement_timeout", t.Statement)
	set("lock_timeout", t.Lock)
}
