package store

import (
	"context"
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
	Meta
}

const applicationColumns = `id, partnership_id, kind, status, start_date, end_date, waiver_reason, version, create_time,
	update_time, creator, updater`

func scanApplication(row pgx.Row) (Application, error) {
	var a Application
	var start, end time.Time
	err := row.Scan(&a.ID, &a.PartnershipID, &a.Kind, &a.Status, &start, &end, &a.WaiverReason, &a.Version,
		&a.CreateTime, &a.UpdateTime, &a.Creator, &a.Updater)
	a.Start, a.End = civil.DateFromTime(start), civil.DateFromTime(end)
	return a, err
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
	stored, err := scanApplication(tx.QueryRow(ctx, `INSERT INTO applications (id, partnership_id, kind, status, start_date,
		end_date, waiver_reason, create_time, update_time, creator, updater) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $9)
		RETURNING `+applicationColumns, app.ID, partnershipID, app.Kind, app.Status, app.Start.Time(), app.End.Time(),
		app.WaiverReason, at, a.Subject))
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

// StepApplication moves an application along its statuses under a row lock; check may refuse on the stored
// application (e.g. submitting outside the window).
func StepApplication(ctx context.Context, tx pgx.Tx, partnershipID, id, etag string, step programme.ApplicationStep, a Actor, check func(Application) error) (Application, error) {
	current, err := scanApplication(tx.QueryRow(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = $1 AND partnership_id = $2 FOR UPDATE`, id, partnershipID))
	if err != nil {
		return current, record.NotFound(err, "application", id)
	}
	if err := record.CheckETag("application", current.Version, etag); err != nil {
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
	stored, err := scanApplication(tx.QueryRow(ctx, `UPDATE applications SET status = $2, version = version + 1, update_time = $3,
		updater = $4 WHERE id = $1 RETURNING `+applicationColumns, id, to, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("%s application %s: %w", step, id, err)
	}
	if err := record.Audit(ctx, tx, a, at, string(step), "application", id, ""); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, applicationChanged(stored))
}
