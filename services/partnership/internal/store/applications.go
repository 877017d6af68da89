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

// Application is a stored application.
type Application struct {
	programme.Application
	PartnershipID string
	// Revision counts the content's versions: 1 as applied for, one more per change recorded after approval.
	Revision int
	// ReturnReason is why ICLD returned it, while it is returned.
	ReturnReason string
	Meta
}

const applicationColumns = `id, partnership_id, kind, status, start_date, end_date, waiver_reason, content, revision,
	return_reason, version, create_time, update_time, creator, updater`

func scanApplication(row pgx.Row) (Application, error) {
	var a Application
	var start, end time.Time
	var content []byte
	err := row.Scan(&a.ID, &a.PartnershipID, &a.Kind, &a.Status, &start, &end, &a.WaiverReason, &content, &a.Revision,
		&a.ReturnReason, &a.Version, &a.CreateTime, &a.UpdateTime, &a.Creator, &a.Updater)
	if err != nil {
		return a, err
	}
	a.Start, a.End = civil.DateFromTime(start), civil.DateFromTime(end)
	if err := json.Unmarshal(content, &a.Content); err != nil {
		return a, fmt.Errorf("application %s: stored content: %w", a.ID, err)
	}
	return a, nil
}

// ListApplications returns a partnership's applications, oldest first.
func ListApplications(ctx context.Context, q Querier, partnershipID string) ([]Application, error) {
	rows, err := q.Query(ctx, `SELECT `+applicationColumns+` FROM applications WHERE partnership_id = $1 ORDER BY id`, partnershipID)
	if err != nil {
		return nil, fmt.Errorf("list applications of %s: %w", partnershipID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Application, error) { return scanApplication(r) })
}

func domainApplications(as []Application) []programme.Application {
	out := make([]programme.Application, len(as))
	for i, a := range as {
		out[i] = a.Application
	}
	return out
}

// CreateApplication stores a draft application after checking the rules that depend on the partnership's
// other applications: one inception per partnership, and a project only after a closed inception (or with
// an admin's waiver). The partnership row is locked so two concurrent creates see each other.
func CreateApplication(ctx context.Context, tx pgx.Tx, partnershipID string, app programme.Application, a Actor) (Application, error) {
	if _, err := lockPartnership(ctx, tx, partnershipID, ""); err != nil {
		return Application{}, err
	}
	existing, err := ListApplications(ctx, tx, partnershipID)
	if err != nil {
		return Application{}, err
	}
	switch app.Kind {
	case programme.KindInception:
		err = programme.CheckOneInception(domainApplications(existing))
	case programme.KindProject:
		err = programme.CheckProjectPrerequisite(domainApplications(existing), app.WaiverReason)
	}
	if err != nil {
		return Application{}, err
	}
	app.ID, app.Status = record.NewID(), programme.StatusDraft
	at := record.Now()
	content, err := json.Marshal(app.Content)
	if err != nil {
		return Application{}, fmt.Errorf("encode application content: %w", err)
	}
	stored, err := scanApplication(tx.QueryRow(ctx, `INSERT INTO applications (id, partnership_id, kind, status, start_date,
		end_date, waiver_reason, content, create_time, update_time, creator, updater) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $10)
		RETURNING `+applicationColumns, app.ID, partnershipID, app.Kind, app.Status, app.Start.Time(), app.End.Time(),
		app.WaiverReason, content, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store application: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "application", app.ID, app.WaiverReason); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, applicationChanged(stored))
}

// GetApplication returns one application of a partnership.
func GetApplication(ctx context.Context, q Querier, partnershipID, id string) (Application, error) {
	app, err := scanApplication(q.QueryRow(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = $1 AND partnership_id = $2`, id, partnershipID))
	return app, record.NotFound(err, "application", id)
}

// lockApplication reads an application of a partnership under a row lock, checking its etag when one is given.
func lockApplication(ctx context.Context, tx pgx.Tx, partnershipID, id, etag string) (Application, error) {
	current, err := scanApplication(tx.QueryRow(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = $1 AND partnership_id = $2 FOR UPDATE`, id, partnershipID))
	if err != nil {
		return current, record.NotFound(err, "application", id)
	}
	return current, record.CheckETag("application", current.Version, etag)
}

// UpdateApplication changes an application under a row lock. change edits next, a copy of the stored
// application, and returns the reason of a revision ICLD records ("" for an applicant's edit of a draft or a
// returned application); with a reason, the application as it stood is kept as a revision and the revision
// number goes up.
func UpdateApplication(ctx context.Context, tx pgx.Tx, partnershipID, id, etag string, a Actor, change func(current Application, next *programme.Application) (string, error)) (Application, error) {
	current, err := lockApplication(ctx, tx, partnershipID, id, etag)
	if err != nil {
		return current, err
	}
	next := current.Application
	reason, err := change(current, &next)
	if err != nil {
		return current, err
	}
	content, err := json.Marshal(next.Content)
	if err != nil {
		return current, fmt.Errorf("encode application content: %w", err)
	}
	at := record.Now()
	revision := current.Revision
	if reason != "" {
		old, err := json.Marshal(current.Content)
		if err != nil {
			return current, fmt.Errorf("encode application content: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO application_revisions (application_id, number, start_date, end_date, content, reason,
			creator, create_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, current.Revision, current.Start.Time(), current.End.Time(),
			old, reason, a.Subject, at); err != nil {
			return current, fmt.Errorf("keep revision %d of application %s: %w", current.Revision, id, err)
		}
		revision++
	}
	stored, err := scanApplication(tx.QueryRow(ctx, `UPDATE applications SET start_date = $2, end_date = $3, content = $4, revision = $5,
		version = version + 1, update_time = $6, updater = $7 WHERE id = $1 RETURNING `+applicationColumns,
		id, next.Start.Time(), next.End.Time(), content, revision, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("update application %s: %w", id, err)
	}
	if err := record.Audit(ctx, tx, a, at, "update", "application", id, reason); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, applicationChanged(stored))
}

// Revision is an application's content as it stood before a change recorded after approval.
type Revision struct {
	Number     int
	Start, End programme.Date
	Content    programme.Content
	Reason     string
	Creator    string
	CreateTime time.Time
}

// ListRevisions returns an application's kept revisions by number.
func ListRevisions(ctx context.Context, q Querier, applicationID string) ([]Revision, error) {
	rows, err := q.Query(ctx, `SELECT number, start_date, end_date, content, reason, creator, create_time FROM application_revisions
		WHERE application_id = $1 ORDER BY number`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("list revisions of application %s: %w", applicationID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Revision, error) {
		var rev Revision
		var start, end time.Time
		var content []byte
		if err := r.Scan(&rev.Number, &start, &end, &content, &rev.Reason, &rev.Creator, &rev.CreateTime); err != nil {
			return rev, err
		}
		rev.Start, rev.End = civil.DateFromTime(start), civil.DateFromTime(end)
		return rev, json.Unmarshal(content, &rev.Content)
	})
}

// StepApplication moves an application along its statuses under a row lock; check may refuse on the stored
// application (e.g. submitting outside the window). reason is kept as the return reason by the return step.
func StepApplication(ctx context.Context, tx pgx.Tx, partnershipID, id, etag string, step programme.ApplicationStep, reason string, a Actor, check func(Application) error) (Application, error) {
	current, err := lockApplication(ctx, tx, partnershipID, id, etag)
	if err != nil {
		return current, err
	}
	to, err := programme.ApplyStep(current.Status, step)
	if err != nil {
		return current, err
	}
	if err := check(current); err != nil {
		return current, err
	}
	at := record.Now()
	if step != programme.StepReturn {
		reason = ""
	}
	stored, err := scanApplication(tx.QueryRow(ctx, `UPDATE applications SET status = $2, return_reason = $5, version = version + 1,
		update_time = $3, updater = $4 WHERE id = $1 RETURNING `+applicationColumns, id, to, at, a.Subject, reason))
	if err != nil {
		return stored, fmt.Errorf("%s application %s: %w", step, id, err)
	}
	if err := record.Audit(ctx, tx, a, at, string(step), "application", id, reason); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, applicationChanged(stored))
}

// ApplicationFilter says which applications FindApplications returns.
type ApplicationFilter struct {
	// PartnershipID keeps one partnership's; empty keeps every partnership's.
	PartnershipID string
	// VisibleTo, when set, keeps the applications of this organisation's partnerships: a member's or partner's scope.
	VisibleTo string
	// Status keeps the applications in it; empty keeps all.
	Status programme.ApplicationStatus
}

// FindApplications returns up to limit applications after the id after, oldest first.
func FindApplications(ctx context.Context, q Querier, f ApplicationFilter, after string, limit int) ([]Application, error) {
	rows, err := q.Query(ctx, `SELECT `+applicationColumns+` FROM applications
		WHERE ($1 = '' OR partnership_id = NULLIF($1, '')::uuid)
		  AND ($2 = '' OR partnership_id IN (SELECT id FROM partnerships
		       WHERE swedish_organization_id = NULLIF($2, '')::uuid OR international_organization_id = NULLIF($2, '')::uuid))
		  AND ($3 = '' OR status = $3)
		  AND ($4 = '' OR id > NULLIF($4, '')::uuid)
		ORDER BY id LIMIT $5`, f.PartnershipID, f.VisibleTo, string(f.Status), after, limit)
	if err != nil {
		return nil, fmt.Errorf("find applications: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Application, error) { return scanApplication(r) })
}

// ApplicationsByID returns the applications with these ids, in no order.
func ApplicationsByID(ctx context.Context, q Querier, ids []string) ([]Application, error) {
	rows, err := q.Query(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("applications by id: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Application, error) { return scanApplication(r) })
}
