package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/outbox"

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
	// PersonEmail is the person the document is about, if any: erasing them erases it.
	PersonEmail string
	// Erased says the document was erased with its person: its bytes are gone and FileName is ErasedName.
	Erased bool
	Meta
}

const documentColumns = `id, partnership_id, kind, file_name, content_type, size, sha256, COALESCE(report_id::text, ''), public,
	person_email, erased, version, create_time, update_time, creator, updater`

func scanDocument(row pgx.Row) (Document, error) {
	var d Document
	err := row.Scan(&d.ID, &d.PartnershipID, &d.Kind, &d.FileName, &d.ContentType, &d.Size, &d.SHA256, &d.ReportID, &d.Public,
		&d.PersonEmail, &d.Erased, &d.Version, &d.CreateTime, &d.UpdateTime, &d.Creator, &d.Updater)
	return d, err
}

// ErrContentErased is CreateDocument's error when the bytes of the content it records were deleted after
// the upload kept them (an erasure of the last document holding the same content, in between): the upload
// is to be made again.
var ErrContentErased = errors.New("the file's bytes were deleted by an erasure while it was uploaded")

// CreateDocument records an upload whose bytes are already kept; stillKept tells whether they still are.
// A content waiting for its bytes to be deleted (erased_contents) is live again once a document records it:
// its row is removed under its lock, which the deletion holds while it deletes, so the bytes are either
// still kept (and no longer deleted) or already gone (ErrContentErased). Only a content some erased document
// holds can have been deleted, so only then is the bucket asked.
func CreateDocument(ctx context.Context, tx pgx.Tx, d Document, a Actor, stillKept func(sha256 string) (bool, error)) (Document, error) {
	var pending int
	var everErased bool
	if err := tx.QueryRow(ctx, `WITH gone AS (DELETE FROM erased_contents WHERE sha256 = $1 RETURNING 1)
		SELECT (SELECT count(*) FROM gone), EXISTS (SELECT 1 FROM documents WHERE sha256 = $1 AND erased)`,
		d.SHA256).Scan(&pending, &everErased); err != nil {
		return Document{}, fmt.Errorf("record document: %w", err)
	}
	if pending == 0 && everErased {
		kept, err := stillKept(d.SHA256)
		if err != nil {
			return Document{}, err
		}
		if !kept {
			return Document{}, ErrContentErased
		}
	}
	at := record.Now()
	stored, err := scanDocument(tx.QueryRow(ctx, `INSERT INTO documents (id, partnership_id, kind, file_name, content_type, size, sha256,
		report_id, person_email, create_time, update_time, creator, updater)
		VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::uuid, $9, $10, $10, $11, $11)
		RETURNING `+documentColumns, record.NewID(), d.PartnershipID, d.Kind, d.FileName, d.ContentType, d.Size, d.SHA256, d.ReportID,
		d.PersonEmail, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("record document: %w", err)
	}
	// The audit names the content, never the file name, which may name a person.
	if err := record.Audit(ctx, tx, a, at, "create", "document", stored.ID, d.Kind+" sha256 "+d.SHA256); err != nil {
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

// eraseDocuments erases, in tx, the documents about the person with email: their file names are replaced,
// the address and the public mark removed, and the events that carried their names rewritten; contents no
// live document holds any more wait in erased_contents for their bytes to be deleted. It returns the erased
// documents and the events of the change, which the caller appends last.
func eraseDocuments(ctx context.Context, tx pgx.Tx, email, reason string, a Actor) ([]Document, []proto.Message, error) {
	at := record.Now()
	rows, err := tx.Query(ctx, `UPDATE documents SET file_name = $2, person_email = '', erased = true, public = false,
		version = version + 1, update_time = $3, updater = $4
		WHERE lower(person_email) = lower($1) AND person_email <> '' RETURNING `+documentColumns, email, ErasedName, at, a.Subject)
	if err != nil {
		return nil, nil, fmt.Errorf("erase documents: %w", err)
	}
	erased, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Document, error) { return scanDocument(r) })
	if err != nil || len(erased) == 0 {
		return nil, nil, err
	}
	ids := make([]string, len(erased))
	sums := make([]string, len(erased))
	var events []proto.Message
	for i, d := range erased {
		ids[i], sums[i] = d.ID, d.SHA256
		if err := record.Audit(ctx, tx, a, at, "erase", "document", d.ID, reason); err != nil {
			return nil, nil, err
		}
		events = append(events, documentChanged(d))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO erased_contents (sha256, erase_time)
		SELECT DISTINCT s, $2::timestamptz FROM unnest($1::text[]) AS s
		WHERE NOT EXISTS (SELECT 1 FROM documents WHERE sha256 = s AND NOT erased)
		ON CONFLICT (sha256) DO NOTHING`, sums, at); err != nil {
		return nil, nil, fmt.Errorf("erase documents: %w", err)
	}
	_, err = outbox.Rewrite(ctx, tx, (*eventspb.DocumentChanged)(nil), func(m proto.Message) bool {
		e := m.(*eventspb.DocumentChanged)
		if !slices.Contains(ids, e.GetId()) || e.GetFileName() == ErasedName {
			return false
		}
		e.FileName = ErasedName
		return true
	})
	return erased, events, err
}

// ErasedContents returns up to limit contents waiting for their bytes to be deleted.
func ErasedContents(ctx context.Context, q Querier, limit int) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT sha256 FROM erased_contents ORDER BY erase_time, sha256 LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list erased contents: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// ForgetErasedContent deletes a content's bytes with remove, under its erased_contents row's lock, unless a
// live document holds it again; then it forgets the row. A content another deletion holds is skipped.
func ForgetErasedContent(ctx context.Context, tx pgx.Tx, sha256 string, remove func() error) error {
	var live bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM documents WHERE sha256 = e.sha256 AND NOT erased)
		FROM erased_contents e WHERE e.sha256 = $1 FOR UPDATE SKIP LOCKED`, sha256).Scan(&live)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("erase content %s: %w", sha256, err)
	}
	if !live {
		if err := remove(); err != nil {
			return fmt.Errorf("erase content %s: %w", sha256, err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM erased_contents WHERE sha256 = $1`, sha256); err != nil {
		return fmt.Errorf("erase content %s: %w", sha256, err)
	}
	return nil
}

// GetDocuments returns the documents with ids that exist, in no particular order; the caller checks that
// their partnerships may be seen.
func GetDocuments(ctx context.Context, q Querier, ids []string) ([]Document, error) {
	rows, err := q.Query(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("get documents: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Document, error) { return scanDocument(r) })
}
