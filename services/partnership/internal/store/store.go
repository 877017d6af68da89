// Package store keeps the partnership service's data in PostgreSQL. Its functions take the transaction they
// run in, so a caller can put a write, its audit record, its history and its idempotency record in one
// transaction; reads take anything that can query.
package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Querier is a pool or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Actor is who makes a change, for the audit log and the row's creator/updater.
type Actor struct {
	Subject   string
	Role      string
	RequestID string
}

// Meta is the bookkeeping every stored resource carries.
type Meta struct {
	Version    int64
	CreateTime time.Time
	UpdateTime time.Time
	Creator    string
	Updater    string
}

// ETag is the resource's etag: it changes whenever the resource does.
func (m Meta) ETag() string { return strconv.FormatInt(m.Version, 10) }

// checkETag refuses a write whose etag names another version than the stored one. An empty etag means the
// caller does not ask for the check.
func checkETag(kind string, m Meta, etag string) error {
	etag = strings.Trim(strings.TrimPrefix(strings.TrimSpace(etag), "W/"), `"`)
	if etag == "" || etag == m.ETag() {
		return nil
	}
	return &fault.Conflict{Reason: "ETAG_MISMATCH", Message: fmt.Sprintf("the %s changed since you read it (etag %q, now %q); read it again and reapply your change", kind, etag, m.ETag())}
}

// newID returns a time-ordered UUID (v7), so that ordering by id is ordering by creation.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// now is the time of a write, at PostgreSQL's microsecond precision so that what we return equals what we store.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// audit records one write in the audit log, in the write's transaction.
func audit(ctx context.Context, tx pgx.Tx, a Actor, at time.Time, action, kind, id string) error {
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (time, actor, actor_role, request_id, action, resource_kind, resource_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, at, a.Subject, a.Role, a.RequestID, action, kind, id)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, id, err)
	}
	return nil
}

// notFoundIfNoRows turns pgx.ErrNoRows into the domain's NotFound.
func notFoundIfNoRows(err error, kind, id string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return &fault.NotFound{Kind: kind, ID: id}
	}
	return err
}
