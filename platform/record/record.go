// Package record holds what every service's store does around a write: the Querier a store function runs on,
// the Actor who makes the change (taken from the request), the audit log row written in the change's own
// transaction, time-ordered ids, etags from a row version, and NOT_FOUND for a missing row. Each service's
// database has the audit_log table the package writes to (platform/schema makes it).
package record

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

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/requestid"
)

// Querier is a pool or a transaction, so a store function can join its caller's transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Actor is who makes a change, for the audit log and a row's creator or updater.
type Actor struct {
	Subject   string
	Role      string
	RequestID string
}

// ActorFrom returns the authenticated caller of ctx and its request id.
func ActorFrom(ctx context.Context) Actor {
	p := auth.Caller(ctx)
	return Actor{Subject: p.Subject, Role: string(p.Role), RequestID: requestid.From(ctx)}
}

// NewID returns a time-ordered UUID (v7), so that ordering by id is ordering by creation.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Now is the time of a write at PostgreSQL's microsecond precision, so what a write returns equals what it
// stored.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Audit writes one audit_log row for a change, in the change's transaction q.
func Audit(ctx context.Context, q Querier, a Actor, at time.Time, action, kind, id, detail string) error {
	if _, err := q.Exec(ctx, auditSQL, at, a.Subject, a.Role, a.RequestID, action, kind, id, detail); err != nil {
		return fmt.Errorf("audit %s %s %s: %w", action, kind, id, err)
	}
	return nil
}

// QueueAudit adds the audit row Audit writes to batch, for a change that sends its writes in one round trip.
func QueueAudit(batch *pgx.Batch, a Actor, at time.Time, action, kind, id, detail string) {
	batch.Queue(auditSQL, at, a.Subject, a.Role, a.RequestID, action, kind, id, detail)
}

const auditSQL = `INSERT INTO audit_log (time, actor, actor_role, request_id, action, resource_kind, resource_id, detail)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

// NotFound turns pgx.ErrNoRows into a *fault.NotFound of kind and id; other errors pass unchanged.
func NotFound(err error, kind, id string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return &fault.NotFound{Kind: kind, ID: id}
	}
	return err
}

// Meta is the bookkeeping every stored resource carries: its version (for etags) and who made and last
// changed it, when.
type Meta struct {
	Version    int64
	CreateTime time.Time
	UpdateTime time.Time
	Creator    string
	Updater    string
}

// ETag is the resource's etag: it changes whenever the resource does.
func (m Meta) ETag() string { return ETag(m.Version) }

// ETag is the etag of a row version.
func ETag(version int64) string { return strconv.FormatInt(version, 10) }

// CheckETag returns a *fault.Conflict when the client's etag (quoted, weak or bare) names another version than
// the stored one; an empty etag means the client did not ask for the check.
func CheckETag(kind string, version int64, etag string) error {
	etag = strings.Trim(strings.TrimPrefix(strings.TrimSpace(etag), "W/"), `"`)
	if etag == "" || etag == ETag(version) {
		return nil
	}
	return &fault.Conflict{Reason: "ETAG_MISMATCH", Message: fmt.Sprintf("the %s changed since you read it (etag %q, now %q); read it again and reapply your change", kind, etag, ETag(version))}
}
