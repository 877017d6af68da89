// Package store keeps the network service's data in PostgreSQL. Its functions take the transaction or pool
// they run on, so a caller can put a write, its audit record and its idempotency record in one transaction.
// What every service's store does around a write (ids, write times, the audit log, etags, NOT_FOUND) is
// platform/record's.
package store

import (
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
)

// Querier is a pool or a transaction.
type Querier = record.Querier

// Actor is who makes a change, for the audit log and the row's creator/updater.
type Actor = record.Actor

// dateOfNullable reads a nullable DATE column; NULL is the zero Date.
func dateOfNullable(t *time.Time) domain.Date {
	if t == nil {
		return domain.Date{}
	}
	return civil.DateFromTime(*t)
}
