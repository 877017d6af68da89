package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

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

// AddSteeringGroupMember adds a person to a partnership's steering group, under the partnership's row lock.
func AddSteeringGroupMember(ctx context.Context, tx pgx.Tx, m Member, a Actor) (Member, error) {
	p, err := LockPartnership(ctx, tx, m.PartnershipID)
	if err != nil {
		return Member{}, err
	}
	at := record.Now()
	stored, err := insertMember(ctx, tx, m, at, a)
	if err != nil {
		return stored, fmt.Errorf("add steering group member: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "steering_group_member", stored.ID, ""); err != nil {
		return stored, err
	}
	return stored, steeringGroupChanged(ctx, tx, p, a)
}

// RemoveSteeringGroupMember removes a person from a steering group, under the partnership's row lock.
func RemoveSteeringGroupMember(ctx context.Context, tx pgx.Tx, partnershipID, id string, a Actor) error {
	p, err := LockPartnership(ctx, tx, partnershipID)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `DELETE FROM members WHERE id = $1 AND partnership_id = $2 AND application_id IS NULL`, id, partnershipID)
	if err != nil {
		return fmt.Errorf("remove steering group member %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return record.NotFound(pgx.ErrNoRows, "steering group member", id)
	}
	if err := record.Audit(ctx, tx, a, record.Now(), "delete", "steering_group_member", id, ""); err != nil {
		return err
	}
	return steeringGroupChanged(ctx, tx, p, a)
}

// steeringGroupChanged emits the compliance of partnership p's years after a change of its steering group.
func steeringGroupChanged(ctx context.Context, tx pgx.Tx, p Partnership, a Actor) error {
	events, err := complianceChanged(ctx, tx, p, 0)
	if err != nil {
		return err
	}
	return emit(ctx, tx, a, events...)
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

// ErasedName is the display name an erased person is left with, and the file name of an erased document.
const ErasedName = "erased"

// Erasure is what ErasePerson erased.
type Erasure struct {
	// Members is how many steering-group and team records lost their name and e-mail.
	Members int
	// Documents are the documents about the person, erased.
	Documents []Document
	// People is how many person records (the people who use the system) lost their name and e-mail.
	People int
}

// ErasePerson blanks the name and e-mail of every member record with this e-mail address, keeping
// organisation and role, erases the documents about the person (eraseDocuments), and records the erasure
// (without the address) in the audit log. Each steering group the person was in has changed, so its
// partnership's compliance is emitted again (with the same numbers: no payload carries a person's name).
func ErasePerson(ctx context.Context, tx pgx.Tx, email, reason string, a Actor) (Erasure, error) {
	// The partnerships are locked before their members, in id order, as a change of a steering group locks
	// its partnership first: no two transactions await these locks in opposite orders.
	rows, err := tx.Query(ctx, `SELECT id FROM partnerships WHERE id IN (SELECT partnership_id FROM members
		WHERE lower(email) = lower($1) AND email <> '' AND application_id IS NULL) ORDER BY id FOR UPDATE`, email)
	if err != nil {
		return Erasure{}, fmt.Errorf("erase person: lock partnerships: %w", err)
	}
	if _, err := pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return Erasure{}, fmt.Errorf("erase person: lock partnerships: %w", err)
	}
	rows, err = tx.Query(ctx, `UPDATE members SET display_name = $2, email = '', erased = true
		WHERE lower(email) = lower($1) AND email <> '' RETURNING id, partnership_id::text, application_id IS NULL`, email, ErasedName)
	if err != nil {
		return Erasure{}, fmt.Errorf("erase person: %w", err)
	}
	type erased struct {
		id, partnershipID string
		steering          bool
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (erased, error) {
		var e erased
		return e, r.Scan(&e.id, &e.partnershipID, &e.steering)
	})
	if err != nil {
		return Erasure{}, fmt.Errorf("erase person: %w", err)
	}
	at := record.Now()
	var steering []string
	for _, e := range list {
		if err := record.Audit(ctx, tx, a, at, "erase", "member", e.id, reason); err != nil {
			return Erasure{}, err
		}
		if e.steering {
			steering = append(steering, e.partnershipID)
		}
	}
	slices.Sort(steering)
	var events []proto.Message
	for _, id := range slices.Compact(steering) {
		// Locked above, unless the person joined this steering group since; locked now, before any event.
		p, err := LockPartnership(ctx, tx, id)
		if err != nil {
			return Erasure{}, err
		}
		more, err := complianceChanged(ctx, tx, p, 0)
		if err != nil {
			return Erasure{}, err
		}
		events = append(events, more...)
	}
	docs, docEvents, err := eraseDocuments(ctx, tx, email, reason, a)
	if err != nil {
		return Erasure{}, err
	}
	peopleEvents, err := erasePeople(ctx, tx, email, reason, a)
	if err != nil {
		return Erasure{}, err
	}
	return Erasure{Members: len(list), Documents: docs, People: len(peopleEvents)}, emit(ctx, tx, a, slices.Concat(events, docEvents, peopleEvents)...)
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
