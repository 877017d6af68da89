package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// Report is a stored report.
type Report struct {
	programme.Report
	PartnershipID string
	Submitter     string
	SubmitTime    *time.Time
	Approver      string
	ApproveTime   *time.Time
	Meta
}

const reportColumns = `id, partnership_id, application_id, kind, year, status, body, return_reasons, submitter, submit_time,
	approver, approve_time, version, create_time, update_time, creator, updater`

func scanReport(row pgx.Row) (Report, error) {
	var r Report
	var body, reasons []byte
	err := row.Scan(&r.ID, &r.PartnershipID, &r.ApplicationID, &r.Kind, &r.Year, &r.Status, &body, &reasons, &r.Submitter,
		&r.SubmitTime, &r.Approver, &r.ApproveTime, &r.Version, &r.CreateTime, &r.UpdateTime, &r.Creator, &r.Updater)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(body, &r.ReportBody); err != nil {
		return r, fmt.Errorf("report %s: stored body: %w", r.ID, err)
	}
	if err := json.Unmarshal(reasons, &r.ReturnReasons); err != nil {
		return r, fmt.Errorf("report %s: stored return reasons: %w", r.ID, err)
	}
	return r, nil
}

// CreateReport stores a draft report of an application, locked so that two concurrent creates of the same
// application, kind and year see each other: the second is refused as a duplicate.
func CreateReport(ctx context.Context, tx pgx.Tx, partnershipID string, r programme.Report, a Actor) (Report, error) {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM reports WHERE application_id = $1 AND kind = $2 AND year = $3)`,
		r.ApplicationID, r.Kind, r.Year).Scan(&exists); err != nil {
		return Report{}, fmt.Errorf("look for a report of application %s: %w", r.ApplicationID, err)
	}
	if exists {
		return Report{}, &fault.Conflict{Reason: "REPORT_EXISTS", AlreadyExists: true, Field: "report.year",
			Message: fmt.Sprintf("the application already has a %s report of %d; change that one", r.Kind, r.Year)}
	}
	body, err := json.Marshal(r.ReportBody)
	if err != nil {
		return Report{}, fmt.Errorf("encode report: %w", err)
	}
	at := record.Now()
	stored, err := scanReport(tx.QueryRow(ctx, `INSERT INTO reports (id, partnership_id, application_id, kind, year, status, body,
		create_time, update_time, creator, updater) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $9) RETURNING `+reportColumns,
		record.NewID(), partnershipID, r.ApplicationID, r.Kind, r.Year, programme.ReportDraft, body, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store report: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "report", stored.ID, string(r.Kind)+" "+fmt.Sprint(r.Year)); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, reportChanged(stored))
}

// GetReport returns one report of a partnership.
func GetReport(ctx context.Context, q Querier, partnershipID, id string) (Report, error) {
	r, err := scanReport(q.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = $1 AND partnership_id = $2`, id, partnershipID))
	return r, record.NotFound(err, "report", id)
}

// ListReports returns up to limit reports the filter keeps after the report with id after, by id.
func ListReports(ctx context.Context, q Querier, f ReportFilter, after string, limit int) ([]Report, error) {
	rows, err := q.Query(ctx, `SELECT `+reportColumns+` FROM reports
		WHERE ($1 = '' OR partnership_id = NULLIF($1, '')::uuid)
		  AND ($2 = '' OR application_id = NULLIF($2, '')::uuid)
		  AND ($3 = '' OR partnership_id IN (SELECT id FROM partnerships
		       WHERE swedish_organization_id = NULLIF($3, '')::uuid OR international_organization_id = NULLIF($3, '')::uuid))
		  AND ($4 = '' OR status = $4)
		  AND ($5 = '' OR id > NULLIF($5, '')::uuid)
		ORDER BY id LIMIT $6`, f.PartnershipID, f.ApplicationID, f.VisibleTo, string(f.Status), after, limit)
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Report, error) { return scanReport(r) })
}

// ReportFilter says which reports ListReports returns.
type ReportFilter struct {
	// PartnershipID keeps one partnership's; empty keeps every partnership's.
	PartnershipID string
	// ApplicationID keeps the reports on one application.
	ApplicationID string
	// VisibleTo, when set, keeps the reports of this organisation's partnerships: a member's or partner's scope.
	VisibleTo string
	// Status keeps the reports in it; empty keeps all.
	Status programme.ReportStatus
}

// lockReport reads a report under a row lock, checking its etag when one is given.
func lockReport(ctx context.Context, tx pgx.Tx, partnershipID, id, etag string) (Report, error) {
	current, err := scanReport(tx.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = $1 AND partnership_id = $2 FOR UPDATE`, id, partnershipID))
	if err != nil {
		return current, record.NotFound(err, "report", id)
	}
	return current, record.CheckETag("report", current.Version, etag)
}

// UpdateReport changes a report's body under a row lock; change edits a copy of it and may refuse.
func UpdateReport(ctx context.Context, tx pgx.Tx, partnershipID, id, etag string, a Actor, change func(current Report, next *programme.ReportBody) error) (Report, error) {
	current, err := lockReport(ctx, tx, partnershipID, id, etag)
	if err != nil {
		return current, err
	}
	next := current.ReportBody
	if err := change(current, &next); err != nil {
		return current, err
	}
	body, err := json.Marshal(next)
	if err != nil {
		return current, fmt.Errorf("encode report: %w", err)
	}
	at := record.Now()
	stored, err := scanReport(tx.QueryRow(ctx, `UPDATE reports SET body = $2, version = version + 1, update_time = $3, updater = $4
		WHERE id = $1 RETURNING `+reportColumns, id, body, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("update report %s: %w", id, err)
	}
	if err := record.Audit(ctx, tx, a, at, "update", "report", id, ""); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, reportChanged(stored))
}

// StepReport moves a report along its statuses under a row lock; check may refuse on the stored report.
// Submitting records the submitter, approving the approver, returning ICLD's reasons (kept until the next
// submission).
func StepReport(ctx context.Context, tx pgx.Tx, partnershipID, id, etag string, step programme.ReportStep, reasons []programme.SectionReason, a Actor, check func(Report) error) (Report, error) {
	current, err := lockReport(ctx, tx, partnershipID, id, etag)
	if err != nil {
		return current, err
	}
	to, err := programme.ApplyReportStep(current.Status, step)
	if err != nil {
		return current, err
	}
	if err := check(current); err != nil {
		return current, err
	}
	if step != programme.ReportReturn {
		reasons = nil
	}
	encoded, err := json.Marshal(append([]programme.SectionReason{}, reasons...))
	if err != nil {
		return current, fmt.Errorf("encode return reasons: %w", err)
	}
	at := record.Now()
	stored, err := scanReport(tx.QueryRow(ctx, `UPDATE reports SET status = $2, return_reasons = $3,
		submitter = CASE WHEN $4 = 'submit' THEN $5 ELSE submitter END,
		submit_time = CASE WHEN $4 = 'submit' THEN $6 ELSE submit_time END,
		approver = CASE WHEN $4 = 'approve' THEN $5 ELSE approver END,
		approve_time = CASE WHEN $4 = 'approve' THEN $6 ELSE approve_time END,
		version = version + 1, update_time = $6, updater = $5 WHERE id = $1 RETURNING `+reportColumns,
		id, to, encoded, string(step), a.Subject, at))
	if err != nil {
		return stored, fmt.Errorf("%s report %s: %w", step, id, err)
	}
	if err := record.Audit(ctx, tx, a, at, string(step), "report", id, ""); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, reportChanged(stored))
}
