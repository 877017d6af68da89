package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PartnershipSummary is one line of the partnership read model.
type PartnershipSummary struct {
	PartnershipID      string
	Title              string
	State              string
	SwedishOrgID       string
	InternationalOrgID string
	// AsOfTime is the time of the newest event the line reflects.
	AsOfTime time.Time
}

// SummaryFilter narrows a list of summaries; zero fields do not filter.
type SummaryFilter struct {
	// VisibleTo, when set, keeps only the partnerships this organisation is a party to: the scope of a member
	// or partner.
	VisibleTo string
}

// ListPartnershipSummaries returns up to limit summaries after the partnership id after, in id order (the
// partnership service's ids are time-ordered UUIDs, so this is oldest first).
func ListPartnershipSummaries(ctx context.Context, q Querier, f SummaryFilter, after string, limit int) ([]PartnershipSummary, error) {
	rows, err := q.Query(ctx, `SELECT partnership_id, title, state, swedish_organization_id,
		international_organization_id, as_of_time
		FROM partnership_summaries
		WHERE ($1 = '' OR swedish_organization_id = NULLIF($1, '')::uuid OR international_organization_id = NULLIF($1, '')::uuid)
		  AND ($2 = '' OR partnership_id > NULLIF($2, '')::uuid)
		ORDER BY partnership_id LIMIT $3`, f.VisibleTo, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list partnership summaries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (PartnershipSummary, error) {
		var s PartnershipSummary
		err := r.Scan(&s.PartnershipID, &s.Title, &s.State, &s.SwedishOrgID, &s.InternationalOrgID, &s.AsOfTime)
		return s, err
	})
}
