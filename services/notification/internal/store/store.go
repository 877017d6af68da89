// Package store is the notification service's SQL: messages, feeds.
package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
	"github.com/partnerskap/partnerskap/services/notification/internal/texts"
)

// Querier is what both a pool and a transaction offer.
type Querier = record.Querier

// Message is one e-mail.
type Message struct {
	ID, DedupeKey, PersonID, Kind, Language, To, Subject, Body string
	State                                                      string
	Attempts                                                   int
	NextAttempt                                                time.Time
	LastError                                                  string
	Erased                                                     bool
	CreateTime                                                 time.Time
	SentTime                                                   *time.Time
}

const messageColumns = `id, dedupe_key, person_id, kind, language, to_address, subject, body, state, attempts, next_attempt_time,
	last_error, erased, create_time, sent_time`

func scanMessage(row pgx.Row) (Message, error) {
	var m Message
	err := row.Scan(&m.ID, &m.DedupeKey, &m.PersonID, &m.Kind, &m.Language, &m.To, &m.Subject, &m.Body, &m.State, &m.Attempts,
		&m.NextAttempt, &m.LastError, &m.Erased, &m.CreateTime, &m.SentTime)
	return m, err
}

// NewMessage is mail to p, of kind ("reminder", "request", "digest"), made once for key.
func NewMessage(p agenda.Person, kind, key string, mail texts.Mail) Message {
	return Message{DedupeKey: key, PersonID: p.ID, Kind: kind, Language: p.Language, To: p.Email, Subject: mail.Subject, Body: mail.Body}
}

// Enqueue records m to be sent, unless a message with its dedupe key exists: the same reason makes one e-mail,
// however often it is found again. It reports whether m is new.
func Enqueue(ctx context.Context, q Querier, m Message) (bool, error) {
	at := record.Now()
	tag, err := q.Exec(ctx, `INSERT INTO messages (id, dedupe_key, person_id, kind, language, to_address, subject, body, state,
		next_attempt_time, create_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9) ON CONFLICT (dedupe_key) DO NOTHING`,
		record.NewID(), m.DedupeKey, m.PersonID, m.Kind, m.Language, m.To, m.Subject, m.Body, at)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", m.DedupeKey, err)
	}
	return tag.RowsAffected() == 1, nil
}

// NextDue locks the next message due to be sent in tx, skipping those another sender holds; ok is false when
// none is due.
func NextDue(ctx context.Context, tx pgx.Tx, now time.Time) (Message, bool, error) {
	m, err := scanMessage(tx.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE state = 'pending' AND next_attempt_time <= $1 ORDER BY next_attempt_time, id LIMIT 1 FOR UPDATE SKIP LOCKED`, now))
	if errors.Is(err, pgx.ErrNoRows) {
		return m, false, nil
	}
	return m, err == nil, err
}

// MarkSent records that the message id was handed over at its attempts-th attempt.
func MarkSent(ctx context.Context, q Querier, id string, attempts int, at time.Time) error {
	_, err := q.Exec(ctx, `UPDATE messages SET state = 'sent', attempts = $2, sent_time = $3, last_error = '' WHERE id = $1`, id, attempts, at)
	return err
}

// MarkFailed records that the attempts-th attempt at the message id failed: it is tried again at retry, or given
// up when retry is zero.
func MarkFailed(ctx context.Context, q Querier, id string, attempts int, reason string, retry time.Time) error {
	state := "pending"
	if retry.IsZero() {
		state, retry = "failed", record.Now()
	}
	_, err := q.Exec(ctx, `UPDATE messages SET state = $2, attempts = $3, next_attempt_time = $4, last_error = $5, sent_time = NULL
		WHERE id = $1`, id, state, attempts, retry, reason)
	return err
}

// CancelPending gives up the messages not yet sent whose key starts with prefix, saying why; it returns how
// many.
func CancelPending(ctx context.Context, q Querier, prefix, reason string) (int, error) {
	tag, err := q.Exec(ctx, `UPDATE messages SET state = 'failed', last_error = $2
		WHERE state = 'pending' AND starts_with(dedupe_key, $1)`, prefix, reason)
	if err != nil {
		return 0, fmt.Errorf("cancel %s: %w", prefix, err)
	}
	return int(tag.RowsAffected()), nil
}

// ListMessages returns up to limit messages, newest first (ids are UUIDv7, in the order they were made), after
// the one with id after; of one person when personID is not empty.
func ListMessages(ctx context.Context, q Querier, personID, after string, limit int) ([]Message, error) {
	rows, err := q.Query(ctx, `SELECT `+messageColumns+` FROM messages WHERE ($1 = '' OR person_id = NULLIF($1, '')::uuid)
		AND ($2 = '' OR id < NULLIF($2, '')::uuid) ORDER BY id DESC LIMIT $3`, personID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Message, error) { return scanMessage(r) })
}

// EraseMessages erases what the messages to a person hold of them (address, text); the ones not yet sent are
// given up. It returns how many it erased.
func EraseMessages(ctx context.Context, q Querier, personID string) (int, error) {
	tag, err := q.Exec(ctx, `UPDATE messages SET to_address = '', subject = 'erased', body = '', erased = true,
		state = CASE WHEN state = 'pending' THEN 'failed' ELSE state END,
		last_error = CASE WHEN state = 'pending' THEN 'the person was erased' ELSE last_error END
		WHERE person_id = $1 AND NOT erased`, personID)
	if err != nil {
		return 0, fmt.Errorf("erase messages of %s: %w", personID, err)
	}
	return int(tag.RowsAffected()), nil
}

// Feed is a calendar's access to its owner's deadlines.
type Feed struct {
	ID, Subject, Role, Organization, Name string
	CreateTime                            time.Time
}

const feedColumns = `id, subject, role, organization, display_name, create_time`

func scanFeed(row pgx.Row) (Feed, error) {
	var f Feed
	err := row.Scan(&f.ID, &f.Subject, &f.Role, &f.Organization, &f.Name, &f.CreateTime)
	return f, err
}

// TokenHash is what is kept of a feed token.
func TokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// CreateFeed records a feed whose token is token.
func CreateFeed(ctx context.Context, q Querier, f Feed, token string) (Feed, error) {
	stored, err := scanFeed(q.QueryRow(ctx, `INSERT INTO feeds (id, subject, role, organization, display_name, token_sha256, create_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+feedColumns, record.NewID(), f.Subject, f.Role, f.Organization, f.Name,
		TokenHash(token), record.Now()))
	if err != nil {
		var pg *pgconn.PgError
		if errors.As(err, &pg) && pg.Code == "23505" {
			return stored, &fault.Conflict{Reason: "TOKEN_TAKEN", Message: "make the feed again"}
		}
		return stored, fmt.Errorf("create feed: %w", err)
	}
	return stored, nil
}

// FeedOfToken returns the feed whose token is token, unless revoked.
func FeedOfToken(ctx context.Context, q Querier, token string) (Feed, error) {
	f, err := scanFeed(q.QueryRow(ctx, `SELECT `+feedColumns+` FROM feeds WHERE token_sha256 = $1 AND revoke_time IS NULL`, TokenHash(token)))
	return f, record.NotFound(err, "feed", "with this token")
}

// ListFeeds returns subject's feeds that are not revoked, oldest first.
func ListFeeds(ctx context.Context, q Querier, subject string) ([]Feed, error) {
	rows, err := q.Query(ctx, `SELECT `+feedColumns+` FROM feeds WHERE subject = $1 AND revoke_time IS NULL ORDER BY create_time, id`, subject)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Feed, error) { return scanFeed(r) })
}

// RevokeFeed revokes subject's feed id; another's, or one already revoked, is not found.
func RevokeFeed(ctx context.Context, q Querier, subject, id string) error {
	tag, err := q.Exec(ctx, `UPDATE feeds SET revoke_time = $3 WHERE id = $1 AND subject = $2 AND revoke_time IS NULL`, id, subject, record.Now())
	if err != nil {
		return fmt.Errorf("revoke feed: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return &fault.NotFound{Kind: "feed", ID: id}
	}
	return nil
}
