package store

import (
	"context"
	"fmt"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
)

// Membership is a stored membership with the parties copied from the partnership service, which decide who
// may see the network.
type Membership struct {
	domain.Membership
	SwedishOrgID       string
	InternationalOrgID string
	CreateTime         time.Time
	Creator            string
}

const membershipColumns = `network_id, partnership_id, swedish_organization_id, international_organization_id, joined, removed,
	removal_reason, create_time, creator`

func scanMembership(row pgx.Row) (Membership, error) {
	var m Membership
	var joined time.Time
	var removed *time.Time
	err := row.Scan(&m.NetworkID, &m.PartnershipID, &m.SwedishOrgID, &m.InternationalOrgID, &joined, &removed, &m.RemovalReason, &m.CreateTime, &m.Creator)
	m.Joined, m.Removed = civil.DateFromTime(joined), dateOfNullable(removed)
	return m, err
}

// ListMemberships returns a network's memberships in the order they joined; removed ones only when asked.
// A scope (a member's or partner's organisation) keeps only that organisation's partnerships: no one learns
// of another organisation's partnership through a network.
func ListMemberships(ctx context.Context, q Querier, networkID, scope string, includeRemoved bool) ([]Membership, error) {
	rows, err := q.Query(ctx, `SELECT `+membershipColumns+` FROM network_memberships WHERE network_id = $1
		AND ($2 OR removed IS NULL)
		AND ($3 = '' OR swedish_organization_id = NULLIF($3, '')::uuid OR international_organization_id = NULLIF($3, '')::uuid)
		ORDER BY create_time, partnership_id`, networkID, includeRemoved, scope)
	if err != nil {
		return nil, fmt.Errorf("list memberships of %s: %w", networkID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Membership, error) { return scanMembership(r) })
}

// OtherActiveNetworks returns the recruiting or running networks, other than networkID, in which the
// partnership is an active member. The partnership's rows are locked first, so two concurrent joins of one
// partnership see each other.
func OtherActiveNetworks(ctx context.Context, tx pgx.Tx, networkID, partnershipID string) ([]domain.Network, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, "membership:"+partnershipID); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT `+networkColumns+` FROM networks n WHERE n.id <> $1 AND n.status IN ('recruiting', 'running')
		AND EXISTS (SELECT 1 FROM network_memberships m WHERE m.network_id = n.id AND m.partnership_id = $2 AND m.removed IS NULL)`,
		networkID, partnershipID)
	if err != nil {
		return nil, fmt.Errorf("networks of %s: %w", partnershipID, err)
	}
	stored, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Network, error) { return scanNetwork(r) })
	out := make([]domain.Network, len(stored))
	for i, n := range stored {
		out[i] = n.Network
	}
	return out, err
}

// AddMembership stores a new membership. A partnership that is, or was, a member of the network is refused:
// its membership, and any removal with its reason, stays as recorded.
func AddMembership(ctx context.Context, tx pgx.Tx, m Membership, a Actor) (Membership, error) {
	if existing, err := GetMembership(ctx, tx, m.NetworkID, m.PartnershipID); err == nil {
		if existing.Active() {
			return existing, &fault.Conflict{AlreadyExists: true, Reason: "ALREADY_A_MEMBER", Field: "membership.partnership_id",
				Message: "the partnership is already a member of this network"}
		}
		return existing, &fault.FailedPrecondition{Reason: "REMOVED_FROM_NETWORK",
			Message:    fmt.Sprintf("the partnership was removed from this network on %s (%s) and cannot rejoin it", existing.Removed, existing.RemovalReason),
			Violations: []fault.PreconditionViolation{{Type: "NETWORK_MEMBERSHIP", Subject: "partnerships/" + m.PartnershipID, Description: "removed memberships stay as recorded"}}}
	} else if !fault.IsNotFound(err) {
		return Membership{}, err
	}
	at := record.Now()
	stored, err := scanMembership(tx.QueryRow(ctx, `INSERT INTO network_memberships (network_id, partnership_id, swedish_organization_id,
		international_organization_id, joined, create_time, creator) VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING `+membershipColumns, m.NetworkID, m.PartnershipID, m.SwedishOrgID, m.InternationalOrgID, m.Joined.Time(), at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store membership: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "add_member", "network", m.NetworkID, m.PartnershipID); err != nil {
		return stored, err
	}
	return stored, membersChanged(ctx, tx, m.NetworkID, a)
}

// GetMembership returns one membership for update.
func GetMembership(ctx context.Context, tx pgx.Tx, networkID, partnershipID string) (Membership, error) {
	m, err := scanMembership(tx.QueryRow(ctx, `SELECT `+membershipColumns+` FROM network_memberships
		WHERE network_id = $1 AND partnership_id = $2 FOR UPDATE`, networkID, partnershipID))
	return m, record.NotFound(err, "membership", partnershipID)
}

// RemoveMembership records a removal with its reason; the row stays.
func RemoveMembership(ctx context.Context, tx pgx.Tx, networkID, partnershipID, reason string, on domain.Date, a Actor) (Membership, error) {
	at := record.Now()
	stored, err := scanMembership(tx.QueryRow(ctx, `UPDATE network_memberships SET removed = $3, removal_reason = $4
		WHERE network_id = $1 AND partnership_id = $2 RETURNING `+membershipColumns, networkID, partnershipID, on.Time(), reason))
	if err != nil {
		return stored, fmt.Errorf("remove membership: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "remove_member", "network", networkID, partnershipID+": "+reason); err != nil {
		return stored, err
	}
	return stored, membersChanged(ctx, tx, networkID, a)
}

// membersChanged emits the network after a change of its members, under the network's row lock.
func membersChanged(ctx context.Context, tx pgx.Tx, networkID string, a Actor) error {
	n, err := LockNetwork(ctx, tx, networkID, "")
	if err != nil {
		return err
	}
	return networkChanged(ctx, tx, n, a)
}
