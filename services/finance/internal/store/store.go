// Package store keeps the finance service's data in PostgreSQL. Its functions take the transaction or pool they
// run on, so that a write, its ledger transaction, its audit record and its idempotency record commit together.
// Functions named Lock… read a row FOR UPDATE; callers lock in one order (budget or claim or batch, then budget
// line spend rows by line id, then the ledger head last), so concurrent writers queue and never deadlock.
package store

import (
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// Querier is a pool or a transaction.
type Querier = record.Querier

// Actor is who makes a change.
type Actor = record.Actor

// Meta is the bookkeeping every stored resource carries.
type Meta = record.Meta

func sek(minor int64) money.Amount { return money.SEKOre(minor) }

// nullableDate reads a nullable DATE column; NULL is the zero Date.
func nullableDate(t *time.Time) domain.Date {
	if t == nil {
		return domain.Date{}
	}
	return civil.DateFromTime(*t)
}

// dateArg writes a Date for a nullable DATE column: the zero Date is NULL.
func dateArg(d domain.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}
