// Package store keeps the network service's data in PostgreSQL. Its functions take the transaction or pool
// they run on, so a caller can put a write, its audit record and its idempotency record in one transaction.
package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
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

// newID returns a time-ordered UUID (v7), so that ordering by id is ordering by creation.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// now is the time of a write, at PostgreSQL's microsecond precision.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func audit(ctx context.Context, q Querier, a Actor, at time.Time, action, kind, id, detail string) error {
	_, err := q.Exec(ctx, `INSERT INTO audit_log (time, actor, actor_role, request_id, action, resource_kind, resource_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, at, a.Subject, a.Role, a.RequestID, action, kind, id, detail)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, id, err)
	}
	return nil
}

func notFoundIfNoRows(err error, kind, id string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return &fault.NotFound{Kind: kind, ID: id}
	}
	return err
}

// ETag is the etag of a stored version.
func ETag(version int64) string { return strconv.FormatInt(version, 10) }

func checkETag(kind string, version int64, etag string) error {
	etag = strings.Trim(strings.TrimPrefix(strings.TrimSpace(etag), "W/"), `"`)
	if etag == "" || etag == ETag(version) {
		return nil
	}
	return &fault.Conflict{Reason: "ETAG_MISMATCH", Message: fmt.Sprintf("the %s changed since you read it (etag %q, now %q); read it again and reapply your change", kind, etag, ETag(version))}
}

// dateOfNullable reads a nullable DATE column; NULL is the zero Date.
func dateOfNullable(t *time.Time) domain.Date {
	if t == nil {
		return domain.Date{}
	}
	return civil.DateFromTime(*t)
}
