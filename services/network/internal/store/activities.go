package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
)

// Activity is a stored activity.
type Activity struct {
	domain.Activity
	NetworkID  string
	CreateTime time.Time
	Creator    string
}

const activityColumns = `id, network_id, kind, title, start_date, end_date, host, participations, outcomes, links, create_time, creator`

func scanActivity(row pgx.Row) (Activity, error) {
	var a Activity
	var start, end time.Time
	var participations []byte
	if err := row.Scan(&a.ID, &a.NetworkID, &a.Kind, &a.Title, &start, &end, &a.Host, &participations, &a.Outcomes, &a.Links, &a.CreateTime, &a.Creator); err != nil {
		return a, err
	}
	a.Start, a.End = civil.DateFromTime(start), civil.DateFromTime(end)
	return a, json.Unmarshal(participations, &a.Participations)
}

// ListActivities returns up to limit of a network's activities by start date (then id), after the activity
// (afterDay, afterID); an empty afterID starts at the first.
func ListActivities(ctx context.Context, q Querier, networkID string, afterDay time.Time, afterID string, limit int) ([]Activity, error) {
	rows, err := q.Query(ctx, `SELECT `+activityColumns+` FROM activities WHERE network_id = $1
		AND ($3 = '' OR (start_date, id) > ($2::date, NULLIF($3, '')::uuid)) ORDER BY start_date, id LIMIT $4`,
		networkID, afterDay, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list activities of %s: %w", networkID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Activity, error) { return scanActivity(r) })
}

// CreateActivity stores a validated activity.
func CreateActivity(ctx context.Context, tx pgx.Tx, networkID string, act domain.Activity, a Actor) (Activity, error) {
	act.ID = record.NewID()
	participations, err := json.Marshal(act.Participations)
	if err != nil {
		return Activity{}, err
	}
	if act.Links == nil {
		act.Links = []string{}
	}
	at := record.Now()
	stored, err := scanActivity(tx.QueryRow(ctx, `INSERT INTO activities (id, network_id, kind, title, start_date, end_date, host,
		participations, outcomes, links, create_time, creator) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		RETURNING `+activityColumns, act.ID, networkID, act.Kind, act.Title, act.Start.Time(), act.End.Time(), act.Host,
		participations, act.Outcomes, act.Links, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store activity: %w", err)
	}
	return stored, record.Audit(ctx, tx, a, at, "create", "activity", act.ID, "")
}
