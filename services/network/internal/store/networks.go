package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Network is a stored network.
type Network struct {
	ID          string
	DisplayName string
	Theme       string
	CreateTime  time.Time
	UpdateTime  time.Time
	Creator     string
}

// NetworkFilter narrows a list of networks; zero fields do not filter.
type NetworkFilter struct {
	// VisibleTo, when set, keeps only the networks in which a partnership of this organisation is a member:
	// the scope of a member or partner.
	VisibleTo string
}

// ListNetworks returns up to limit networks after the id after, in id order (ids are time-ordered UUIDs, so
// this is oldest first).
func ListNetworks(ctx context.Context, q Querier, f NetworkFilter, after string, limit int) ([]Network, error) {
	// EXISTS rather than a join: a network with two of the organisation's partnerships is still one network.
	rows, err := q.Query(ctx, `SELECT n.id, n.display_name, n.theme, n.create_time, n.update_time, n.creator
		FROM networks n
		WHERE ($1 = '' OR EXISTS (SELECT 1 FROM network_memberships m WHERE m.network_id = n.id
		        AND (m.swedish_organization_id = NULLIF($1, '')::uuid OR m.international_organization_id = NULLIF($1, '')::uuid)))
		  AND ($2 = '' OR n.id > NULLIF($2, '')::uuid)
		ORDER BY n.id LIMIT $3`, f.VisibleTo, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Network, error) {
		var n Network
		err := r.Scan(&n.ID, &n.DisplayName, &n.Theme, &n.CreateTime, &n.UpdateTime, &n.Creator)
		return n, err
	})
}
