// Package store keeps the partnership service's data in PostgreSQL. Its functions take the transaction they
// run in, so a caller can put a write, its audit record, its history and its idempotency record in one
// transaction; reads take anything that can query. What every service's store does around a write (ids, write
// times, the audit log, etags, NOT_FOUND) is platform/record's.
package store

import (
	"github.com/partnerskap/partnerskap/platform/record"
)

// Querier is a pool or a transaction.
type Querier = record.Querier

// Actor is who makes a change, for the audit log and the row's creator/updater.
type Actor = record.Actor

// Meta is the bookkeeping every stored resource carries.
type Meta = record.Meta
