package postgres_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

var serializable = pgx.TxOptions{IsoLevel: pgx.Serializable}

func TestInTxCommitsAndRollsBack(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, migrations(t))
	if err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO items (id, slug) VALUES (1, 'kept')")
		return err
	}); err != nil {
		t.Fatalf("InTx commit: %v", err)
	}

	errRefused := errors.New("refused")
	calls := 0
	err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		calls++
		if _, err := tx.Exec(ctx, "INSERT INTO items (id, slug) VALUES (2, 'dropped')"); err != nil {
			return err
		}
		return errRefused
	})
	if !errors.Is(err, errRefused) || calls != 1 {
		t.Fatalf("InTx with failing fn = %v after %d calls; want %v after 1 call", err, calls, errRefused)
	}

	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("InTx swallowed fn's panic")
			}
		}()
		_ = postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO items (id, slug) VALUES (3, 'panicked')"); err != nil {
				return err
			}
			panic("boom")
		})
	}()

	if got := slugs(t, pool); len(got) != 1 || got[0] != "kept" {
		t.Fatalf("items after commit, rollback and panic = %v, want [kept]", got)
	}
}

// bumpConcurrently commits n += 10 on counter 1 from a second SERIALIZABLE transaction, which makes the
// caller's serializable transaction, whose snapshot predates it, fail with serialization_failure when it
// writes the same row.
func bumpConcurrently(ctx context.Context, pool *pgxpool.Pool) error {
	return postgres.InTx(ctx, pool, serializable, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "UPDATE counters SET n = n + 10 WHERE id = 1")
		return err
	})
}

func TestInTxRetriesSerializationFailure(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, migrations(t))
	attempts := 0
	err := postgres.InTx(ctx, pool, serializable, func(tx pgx.Tx) error {
		attempts++
		var n int
		if err := tx.QueryRow(ctx, "SELECT n FROM counters WHERE id = 1").Scan(&n); err != nil {
			return err
		}
		if attempts == 1 {
			if err := bumpConcurrently(ctx, pool); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, "UPDATE counters SET n = $1 WHERE id = 1", n+1)
		return err
	})
	if err != nil || attempts != 2 {
		t.Fatalf("InTx = %v after %d attempts; want success on attempt 2", err, attempts)
	}
	if n := counter(t, pool, 1); n != 11 {
		t.Fatalf("counter = %d, want 11 (10 from the other transaction, 1 from the retried one)", n)
	}
}

func TestInTxGivesUpAfterRetries(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, migrations(t))
	attempts := 0
	err := postgres.InTx(ctx, pool, serializable, func(tx pgx.Tx) error {
		attempts++
		if _, err := tx.Exec(ctx, "SELECT n FROM counters WHERE id = 1"); err != nil {
			return err
		}
		if err := bumpConcurrently(ctx, pool); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE counters SET n = n + 1 WHERE id = 1")
		return err
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "40001" {
		t.Fatalf("InTx = %v, want serialization_failure (40001)", err)
	}
	if want := postgres.TxRetries + 1; attempts != want {
		t.Fatalf("attempts = %d, want %d (one try plus %d retries)", attempts, want, postgres.TxRetries)
	}
	if n := counter(t, pool, 1); n != 10*attempts {
		t.Fatalf("counter = %d, want %d (only the interfering transactions committed)", n, 10*attempts)
	}
}

func TestInTxRetriesDeadlock(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pool := pgtest.NewPool(t, migrations(t))
	var attempts atomic.Int32
	// Each transaction locks its first row, waits until the other has locked its own, then reaches for the
	// other's row: a textbook deadlock on the first attempt. PostgreSQL aborts one with 40P01 and InTx
	// must run that one again.
	locked := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	move := func(me, first, second int) error {
		try := 0
		return postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			try++
			attempts.Add(1)
			if _, err := tx.Exec(ctx, "UPDATE counters SET n = n + 1 WHERE id = $1", first); err != nil {
				return err
			}
			if try == 1 {
				close(locked[me])
				select {
				case <-locked[1-me]:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			_, err := tx.Exec(ctx, "UPDATE counters SET n = n + 1 WHERE id = $1", second)
			return err
		})
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = move(0, 1, 2) })
	wg.Go(func() { errs[1] = move(1, 2, 1) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("InTx: %v", err)
	}
	if got := attempts.Load(); got != 3 {
		t.Fatalf("attempts = %d, want 3 (the deadlock victim retried once)", got)
	}
	if a, b := counter(t, pool, 1), counter(t, pool, 2); a != 2 || b != 2 {
		t.Fatalf("counters = %d, %d; want 2, 2 (both transactions committed once)", a, b)
	}
}

func counter(t testing.TB, pool *pgxpool.Pool, id int) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT n FROM counters WHERE id = $1", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func slugs(t testing.TB, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, _ := pool.Query(context.Background(), "SELECT slug FROM items ORDER BY id")
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return got
}
