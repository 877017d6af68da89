// Package store keeps the finance service's data in PostgreSQL. Reads take a Querier, so the same function
// runs on the pool or inside a caller's transaction.
package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Querier is a pool or a transaction: all a read needs. Writes arrive with the domain, and with them the
// rest of pgx's methods.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}
