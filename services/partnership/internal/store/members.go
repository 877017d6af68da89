package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// Member is a person in a steering group (ApplicationID empty) or an application's team.
type Member struct {
	ID             string
	PartnershipID  string
	ApplicationID  string
	OrgID          string
	Name           string
	Email          string
	Role           programme.MemberRole
	Coordinator    bool
	ProjectManager bool
	Erased         bool
	CreateTime     time.Time
	Creator        string
}

const memberColumns = `id, partnership_id, coalesce(application_id::text, ''), organization_id, display_name, email, role,
	coordinator, project_manager, erased, create_time, creator`

func scanMember(row pgx.Row) (Member, error) {
	var m Member
	err := row.Scan(&m.ID, &m.PartnershipID, &m.ApplicationID, &m.OrgID, &m.Name, &m.Email, &m.Role, &m.Coordinator,
		&m.ProjectManager, &m.Erased, &m.CreateTime, &m.Creator)
	return m, err
}

// ListMembers returns the steering group (applicationID "") or an application's team, in the order added.
func ListMembers(ctx context.Context, q Querier, partnershipID, applicationID string) ([]Member, error) {
	rows, err := q.Query(ctx, `SELECT `+memberColumns+` FROM members WHERE partnership_id = $1
		AND application_id IS NOT DISTINCT FROM NULLIF($2, '')::uuid ORDER BY id`, partnershipID, applicationID)
	if err != nil {
		return nil, fmt.Errorf("list members of %s: %w", partnershipID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Member, error) { return scanMember(r) })
}

func insertMember(ctx context.Context, tx pgx.Tx, m Member, at time.Time, a Actor) (Member, error) {
	m.ID = record.NewID()
	return scanMember(tx.QueryRow(ctx, `INSERT INTO members (id, partnership_id, application_id, organization_id, display_name,
		email, role, coordinator, project_manager, create_time, creator) VALUES ($1, $2, NULLIF($3, '')::uuid, $4, $5, $6, $7, $8, $9, $10, $11)
		RETURNING `+memberColumns, m.ID, m.PartnershipID, m.ApplicationID, m.OrgID, m.Name, m.Email, m.Role, m.Coordinator,
		m.ProjectManager, at, a.Subject))
}

// AddSteeringGroupMember adds a person to a partnership's steering group.
func AddSteeringGroupMember(ctx context.Context, tx pgx.Tx, m Member, a Actor) (Member, error) {
	at := record.Now()
	stored, err := insertMember(ctx, tx, m, at, a)
	if err != nil {
		return stored, fmt.Errorf("add steering group member: %w", err)
	}
	return stored, record.Audit(ctx, tx, a, at, "create", "steering_group_member", stored.ID, "")
}

// RemoveSteeringGroupMember removes a person from a steering group.
func RemoveSteeringGroupMember(ctx context.Context, tx pgx.Tx, partnershipID, id string, a Actor) error {
	tag, err := tx.Exec(ctx, `DELETE FROM members WHERE id = $1 AND partnership_id = $2 AND application_id IS NULL`, id, partnershipID)
	if err != nil {
		return fmt.Errorf("remove steering group member %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return record.NotFound(pgx.ErrNoRows, "steering group member", id)
	}
	return record.Audit(ctx, tx, a, record.Now(), "delete", "steering_group_member", id, "")
}

// SetTeam replaces an application's team.
func SetTeam(ctx context.Context, tx pgx.Tx, partnershipID, applicationID string, members []Member, a Actor) ([]Member, error) {
	if _, err := tx.Exec(ctx, `DELETE FROM members WHERE partnership_id = $1 AND application_id = $2`, partnershipID, applicationID); err != nil {
		return nil, fmt.Errorf("clear team of %s: %w", applicationID, err)
	}
	at := record.Now()
	out := make([]Member, 0, len(members))
	for _, m := range members {
		m.PartnershipID, m.ApplicationID = partnershipID, applicationID
		stored, err := insertMember(ctx, tx, m, at, a)
		if err != nil {
			return nil, fmt.Errorf("add team member: %w", err)
		}
		out = append(out, stored)
	}
	return out, record.Audit(ctx, tx, a, at, "set_team", "application", applicationID, "")
}

// ErasePerson blanks the name and e-mail of every member record with this e-mail address, keeping
// organisation and role, and records the erasure (without the address) in the audit log.
func ErasePerson(ctx context.Context, tx pgx.Tx, email, reason string, a Actor) (int, error) {
	rows, err := tx.Query(ctx, `UPDATE members SET display_name = 'erased', email = '', erased = true
		WHERE lower(email) = lower($1) AND email <> '' RETURNING id`, email)
	if err != nil {
		return 0, fmt.Errorf("erase person: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, fmt.Errorf("erase person: %w", err)
	}
	at := record.Now()
	for _, id := range ids {
		if err := record.Audit(ctx, tx, a, at, "erase", "member", id, reason); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// SteeringMembers converts stored members to the domain's view for the composition rule.
func SteeringMembers(ms []Member) []programme.SteeringMember {
	out := make([]programme.SteeringMember, len(ms))
	for i, m := range ms {
		out[i] = programme.SteeringMember{OrgID: m.OrgID, Role: m.Role, Coordinator: m.Coordinator}
	}
	return out
}

// TeamMembers converts stored members to the domain's view for the team rules.
func TeamMembers(ms []Member) []programme.TeamMember {
	out := make([]programme.TeamMember, len(ms))
	for i, m := range ms {
		out[i] = programme.TeamMember{OrgID: m.OrgID, Role: m.Role, ProjectManager: m.ProjectManager}
	}
	return out
}
