package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

// A transaction whose connection failed before COMMIT certainly rolled back, so InTx runs it again and the
// caller sees one success, not an outage.
func TestInTxRetriesATransactionTheDatabaseLost(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, migrations(t))
	calls := 0
	err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		calls++
		if _, err := tx.Exec(ctx, "INSERT INTO items (id, slug) VALUES (1, 'once')"); err != nil {
			return err
		}
		if calls == 1 {
			return io.ErrUnexpectedEOF // as pgx reports a connection that died mid-transaction
		}
		return nil
	})
	if err != nil || calls != 2 {
		t.Fatalf("InTx = %v after %d calls; want success after 2", err, calls)
	}
	if got := slugs(t, pool); len(got) != 1 {
		t.Fatalf("items %v, want exactly one", got)
	}
}

// An outage that outlasts the caller's deadline ends with the database's error, not a hang.
func TestInTxGivesUpAtTheDeadline(t *testing.T) {
	pool := pgtest.NewPool(t, migrations(t))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	calls := 0
	err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(pgx.Tx) error {
		calls++
		return io.ErrUnexpectedEOF
	})
	if !errors.Is(err, io.ErrUnexpectedEOF) || calls < 2 {
		t.Fatalf("InTx = %v after %d calls; want the outage's error after several attempts", err, calls)
	}
}

// A statement blocked by someone else's lock ends with a Busy error after lock_timeout, instead of holding its
// pooled connection for as long as the lock is held.
func TestLockTimeoutEndsABlockedStatement(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t, migrations(t))
	holder, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	tx, err := holder.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, "LOCK TABLE items IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}

	cfg, err := postgres.PoolConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	postgres.Timeouts{Statement: 5 * time.Second, Lock: 100 * time.Millisecond}.Apply(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	_, err = pool.Exec(ctx, "SELECT count(*) FROM items")
	if !postgres.Busy(ctx, err) {
		t.Fatalf("query on a locked table = %v, want a lock timeout (Busy)", err)
	}
	if postgres.Unreachable(err) {
		t.Fatalf("a lock timeout was taken for an unreachable database: %v", err)
	}
}

// A server that refuses connections is Unreachable, whichever layer reports it.
func TestRefusedConnectionIsUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cfg, err := postgres.PoolConfig("postgres://postgres@127.0.0.1:1/none?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	_, err = pool.Exec(ctx, "SELECT 1")
	if !postgres.Unreachable(err) {
		t.Fatalf("query against a closed port = %v, want Unreachable", err)
	}
}

// Database faults are UNAVAILABLE with one reason per condition, whatever layer wrapped them; other errors,
// and the caller's own deadline, pass unchanged.
func TestAsFaultNamesDatabaseFaults(t *testing.T) {
	cases := []struct {
		err    error
		reason string // "" for an error that must pass unchanged
	}{
		{fmt.Errorf("begin transaction: %w", &pgconn.ConnectError{}), fault.DatabaseUnavailable},
		{fmt.Errorf("list: %w", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}), fault.DatabaseUnavailable},
		{&pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}, fault.DatabaseUnavailable},
		{&pgconn.PgError{Code: "53300", Message: "sorry, too many clients already"}, fault.DatabaseUnavailable},
		{&pgconn.PgError{Code: "08006", Message: "connection failure"}, fault.DatabaseUnavailable},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), fault.DatabaseUnavailable},
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, fault.DatabaseUnavailable},
		{&pgconn.PgError{Code: "55P03", Message: "canceling statement due to lock timeout"}, fault.DatabaseBusy},
		{&pgconn.PgError{Code: "57014", Message: "canceling statement due to statement timeout"}, fault.DatabaseBusy},
		{&pgconn.PgError{Code: "25006", Message: "cannot execute INSERT in a read-only transaction"}, fault.DatabaseUnavailable},
		{fmt.Errorf("commit transaction: %w", &pgconn.PgError{Code: "40001", Message: "could not serialize access"}), fault.DatabaseBusy},
		{&pgconn.PgError{Code: "23502", Message: "null value in column"}, ""},
		{errors.New("a bug"), ""},
	}
	for _, tc := range cases {
		got := postgres.AsFault(context.Background(), tc.err)
		var u *fault.Unavailable
		switch {
		case tc.reason == "" && got != tc.err:
			t.Errorf("%v became %v, want it unchanged", tc.err, got)
		case tc.reason != "" && (!errors.As(got, &u) || u.Reason != tc.reason || u.Cause != tc.err):
			t.Errorf("%v became %v, want UNAVAILABLE %s with the error as its cause", tc.err, got, tc.reason)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cut := &pgconn.PgError{Code: "57014", Message: "canceling statement due to user request"}
	if got := postgres.AsFault(ctx, cut); got != cut {
		t.Errorf("a statement the caller's own cancellation cut short became %v, want it unchanged", got)
	}
}
