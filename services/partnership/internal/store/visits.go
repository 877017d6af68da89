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
	// CancelReason says why a cancelled visit did not take place.
	CancelReason string
	Meta
}

const visitColumns = `id, partnership_id, start_date, end_date, host_organization_id, travellers, purpose, outcomes, state,
	cancel_reason, version, create_time, update_time, creator, updater`

func scanVisit(row pgx.Row) (Visit, error) {
	var v Visit
	var start, end time.Time
	var travellers []byte
	if err := row.Scan(&v.ID, &v.PartnershipID, &start, &end, &v.HostOrgID, &travellers, &v.Purpose, &v.Outcomes, &v.State,
		&v.CancelReason, &v.Version, &v.CreateTime, &v.UpdateTime, &v.Creator, &v.Updater); err != nil {
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

// CreateVisit stores a validated visit, planned or held. The partnership's row is locked first, as every change
// of its steering group locks it, so that the year's compliance event counts every visit committed before
// this one.
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
		travellers, purpose, outcomes, state, create_time, update_time, creator, updater)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $11) RETURNING `+visitColumns,
		v.ID, partnershipID, v.Start.Time(), v.End.Time(), v.HostOrgID, travellers, v.Purpose, v.Outcomes, v.State, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store visit: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "visit", v.ID, string(v.State)); err != nil {
		return stored, err
	}
	return stored, heldChanged(ctx, tx, p, stored, a)
}

// heldChanged emits the compliance of the year of v when v is held: a planned or cancelled visit changes no
// year's count.
func heldChanged(ctx context.Context, tx pgx.Tx, p Partnership, v Visit, a Actor) error {
	if v.State != programme.VisitHeld {
		return nil
	}
	events, err := complianceChanged(ctx, tx, p, v.Start.Year)
	if err != nil {
		return err
	}
	return emit(ctx, tx, a, events...)
}

// GetVisit returns a partnership's visit.
func GetVisit(ctx context.Context, q Querier, partnershipID, id string) (Visit, error) {
	v, err := scanVisit(q.QueryRow(ctx, `SELECT `+visitColumns+` FROM visits WHERE partnership_id = $1 AND id = $2`, partnershipID, id))
	return v, record.NotFound(err, "visit", id)
}

// LockVisit returns a partnership's visit under its row lock, after the partnership's (the order every change
// of a visit takes them in), checking etag when one is given.
func LockVisit(ctx context.Context, tx pgx.Tx, partnershipID, id, etag string) (Partnership, Visit, error) {
	p, err := LockPartnership(ctx, tx, partnershipID)
	if err != nil {
		return p, Visit{}, err
	}
	v, err := scanVisit(tx.QueryRow(ctx, `SELECT `+visitColumns+` FROM visits WHERE partnership_id = $1 AND id = $2 FOR UPDATE`, partnershipID, id))
	if err != nil {
		return p, v, record.NotFound(err, "visit", id)
	}
	return p, v, record.CheckETag("visit", v.Version, etag)
}

// UpdateVisit stores the new fields of a visit locked by LockVisit (its dates, host, travellers, purpose,
// outcomes, state and cancel reason), recording action in the audit log. A visit that is held after the
// change restates its year's compliance.
func UpdateVisit(ctx context.Context, tx pgx.Tx, p Partnership, v Visit, action string, a Actor) (Visit, error) {
	travellers, err := json.Marshal(v.Participants)
	if err != nil {
		return Visit{}, err
	}
	at := record.Now()
	stored, err := scanVisit(tx.QueryRow(ctx, `UPDATE visits SET start_date = $2, end_date = $3, host_organization_id = $4,
		travellers = $5, purpose = $6, outcomes = $7, state = $8, cancel_reason = $9, version = version + 1, update_time = $10,
		updater = $11 WHERE id = $1 RETURNING `+visitColumns,
		v.ID, v.Start.Time(), v.End.Time(), v.HostOrgID, travellers, v.Purpose, v.Outcomes, v.State, v.CancelReason, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("update visit %s: %w", v.ID, err)
	}
	if err := record.Audit(ctx, tx, a, at, action, "visit", v.ID, ""); err != nil {
		return stored, err
	}
	return stored, heldChanged(ctx, tx, p, stored, a)
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
