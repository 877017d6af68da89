package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"google.golang.org/protobuf/proto"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// Person is a stored person.
type Person struct {
	programme.Person
	Meta
}

const personColumns = `id, subject, display_name, email, language, role, organization_ids::text[], no_reminders, no_requests,
	no_weekly_digest, reminder_days, erased, version, create_time, update_time, creator, updater`

func scanPerson(row pgx.Row) (Person, error) {
	var p Person
	err := row.Scan(&p.ID, &p.Subject, &p.Name, &p.Email, &p.Language, &p.Role, &p.OrgIDs, &p.Preferences.NoReminders,
		&p.Preferences.NoRequests, &p.Preferences.NoWeeklyDigest, &p.Preferences.ReminderDays, &p.Erased, &p.Version, &p.CreateTime, &p.UpdateTime, &p.Creator, &p.Updater)
	return p, err
}

// subjectTaken is the refusal of a second person with a token subject already another's.
func subjectTaken(err error, subject string) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return &fault.Conflict{Reason: "SUBJECT_TAKEN", AlreadyExists: true, Field: "person.subject",
			Message: fmt.Sprintf("another person has the subject %q", subject)}
	}
	return err
}

// CreatePerson stores a validated person.
func CreatePerson(ctx context.Context, tx pgx.Tx, p programme.Person, a Actor) (Person, error) {
	at := record.Now()
	stored, err := scanPerson(tx.QueryRow(ctx, `INSERT INTO people (id, subject, display_name, email, language, role, organization_ids,
		no_reminders, no_requests, no_weekly_digest, reminder_days, create_time, update_time, creator, updater)
		VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8, $9, $10, $11, $12, $12, $13, $13) RETURNING `+personColumns,
		record.NewID(), p.Subject, p.Name, p.Email, p.Language, string(p.Role), nonNil(p.OrgIDs), p.Preferences.NoReminders,
		p.Preferences.NoRequests, p.Preferences.NoWeeklyDigest, nonNil(p.Preferences.ReminderDays), at, a.Subject))
	if err != nil {
		return stored, subjectTaken(err, p.Subject)
	}
	// The audit names the record, never the person's name or address.
	return stored, record.Audit(ctx, tx, a, at, "create", "person", stored.ID, "")
}

// GetPerson returns a person.
func GetPerson(ctx context.Context, q Querier, id string) (Person, error) {
	p, err := scanPerson(q.QueryRow(ctx, `SELECT `+personColumns+` FROM people WHERE id = $1`, id))
	return p, record.NotFound(err, "person", id)
}

// PersonOfSubject returns the person whose tokens carry subject.
func PersonOfSubject(ctx context.Context, q Querier, subject string) (Person, error) {
	p, err := scanPerson(q.QueryRow(ctx, `SELECT `+personColumns+` FROM people WHERE subject = $1`, subject))
	if errors.Is(err, pgx.ErrNoRows) {
		return p, &fault.NotFound{Kind: "person", ID: "me"}
	}
	return p, err
}

// ListPeople returns up to limit people after the one with id after, by id; of one organisation when orgID
// is not empty.
func ListPeople(ctx context.Context, q Querier, orgID, after string, limit int) ([]Person, error) {
	rows, err := q.Query(ctx, `SELECT `+personColumns+` FROM people WHERE ($1 = '' OR NULLIF($1, '')::uuid = ANY (organization_ids))
		AND ($2 = '' OR id > NULLIF($2, '')::uuid) ORDER BY id LIMIT $3`, orgID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Person, error) { return scanPerson(r) })
}

// UpdatePerson changes a person under its row lock and etag: change edits the person as read and validates it.
func UpdatePerson(ctx context.Context, tx pgx.Tx, id, etag string, a Actor, change func(p *programme.Person) error) (Person, error) {
	current, err := scanPerson(tx.QueryRow(ctx, `SELECT `+personColumns+` FROM people WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return current, record.NotFound(err, "person", id)
	}
	if err := record.CheckETag("person", current.Version, etag); err != nil {
		return current, err
	}
	next := current.Person
	if err := change(&next); err != nil {
		return current, err
	}
	at := record.Now()
	stored, err := scanPerson(tx.QueryRow(ctx, `UPDATE people SET subject = $2, display_name = $3, email = $4, language = $5, role = $6,
		organization_ids = $7::uuid[], no_reminders = $8, no_requests = $9, no_weekly_digest = $10, reminder_days = $11,
		version = version + 1, update_time = $12, updater = $13 WHERE id = $1 RETURNING `+personColumns,
		id, next.Subject, next.Name, next.Email, next.Language, string(next.Role), nonNil(next.OrgIDs), next.Preferences.NoReminders,
		next.Preferences.NoRequests, next.Preferences.NoWeeklyDigest, nonNil(next.Preferences.ReminderDays), at, a.Subject))
	if err != nil {
		return stored, subjectTaken(err, next.Subject)
	}
	return stored, record.Audit(ctx, tx, a, at, "update", "person", id, "")
}

// erasePeople erases the name and e-mail of the people with email, keeping their subject, role and
// organisations, and returns the events that tell the services holding copies (PersonErased, by id).
func erasePeople(ctx context.Context, tx pgx.Tx, email, reason string, a Actor) ([]proto.Message, error) {
	at := record.Now()
	rows, err := tx.Query(ctx, `UPDATE people SET display_name = $2, email = '', erased = true, version = version + 1,
		update_time = $3, updater = $4 WHERE lower(email) = lower($1) AND email <> '' RETURNING id::text`, email, ErasedName, at, a.Subject)
	if err != nil {
		return nil, fmt.Errorf("erase people: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("erase people: %w", err)
	}
	var events []proto.Message
	for _, id := range ids {
		if err := record.Audit(ctx, tx, a, at, "erase", "person", id, reason); err != nil {
			return nil, err
		}
		events = append(events, &eventspb.PersonErased{Id: id})
	}
	return events, nil
}
