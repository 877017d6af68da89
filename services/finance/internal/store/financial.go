package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// FinancialLine is one budget line in one year: what the approved revision holds, and what claims asked, got
// approved and were paid for costs of that year.
type FinancialLine struct {
	BudgetID, LineID, Category        string
	Year                              int
	Budgeted, Claimed, Approved, Paid int64
}

// FinancialReport reads an application's approved budgets the scope may see, per line and year (year 0: every
// year). Drafts are not claimed yet; a rejected claim counts as claimed with nothing approved.
func FinancialReport(ctx context.Context, q Querier, scope, partnershipID, applicationID string, year int) ([]FinancialLine, error) {
	rows, err := q.Query(ctx, `WITH lines AS (
			SELECT bl.budget_id, bl.line_id, bl.category, bl.year, bl.amount_minor, bl.position
			FROM budgets b JOIN budget_lines bl ON bl.budget_id = b.id AND bl.revision = b.approved_revision
			WHERE `+visibleAs("b", "$1")+` AND b.partnership_id = $2 AND b.application_id = $3 AND b.approved_revision > 0
				AND ($4 = 0 OR bl.year = $4)
		), claimed AS (
			SELECT c.budget_id, cl.budget_line_id AS line_id, extract(year FROM cl.cost_date)::int AS year,
				sum(cl.sek_minor) AS claimed, sum(COALESCE(cl.approved_minor, 0)) AS approved,
				sum(CASE WHEN c.state = 'paid' THEN COALESCE(cl.approved_minor, 0) ELSE 0 END) AS paid
			FROM claims c JOIN claim_lines cl ON cl.claim_id = c.id
			WHERE c.budget_id IN (SELECT budget_id FROM lines) AND c.state <> 'draft'
			GROUP BY 1, 2, 3
		)
		SELECT l.budget_id::text, l.line_id, l.category, l.year, l.amount_minor, COALESCE(c.claimed, 0)::bigint,
			COALESCE(c.approved, 0)::bigint, COALESCE(c.paid, 0)::bigint
		FROM lines l LEFT JOIN claimed c ON c.budget_id = l.budget_id AND c.line_id = l.line_id AND c.year = l.year
		ORDER BY l.budget_id, l.year, l.position`, scope, partnershipID, applicationID, year)
	if err != nil {
		return nil, fmt.Errorf("financial report: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (FinancialLine, error) {
		var l FinancialLine
		return l, r.Scan(&l.BudgetID, &l.LineID, &l.Category, &l.Year, &l.Budgeted, &l.Claimed, &l.Approved, &l.Paid)
	})
}
