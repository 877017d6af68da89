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

// InTx runs fn inside one transaction begun with opts, commits when fn returns nil and rolls back otherwise
// (the rollback is deferred, so a panic in fn also releases the transaction). When the transaction fails
// with serialization_failure (40001) or deadlock_detected (40P01), whether from fn or from the commit, InTx
// runs the whole of fn again in a new transaction, up to TxRetries times. fn must therefore have no effects
// outside tx that it would be wrong to repeat.
func InTx(ctx context.Context, pool *pgxpool.Pool, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	var err error
	for attempt := 0; ; attempt++ {
		err = runTx(ctx, pool, opts, fn)
		if err == nil || !retryable(err) || attempt == TxRetries {
			return err
		}
		if werr := backoff(ctx, attempt); werr != nil {
			return errors.Join(err, werr)
		}
	}
}

// runTx is one attempt of InTx.
func runTx(ctx context.Context, pool *pgxpool.Pool, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	// After a successful Commit this is a no-op. WithoutCancel: a cancelled ctx must not leave the
	// connection returned to the pool inside an open transaction.
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil
}

// retryable reports whether PostgreSQL asked for the transaction to be run again.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == codeSerializationFailure || pgErr.Code == codeDeadlockDetected
}

// backoff waits a short, randomised and growing time before attempt+1, so that two transactions that just
// collided do not collide again in lockstep. It returns early when ctx ends.
func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(1+rand.IntN(5*(attempt+1))) * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
