package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Budget is a stored budget.
type Budget struct {
	ID                 string
	PartnershipID      string
	SwedishOrgID       string
	InternationalOrgID string
	// State is the lower-case word of the API's BudgetState ("draft", "approved", ...).
	State string
	// TotalMinor is the amount in minor units of CurrencyCode (öre for SEK).
	TotalMinor   int64
	CurrencyCode string
	CreateTime   time.Time
	UpdateTime   time.Time
	Creator      string
}

// BudgetFilter narrows a list of budgets; zero fields do not filter.
type BudgetFilter struct {
	// VisibleTo, when set, keeps only the budgets of partnerships this organisation is a party to: the scope of
	// a member or partner.
	VisibleTo string
}

// ListBudgets returns up to limit budgets after the id after, in id order (ids are time-ordered UUIDs, so
// this is oldest first).
func ListBudgets(ctx context.Context, q Querier, f BudgetFilter, after string, limit int) ([]Budget, error) {
	rows, err := q.Query(ctx, `SELECT id, partnership_id, swedish_organization_id, international_organization_id,
		state, total_minor, currency_code, create_time, update_time, creator
		FROM budgets
		WHERE ($1 = '' OR swedish_organization_id = NULLIF($1, '')::uuid OR international_organization_id = NULLIF($1, '')::uuid)
		  AND ($2 = '' OR id > NULLIF($2, '')::uuid)
		ORDER BY id LIMIT $3`, f.VisibleTo, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list budgets: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Budget, error) {
		var b Budget
		err := r.Scan(&b.ID, &b.PartnershipID, &b.SwedishOrgID, &b.InternationalOrgID, &b.State, &b.TotalMinor,
			&b.CurrencyCode, &b.CreateTime, &b.UpdateTime, &b.Creator)
		return b, err
	})
}
