package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
)

// Network is a stored network.
type Network struct {
	domain.Network
	Version    int64
	CreateTime time.Time
	UpdateTime time.Time
	Creator    string
	Updater    string
}

// NetworkFilter narrows a list of networks; zero fields do not filter.
type NetworkFilter struct {
	// VisibleTo, when set, keeps only the networks in which a partnership of this organisation is an active
	// member: the scope of a member or partner.
	VisibleTo string
}

const networkColumns = `id, display_name, theme, cluster, cohort_start, duration_months, status, coordinator, research_advisor,
	experts, communication_contact, version, create_time, update_time, creator, updater`

func scanNetwork(row pgx.Row) (Network, error) {
	var n Network
	var start *time.Time
	var experts []byte
	err := row.Scan(&n.ID, &n.Name, &n.Theme, &n.Cluster, &start, &n.DurationMonths, &n.Status, &n.CoordinatorSubject,
		&n.ResearchAdvisor, &experts, &n.CommunicationContact, &n.Version, &n.CreateTime, &n.UpdateTime, &n.Creator, &n.Updater)
	if err != nil {
		return n, err
	}
	n.CohortStart = dateOfNullable(start)
	return n, json.Unmarshal(experts, &n.Experts)
}

// ListNetworks returns up to limit networks after the id after, oldest first.
func ListNetworks(ctx context.Context, q Querier, f NetworkFilter, after string, limit int) ([]Network, error) {
	// EXISTS rather than a join: a network with two of the organisation's partnerships is still one network.
	rows, err := q.Query(ctx, `SELECT `+networkColumns+` FROM networks n
		WHERE ($1 = '' OR EXISTS (SELECT 1 FROM network_memberships m WHERE m.network_id = n.id AND m.removed IS NULL
		        AND (m.swedish_organization_id = NULLIF($1, '')::uuid OR m.international_organization_id = NULLIF($1, '')::uuid)))
		  AND ($2 = '' OR n.id > NULLIF($2, '')::uuid)
		ORDER BY n.id LIMIT $3`, f.VisibleTo, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Network, error) { return scanNetwork(r) })
}

// GetNetwork returns one network when the scope may see it (scope "" sees all).
func GetNetwork(ctx context.Context, q Querier, id, scope string) (Network, error) {
	list, err := q.Query(ctx, `SELECT `+networkColumns+` FROM networks n WHERE id = $1
		AND ($2 = '' OR EXISTS (SELECT 1 FROM network_memberships m WHERE m.network_id = n.id AND m.removed IS NULL
		        AND (m.swedish_organization_id = NULLIF($2, '')::uuid OR m.international_organization_id = NULLIF($2, '')::uuid)))`, id, scope)
	if err != nil {
		return Network{}, fmt.Errorf("get network %s: %w", id, err)
	}
	n, err := pgx.CollectExactlyOneRow(list, func(r pgx.CollectableRow) (Network, error) { return scanNetwork(r) })
	return n, record.NotFound(err, "network", id)
}

// CreateNetwork stores a validated network in status planned.
func CreateNetwork(ctx context.Context, tx pgx.Tx, n domain.Network, a Actor) (Network, error) {
	n.ID, n.Status = record.NewID(), domain.StatusPlanned
	experts, err := json.Marshal(nonNilExperts(n.Experts))
	if err != nil {
		return Network{}, err
	}
	at := record.Now()
	stored, err := scanNetwork(tx.QueryRow(ctx, `INSERT INTO networks (id, display_name, theme, cluster, cohort_start, duration_months,
		status, coordinator, research_advisor, experts, communication_contact, create_time, update_time, creator, updater)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $13) RETURNING `+networkColumns,
		n.ID, n.Name, n.Theme, n.Cluster, n.CohortStart.Time(), n.DurationMonths, n.Status, n.CoordinatorSubject,
		n.ResearchAdvisor, experts, n.CommunicationContact, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store network: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "network", n.ID, ""); err != nil {
		return stored, err
	}
	return stored, networkChanged(ctx, tx, stored, a)
}

func nonNilExperts(e []domain.Expert) []domain.Expert {
	if e == nil {
		return []domain.Expert{}
	}
	return e
}

// LockNetwork reads a network for update and checks its etag.
func LockNetwork(ctx context.Context, tx pgx.Tx, id, etag string) (Network, error) {
	n, err := scanNetwork(tx.QueryRow(ctx, `SELECT `+networkColumns+` FROM networks WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return n, record.NotFound(err, "network", id)
	}
	return n, record.CheckETag("network", n.Version, etag)
}

// SaveNetwork writes a changed network that the caller locked with LockNetwork.
func SaveNetwork(ctx context.Context, tx pgx.Tx, n domain.Network, action string, a Actor) (Network, error) {
	experts, err := json.Marshal(nonNilExperts(n.Experts))
	if err != nil {
		return Network{}, err
	}
	at := record.Now()
	stored, err := scanNetwork(tx.QueryRow(ctx, `UPDATE networks SET display_name = $2, theme = $3, cluster = $4, cohort_start = $5,
		duration_months = $6, status = $7, coordinator = $8, research_advisor = $9, experts = $10, communication_contact = $11,
		version = version + 1, update_time = $12, updater = $13 WHERE id = $1 RETURNING `+networkColumns,
		n.ID, n.Name, n.Theme, n.Cluster, n.CohortStart.Time(), n.DurationMonths, n.Status, n.CoordinatorSubject,
		n.ResearchAdvisor, experts, n.CommunicationContact, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("update network %s: %w", n.ID, err)
	}
	if err := record.Audit(ctx, tx, a, at, action, "network", n.ID, ""); err != nil {
		return stored, err
	}
	return stored, networkChanged(ctx, tx, stored, a)
}
