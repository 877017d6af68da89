package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
)

// Grant is Sida's grant for a year, with what approved budgets commit of it.
type Grant struct {
	ID             string
	Year           int
	AmountMinor    int64
	CommittedMinor int64
	Meta
}

const grantColumns = `g.id, g.year, g.amount_minor, COALESCE(c.committed, 0)::bigint, g.version, g.create_time, g.update_time, g.creator, g.updater`

// committedByYear is a CTE of what every budget's approved revision commits per year.
const committedByYear = `committed_by_year AS (
	SELECT bl.year, sum(bl.amount_minor) AS committed
	FROM budgets b JOIN budget_lines bl ON bl.budget_id = b.id AND bl.revision = b.approved_revision
	WHERE b.approved_revision > 0
	GROUP BY bl.year
)`

func scanGrant(row pgx.Row) (Grant, error) {
	var g Grant
	err := row.Scan(&g.ID, &g.Year, &g.AmountMinor, &g.CommittedMinor, &g.Version, &g.CreateTime, &g.UpdateTime, &g.Creator, &g.Updater)
	return g, err
}

// CreateGrant records the grant of a year, moving its amount into the commitments account; a year has one.
func CreateGrant(ctx context.Context, tx pgx.Tx, year int, amountMinor int64, ledger *domain.Transaction, a Actor) (Grant, error) {
	at := record.Now()
	id := record.NewID()
	tag, err := tx.Exec(ctx, `INSERT INTO grants (id, year, amount_minor, create_time, update_time, creator, updater)
		VALUES ($1, $2, $3, $4, $4, $5, $5) ON CONFLICT (year) DO NOTHING`, id, year, amountMinor, at, a.Subject)
	if err != nil {
		return Grant{}, fmt.Errorf("record the grant of %d: %w", year, err)
	}
	if tag.RowsAffected() == 0 {
		return Grant{}, &fault.Conflict{Reason: "GRANT_EXISTS", AlreadyExists: true, Field: "grant.year",
			Message: fmt.Sprintf("the grant of %d is recorded already; change it with PATCH /v1/grants/%d", year, year)}
	}
	if err := record.Audit(ctx, tx, a, at, "create", "grant", id, fmt.Sprintf("%d: %d öre", year, amountMinor)); err != nil {
		return Grant{}, err
	}
	if ledger != nil {
		if _, err := AppendLedger(ctx, tx, *ledger); err != nil {
			return Grant{}, err
		}
	}
	return GetGrant(ctx, tx, year)
}

// GetGrant reads the grant of a year.
func GetGrant(ctx context.Context, q Querier, year int) (Grant, error) {
	rows, err := q.Query(ctx, `WITH `+committedByYear+` SELECT `+grantColumns+` FROM grants g
		LEFT JOIN committed_by_year c ON c.year = g.year WHERE g.year = $1`, year)
	if err != nil {
		return Grant{}, fmt.Errorf("read the grant of %d: %w", year, err)
	}
	g, err := pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (Grant, error) { return scanGrant(r) })
	return g, record.NotFound(err, "grant", fmt.Sprint(year))
}

// ListGrants returns up to limit grants after the year after, by year.
func ListGrants(ctx context.Context, q Querier, after, limit int) ([]Grant, error) {
	rows, err := q.Query(ctx, `WITH `+committedByYear+` SELECT `+grantColumns+` FROM grants g
		LEFT JOIN committed_by_year c ON c.year = g.year WHERE g.year > $1 ORDER BY g.year LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list grants: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Grant, error) { return scanGrant(r) })
}

// UpdateGrant changes a year's grant under its row lock, moving the difference into or out of commitments;
// it refuses to go below what approved budgets commit of the year.
func UpdateGrant(ctx context.Context, tx pgx.Tx, year int, etag string, amountMinor int64, ledgerFor func(deltaMinor int64) *domain.Transaction, a Actor) (Grant, error) {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM grants WHERE year = $1 FOR UPDATE`, year); err != nil {
		return Grant{}, fmt.Errorf("lock the grant of %d: %w", year, err)
	}
	current, err := GetGrant(ctx, tx, year)
	if err != nil {
		return current, err
	}
	if err := record.CheckETag("grant", current.Version, etag); err != nil {
		return current, err
	}
	if amountMinor < current.CommittedMinor {
		msg := fmt.Sprintf("approved budgets commit %s of %d already; the grant cannot go below that", sek(current.CommittedMinor), year)
		return current, &fault.FailedPrecondition{Reason: domain.ReasonGrantExceeded, Message: msg,
			Violations: []fault.PreconditionViolation{{Type: domain.ReasonGrantExceeded, Subject: fmt.Sprintf("grants/%d", year), Description: msg}}}
	}
	at := record.Now()
	if _, err := tx.Exec(ctx, `UPDATE grants SET amount_minor = $2, version = version + 1, update_time = $3, updater = $4 WHERE year = $1`,
		year, amountMinor, at, a.Subject); err != nil {
		return current, fmt.Errorf("update the grant of %d: %w", year, err)
	}
	if err := record.Audit(ctx, tx, a, at, "update", "grant", current.ID, fmt.Sprintf("%d: %d öre", year, amountMinor)); err != nil {
		return current, err
	}
	if delta := amountMinor - current.AmountMinor; delta != 0 {
		if _, err := AppendLedger(ctx, tx, *ledgerFor(delta)); err != nil {
			return current, err
		}
	}
	return GetGrant(ctx, tx, year)
}

// Envelope reads what a budget approval is checked against, under the row locks of the years' grants so that
// concurrent approvals of one year see each other: the grants of years, and what the other budgets' approved
// revisions commit per year (budgetID's own approved revision left out).
func Envelope(ctx context.Context, tx pgx.Tx, budgetID string, years []int) (grants, others map[int]int64, err error) {
	grants, others = map[int]int64{}, map[int]int64{}
	rows, err := tx.Query(ctx, `SELECT year, amount_minor FROM grants WHERE year = ANY($1) ORDER BY year FOR UPDATE`, years)
	if err != nil {
		return nil, nil, fmt.Errorf("lock grants: %w", err)
	}
	for rows.Next() {
		var y int
		var amount int64
		if err := rows.Scan(&y, &amount); err != nil {
			rows.Close()
			return nil, nil, err
		}
		grants[y] = amount
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = tx.Query(ctx, `SELECT bl.year, sum(bl.amount_minor)::bigint
		FROM budgets b JOIN budget_lines bl ON bl.budget_id = b.id AND bl.revision = b.approved_revision
		WHERE b.approved_revision > 0 AND b.id <> $1 AND bl.year = ANY($2) GROUP BY bl.year`, budgetID, years)
	if err != nil {
		return nil, nil, fmt.Errorf("commitments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var y int
		var sum int64
		if err := rows.Scan(&y, &sum); err != nil {
			return nil, nil, err
		}
		others[y] = sum
	}
	return grants, others, rows.Err()
}

// PlanYear is the programme's money in one year.
type PlanYear struct {
	Year                     int
	Grant                    *int64
	Committed, Claimed, Paid int64
}

// Plan reads the programme's money per year, from to to.
func Plan(ctx context.Context, q Querier, from, to int) ([]PlanYear, error) {
	rows, err := q.Query(ctx, `WITH `+committedByYear+`, claimed AS (
			SELECT extract(year FROM cl.cost_date)::int AS year, sum(COALESCE(cl.approved_minor, 0)) AS approved,
				sum(CASE WHEN c.state = 'paid' THEN COALESCE(cl.approved_minor, 0) ELSE 0 END) AS paid
			FROM claims c JOIN claim_lines cl ON cl.claim_id = c.id
			WHERE c.state IN ('approved', 'partly_approved', 'paid')
			GROUP BY 1
		)
		SELECT y, g.amount_minor, COALESCE(c.committed, 0)::bigint, COALESCE(cl.approved, 0)::bigint, COALESCE(cl.paid, 0)::bigint
		FROM generate_series($1::int, $2::int) AS y
		LEFT JOIN grants g ON g.year = y
		LEFT JOIN committed_by_year c ON c.year = y
		LEFT JOIN claimed cl ON cl.year = y
		ORDER BY y`, from, to)
	if err != nil {
		return nil, fmt.Errorf("programme plan: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (PlanYear, error) {
		var p PlanYear
		return p, r.Scan(&p.Year, &p.Grant, &p.Committed, &p.Claimed, &p.Paid)
	})
}
