package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TxRetries is how many times InTx runs fn again after a serialization failure or deadlock. Such failures
// are PostgreSQL asking the client to retry; a few attempts clear almost all real contention, and a bound
// keeps a pathological hot row from spinning forever.
const TxRetries = 3

// OutageRetryWindow is how long InTx keeps retrying a transaction that failed because the database could not
// be reached (refused, restarting, shutting down, connection lost) before it could commit. A restart of
// PostgreSQL takes about a second; retrying for a few seconds hides it from clients, and the bound (shortened
// by the caller's deadline) makes a real outage answer 503 quickly instead of piling up waiting calls.
const OutageRetryWindow = 5 * time.Second

// InTx runs fn inside one transaction begun with opts, commits when fn returns nil and rolls back otherwise
// (the rollback is deferred, so a panic in fn also releases the transaction). fn must have no effects
// outside tx that it would be wrong to repeat, because InTx runs the whole of fn again in a new transaction
// when the first one certainly did not commit:
//
//   - after serialization_failure (40001) or deadlock_detected (40P01), from fn or from the commit, up to
//     TxRetries times;
//   - after the database could not be reached at BEGIN or while fn ran (the server rolls back a transaction
//     whose connection is gone), with a growing backoff for up to OutageRetryWindow. A connection lost during
//     COMMIT is not retried: the commit may have happened, and only the caller (with its Idempotency-Key) can
//     safely ask again.
func InTx(ctx context.Context, pool *pgxpool.Pool, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	start := time.Now()
	conflicts := 0
	// outage is the last error that made InTx wait for the database: when the caller's deadline then ends an
	// attempt midway (at BEGIN, say), the answer still says what the database was doing.
	var outage error
	for attempt := 0; ; attempt++ {
		stage, err := runTx(ctx, pool, opts, fn)
		var wait time.Duration
		switch {
		case err == nil:
			return nil
		case retryable(err) && conflicts < TxRetries:
			conflicts++
			wait = conflictBackoff(conflicts)
		case stage != stageCommit && Unreachable(err) && ctx.Err() == nil:
			outage = err
			wait = OutageBackoff(attempt)
			if time.Since(start)+wait > OutageRetryWindow {
				return err
			}
		case outage != nil && ctx.Err() != nil:
			return errors.Join(outage, err)
		default:
			return err
		}
		if werr := Sleep(ctx, wait); werr != nil {
			return errors.Join(err, werr)
		}
	}
}

// The stages of one transaction, to tell a failure that certainly rolled back from one that may have
// committed.
type txStage int

const (
	stageBegin txStage = iota
	stageRun
	stageCommit
)

// runTx is one attempt of InTx.
func runTx(ctx context.Context, pool *pgxpool.Pool, opts pgx.TxOptions, fn func(pgx.Tx) error) (txStage, error) {
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return stageBegin, fmt.Errorf("begin transaction: %w", err)
	}
	// After a successful Commit this is a no-op. WithoutCancel: a cancelled ctx must not leave the
	// connection returned to the pool inside an open transaction.
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(tx); err != nil {
		return stageRun, err
	}
	if err := tx.Commit(ctx); err != nil {
		return stageCommit, fmt.Errorf("commit transaction: %w", err)
	}
	return stageCommit, nil
}

// retryable reports whether PostgreSQL asked for the transaction to be run again.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == codeSerializationFailure || pgErr.Code == codeDeadlockDetected
}

// conflictBackoff is a short, randomised and growing wait before the n-th retry after a conflict, so that two
// transactions that just collided do not collide again in lockstep.
func conflictBackoff(n int) time.Duration {
	return time.Duration(1+rand.IntN(5*n)) * time.Millisecond
}

// OutageBackoff is the wait before retry attempt+1 after the database could not be reached: 50 ms doubling to
// at most a second, with jitter so that a service's callers do not all reconnect in the same instant.
func OutageBackoff(attempt int) time.Duration {
	d := 50 * time.Millisecond << min(attempt, 5)
	d = min(d, time.Second)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// Sleep waits d, returning early with ctx's error when ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
