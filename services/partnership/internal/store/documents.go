package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/record"
)

// Document is the record of an uploaded file; its bytes are in the documents bucket under SHA256.
type Document struct {
	ID            string
	PartnershipID string
	Kind          string
	FileName      string
	ContentType   string
	Size          int64
	SHA256        string
	ReportID      string
	Public        bool
	Meta
}

const documentColumns = `id, partnership_id, kind, file_name, content_type, size, sha256, COALESCE(report_id::text, ''), public,
	version, create_time, update_time, creator, updater`

func scanDocument(row pgx.Row) (Document, error) {
	var d Document
	err := row.Scan(&d.ID, &d.PartnershipID, &d.Kind, &d.FileName, &d.ContentType, &d.Size, &d.SHA256, &d.ReportID, &d.Public,
		&d.Version, &d.CreateTime, &d.UpdateTime, &d.Creator, &d.Updater)
	return d, err
}

// CreateDocument records an upload whose bytes are already kept.
func CreateDocument(ctx context.Context, tx pgx.Tx, d Document, a Actor) (Document, error) {
	at := record.Now()
	stored, err := scanDocument(tx.QueryRow(ctx, `INSERT INTO documents (id, partnership_id, kind, file_name, content_type, size, sha256,
		report_id, create_time, update_time, creator, updater) VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::uuid, $9, $9, $10, $10)
		RETURNING `+documentColumns, record.NewID(), d.PartnershipID, d.Kind, d.FileName, d.ContentType, d.Size, d.SHA256, d.ReportID, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("record document: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "document", stored.ID, d.FileName+" sha256 "+d.SHA256); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, documentChanged(stored))
}

// GetDocument returns a document's record; the caller checks that its partnership may be seen.
func GetDocument(ctx context.Context, q Querier, id string) (Document, error) {
	d, err := scanDocument(q.QueryRow(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = $1`, id))
	return d, record.NotFound(err, "document", id)
}

// ListDocuments returns up to limit of a partnership's documents (of one report, when reportID is not
// empty) after the one with id after, by id.
func ListDocuments(ctx context.Context, q Querier, partnershipID, reportID, after string, limit int) ([]Document, error) {
	rows, err := q.Query(ctx, `SELECT `+documentColumns+` FROM documents WHERE partnership_id = $1
		AND ($2 = '' OR report_id = NULLIF($2, '')::uuid) AND ($3 = '' OR id > NULLIF($3, '')::uuid) ORDER BY id LIMIT $4`,
		partnershipID, reportID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list documents of %s: %w", partnershipID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Document, error) { return scanDocument(r) })
}

// SetDocumentPublic makes a document public or not, under its row lock and etag.
func SetDocumentPublic(ctx context.Context, tx pgx.Tx, id, etag string, public bool, a Actor) (Document, error) {
	current, err := scanDocument(tx.QueryRow(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return current, record.NotFound(err, "document", id)
	}
	if err := record.CheckETag("document", current.Version, etag); err != nil {
		return current, err
	}
	at := record.Now()
	stored, err := scanDocument(tx.QueryRow(ctx, `UPDATE documents SET public = $2, version = version + 1, update_time = $3, updater = $4
		WHERE id = $1 RETURNING `+documentColumns, id, public, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("update document %s: %w", id, err)
	}
	if err := record.Audit(ctx, tx, a, at, "update", "document", id, fmt.Sprintf("public %t", public)); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, documentChanged(stored))
}
