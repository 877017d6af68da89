package idempotency

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// expireBatch bounds one DELETE, so that expiring a large backlog never holds locks or a connection for long.
const expireBatch = 1000

// Expire deletes the keys older than ttl, a batch at a time, until none is left, and returns how many it
// deleted. A retry after ttl runs the request again, so ttl must outlast any client's retries (the default
// of 7 days does, by far).
func Expire(ctx context.Context, pool *pgxpool.Pool, ttl time.Duration) (int64, error) {
	cutoff := time.Now().Add(-ttl)
	var total int64
	for {
		tag, err := pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE ctid IN (
			SELECT ctid FROM idempotency_keys WHERE create_time < $1 LIMIT $2)`, cutoff, expireBatch)
		if err != nil {
			return total, fmt.Errorf("idempotency: expire keys: %w", err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < expireBatch {
			return total, nil
		}
	}
}

// ExpireEvery runs Expire every interval until ctx ends. A failure (the database away) is logged and tried
// again at the next interval: old keys waiting a little longer harm no one.
func ExpireEvery(ctx context.Context, pool *pgxpool.Pool, ttl, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := Expire(ctx, pool, ttl)
		switch {
		case err != nil && ctx.Err() == nil:
			slog.Warn("expiring idempotency keys", "error", err.Error())
		case n > 0:
			slog.Info("expired idempotency keys", "count", n)
		}
	}
}
