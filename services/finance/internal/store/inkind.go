package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// InKind is a stored in-kind contribution.
type InKind struct {
	ID                 string
	BudgetID           string
	PartnershipID      string
	SwedishOrgID       string
	InternationalOrgID string
	Date               domain.Date
	PersonRole         string
	Activity           string
	Hours              int
	HourlyRate         money.Amount
	Value              money.Amount
	CreateTime         time.Time
	Creator            string
}

// InKindFilter narrows a list; zero fields do not filter.
type InKindFilter struct {
	VisibleTo string
	BudgetID  string
}

// CreateInKind stores a contribution to budget b.
func CreateInKind(ctx context.Context, tx pgx.Tx, b Budget, k InKind, a Actor) (InKind, error) {
	k.ID, k.BudgetID, k.PartnershipID = record.NewID(), b.ID, b.Application.PartnershipID
	k.SwedishOrgID, k.InternationalOrgID = b.Application.SwedishOrgID, b.Application.InternationalOrgID
	k.CreateTime, k.Creator = record.Now(), a.Subject
	if _, err := tx.Exec(ctx, `INSERT INTO in_kind_contributions (id, budget_id, partnership_id, swedish_organization_id,
		international_organization_id, work_date, person_role, activity, hours, hourly_rate_minor, value_minor, create_time, creator)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, k.ID, k.BudgetID, k.PartnershipID, k.SwedishOrgID,
		k.InternationalOrgID, k.Date.Time(), k.PersonRole, k.Activity, k.Hours, k.HourlyRate.Minor, k.Value.Minor, k.CreateTime, k.Creator); err != nil {
		return InKind{}, fmt.Errorf("insert in-kind contribution: %w", err)
	}
	if err := record.Audit(ctx, tx, a, k.CreateTime, "create", "in_kind_contribution", k.ID, fmt.Sprintf("%d hours", k.Hours)); err != nil {
		return InKind{}, err
	}
	return k, inKindRecorded(ctx, tx, k, a)
}

// ListInKind returns up to limit contributions after the id after, oldest first.
func ListInKind(ctx context.Context, q Querier, f InKindFilter, after string, limit int) ([]InKind, error) {
	rows, err := q.Query(ctx, `SELECT id, budget_id, partnership_id, swedish_organization_id, international_organization_id,
		work_date, person_role, activity, hours, hourly_rate_minor, value_minor, create_time, creator
		FROM in_kind_contributions WHERE `+visible+` AND ($2 = '' OR id > NULLIF($2, '')::uuid)
		  AND ($3 = '' OR budget_id = NULLIF($3, '')::uuid) ORDER BY id LIMIT $4`, f.VisibleTo, after, f.BudgetID, limit)
	if err != nil {
		return nil, fmt.Errorf("list in-kind contributions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (InKind, error) {
		var k InKind
		var day time.Time
		var rate, value int64
		err := r.Scan(&k.ID, &k.BudgetID, &k.PartnershipID, &k.SwedishOrgID, &k.InternationalOrgID, &day, &k.PersonRole,
			&k.Activity, &k.Hours, &rate, &value, &k.CreateTime, &k.Creator)
		k.Date, k.HourlyRate, k.Value = nullableDate(&day), sek(rate), sek(value)
		return k, err
	})
}
