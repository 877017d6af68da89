package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// Visit is a stored exchange visit.
type Visit struct {
	programme.Visit
	PartnershipID string
	CreateTime    time.Time
	Creator       string
}

const visitColumns = `id, partnership_id, start_date, end_date, host_organization_id, travellers, purpose, outcomes, create_time, creator`

func scanVisit(row pgx.Row) (Visit, error) {
	var v Visit
	var start, end time.Time
	var travellers []byte
	if err := row.Scan(&v.ID, &v.PartnershipID, &start, &end, &v.HostOrgID, &travellers, &v.Purpose, &v.Outcomes, &v.CreateTime, &v.Creator); err != nil {
		return v, err
	}
	v.Start, v.End = civil.DateFromTime(start), civil.DateFromTime(end)
	return v, json.Unmarshal(travellers, &v.Participants)
}

// ListVisits returns a partnership's visits by start date.
func ListVisits(ctx context.Context, q Querier, partnershipID string) ([]Visit, error) {
	rows, err := q.Query(ctx, `SELECT `+visitColumns+` FROM visits WHERE partnership_id = $1 ORDER BY start_date, id`, partnershipID)
	if err != nil {
		return nil, fmt.Errorf("list visits of %s: %w", partnershipID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Visit, error) { return scanVisit(r) })
}

// ListVisitsPage returns up to limit visits of a partnership after the visit (afterDay, afterID) in the order
// of ListVisits; an empty afterID starts at the first.
func ListVisitsPage(ctx context.Context, q Querier, partnershipID string, afterDay time.Time, afterID string, limit int) ([]Visit, error) {
	rows, err := q.Query(ctx, `SELECT `+visitColumns+` FROM visits WHERE partnership_id = $1
		AND ($3 = '' OR (start_date, id) > ($2::date, NULLIF($3, '')::uuid)) ORDER BY start_date, id LIMIT $4`,
		partnershipID, afterDay, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list visits of %s: %w", partnershipID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Visit, error) { return scanVisit(r) })
}

// DomainVisits converts stored visits to the domain's view for the compliance rule.
func DomainVisits(vs []Visit) []programme.Visit {
	out := make([]programme.Visit, len(vs))
	for i, v := range vs {
		out[i] = v.Visit
	}
	return out
}

// CreateVisit stores a validated visit. The partnership's row is locked first, as every change of its steering
// group locks it, so that the year's compliance event counts every visit committed before this one.
func CreateVisit(ctx context.Context, tx pgx.Tx, partnershipID string, v programme.Visit, a Actor) (Visit, error) {
	p, err := LockPartnership(ctx, tx, partnershipID)
	if err != nil {
		return Visit{}, err
	}
	v.ID = record.NewID()
	travellers, err := json.Marshal(v.Participants)
	if err != nil {
		return Visit{}, err
	}
	at := record.Now()
	stored, err := scanVisit(tx.QueryRow(ctx, `INSERT INTO visits (id, partnership_id, start_date, end_date, host_organization_id,
		travellers, purpose, outcomes, create_time, creator) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING `+visitColumns,
		v.ID, partnershipID, v.Start.Time(), v.End.Time(), v.HostOrgID, travellers, v.Purpose, v.Outcomes, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store visit: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "visit", v.ID, ""); err != nil {
		return stored, err
	}
	events, err := complianceChanged(ctx, tx, p, stored.Start.Year)
	if err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, events...)
}

// ActivePeriod returns when a partnership was in inception or active, from its recorded transitions: from
// the approval (start of inception) to its completion or termination, open-ended while it runs. ok is false
// when it never reached inception.
func ActivePeriod(ctx context.Context, q Querier, partnershipID string) (from, to time.Time, ok bool, err error) {
	var start, end *time.Time
	err = q.QueryRow(ctx, `SELECT min(time) FILTER (WHERE to_state = 'inception'),
		max(time) FILTER (WHERE to_state IN ('completed', 'terminated') AND from_state IN ('inception', 'active'))
		FROM partnership_transitions WHERE partnership_id = $1`, partnershipID).Scan(&start, &end)
	if err != nil || start == nil {
		return time.Time{}, time.Time{}, false, err
	}
	if end != nil {
		to = *end
	}
	return *start, to, true, nil
}
