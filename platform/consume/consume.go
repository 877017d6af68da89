// Package consume reads the producers' event streams and applies them to a consumer's own tables (the
// reporting service's read models, the notification service's messages). For each producer
// it asks for the events after its cursor and applies a page in one transaction that also moves the cursor,
// so delivery is at least once and the effect exactly once: a crash at any point rolls back both the effects
// and the cursor, and the next run reads the same events again. A malformed event is parked (kept whole,
// counted in a metric) and passed over, so it never blocks the events behind it. A consumer's database holds
// the tables consumer_cursors and parked_events (the reporting and notification services' migrations).
//
// No page can stop a stream for being too large: producers bound each page by bytes as well as by count
// (platform/outbox), the consumer receives up to 16 times that (MaxResponseBytes), and a page it still cannot
// receive makes it ask for fewer events, down to one (pager). A failing producer is logged once, then once a
// minute (outage), not at every poll.
//
// Normally one consumer applies events at a time, whatever the number of replicas: it holds a PostgreSQL
// advisory lock on a connection of its own for as long as it runs, and the others wait for it. Exactly-once
// does not depend on that lock: each page is applied under the cursor row's lock and only from the cursor it
// was read at, so a second consumer (a lost lock connection, a rebuild) can never apply a page twice.
package consume

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/proto"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/postgres"
)

// Source is one producer's stream.
type Source struct {
	// Name is the producer: "partnership", "network" or "finance".
	Name string
	// List reads the events after a seq (the producer's EventService.ListEvents, with the service's identity).
	List func(ctx context.Context, after int64, limit int) (*eventspb.ListEventsResponse, error)
}

// Metrics are the consumer's metrics (the contract in deploy/README.md).
type Metrics struct {
	Lag    *prometheus.GaugeVec
	Parked *prometheus.CounterVec
}

// NewMetrics makes the metrics of the consuming service ("reporting": partnerskap_reporting_event_lag_seconds);
// register their collectors once per process.
func NewMetrics(service string) Metrics {
	return Metrics{
		Lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "partnerskap_" + service + "_event_lag_seconds",
			Help: "How far the consumer trails the source, in seconds: 0 when caught up; while events wait, the age of the newest event applied (at least the age of the oldest waiting); while the source cannot be reached, the time since the consumer was last caught up."}, []string{"source"}),
		Parked: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "partnerskap_" + service + "_events_parked_total",
			Help: "Events set aside because they were malformed or of an unknown version."}, []string{"source"}),
	}
}

// Collectors returns the metrics to register.
func (m Metrics) Collectors() []prometheus.Collector { return []prometheus.Collector{m.Lag, m.Parked} }

// Consumer applies the streams of its sources.
type Consumer struct {
	Pool    *pgxpool.Pool
	Sources []Source
	Metrics Metrics
	// Apply applies one event in tx. An error Malformed reports parks the event; any other is a fault of the
	// database, and the page is retried.
	Apply     func(ctx context.Context, tx pgx.Tx, e *eventspb.Event) error
	Malformed func(error) bool
	// Reset empties what Apply built, so that Rebuild starts again from nothing.
	Reset func(ctx context.Context, tx pgx.Tx) error
	// Interval is how long to wait after an empty page, or after a failure, before asking again.
	Interval time.Duration
	// PageSize is how many events one transaction applies at most.
	PageSize int
	// FromNow starts a source the consumer has never read at its head, not at its first event: for a
	// consumer whose effects are about the present (e-mails asking people to act), history is not news.
	FromNow bool
}

// leaderLock is the advisory lock that lets one consumer run at a time.
const leaderLock = 0x7265706f_72746572 // "reporter"

// Run applies events until ctx ends. It first waits to become the only consumer.
func (c Consumer) Run(ctx context.Context) error {
	conn, err := c.lead(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// The connection goes back to the pool: give the lock back first, so it is not held by an idle
		// connection (a lock held by a session dies only with the session).
		unlockCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(unlockCtx, `SELECT pg_advisory_unlock($1)`, int64(leaderLock)); err != nil {
			conn.Conn().Close(unlockCtx) // closing the session releases the lock
		}
		conn.Release()
	}()
	slog.Info("event consumer running", "sources", len(c.Sources))
	var wg sync.WaitGroup
	for _, s := range c.Sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.follow(ctx, s)
		}()
	}
	wg.Wait()
	for _, s := range c.Sources {
		c.Metrics.Lag.DeleteLabelValues(s.Name)
	}
	return nil
}

// lead waits until this process holds the leader lock, on a connection it keeps.
func (c Consumer) lead(ctx context.Context) (*pgxpool.Conn, error) {
	down := newOutage("event consumer's database")
	for {
		conn, err := c.Pool.Acquire(ctx)
		if err == nil {
			var got bool
			if err = conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, int64(leaderLock)).Scan(&got); err == nil && got {
				down.ok()
				return conn, nil
			}
			conn.Release()
		}
		switch {
		case err == nil: // another consumer leads: waiting is normal
			down.ok()
		case ctx.Err() == nil:
			down.fail(err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

// follow reads one source until ctx ends, keeping its lag metric current.
func (c Consumer) follow(ctx context.Context, s Source) {
	caughtUp := time.Now() // the last moment the consumer knew it had every event of s
	pages := newPager(c.pageSize())
	down := newOutage("event source", "source", s.Name)
	for ctx.Err() == nil {
		n, pendingSince, err := c.step(ctx, s, pages)
		now := time.Now()
		switch {
		case err == nil:
			down.ok()
		case ctx.Err() == nil:
			down.fail(err)
		}
		switch {
		case err != nil:
			c.Metrics.Lag.WithLabelValues(s.Name).Set(now.Sub(caughtUp).Seconds())
		case pendingSince.IsZero():
			caughtUp = now
			c.Metrics.Lag.WithLabelValues(s.Name).Set(0)
		default:
			c.Metrics.Lag.WithLabelValues(s.Name).Set(max(now.Sub(pendingSince).Seconds(), 0))
		}
		if err == nil && n > 0 {
			continue // more may be waiting: ask again at once
		}
		select {
		case <-ctx.Done():
		case <-time.After(c.Interval):
		}
	}
}

// pageSize is how many events the consumer asks for at most.
func (c Consumer) pageSize() int {
	if c.PageSize <= 0 {
		return 500
	}
	return c.PageSize
}

// step applies the next page of s's events in one transaction with the cursor, asking for as many as pages
// says. It returns how many events it applied or parked and, when the producer holds more, the commit time
// of the newest event applied (every event still waiting committed after it).
func (c Consumer) step(ctx context.Context, s Source, pages *pager) (int, time.Time, error) {
	var cursor int64
	var known bool
	if err := c.Pool.QueryRow(ctx, `SELECT COALESCE((SELECT seq FROM consumer_cursors WHERE producer = $1), 0),
		EXISTS (SELECT 1 FROM consumer_cursors WHERE producer = $1)`, s.Name).Scan(&cursor, &known); err != nil {
		return 0, time.Time{}, fmt.Errorf("read cursor: %w", err)
	}
	if c.FromNow && !known {
		return 0, time.Time{}, c.startAtHead(ctx, s)
	}
	page, err := read(ctx, s, cursor, pages)
	if err != nil {
		return 0, time.Time{}, err
	}
	events := page.GetEvents()
	if len(events) == 0 {
		return 0, time.Time{}, nil
	}
	parked := 0
	err = postgres.InTx(ctx, c.Pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		var err error
		parked, err = c.applyPage(ctx, tx, s.Name, cursor, events)
		return err
	})
	if errors.Is(err, errMoved) {
		return 0, time.Time{}, nil // someone else applied this page; read the cursor again
	}
	if err != nil {
		return 0, time.Time{}, err
	}
	if parked > 0 {
		c.Metrics.Parked.WithLabelValues(s.Name).Add(float64(parked))
	}
	var pending time.Time
	if last := events[len(events)-1]; last.GetSeq() < page.GetHeadSeq() {
		pending = last.GetTime().AsTime()
	}
	return len(events), pending, nil
}

var errMoved = errors.New("the cursor moved")

// startAtHead puts s's cursor at its head, passing over what it already holds (FromNow); a cursor another
// consumer put first stays.
func (c Consumer) startAtHead(ctx context.Context, s Source) error {
	page, err := s.List(ctx, 0, 1)
	if err != nil {
		return err
	}
	_, err = c.Pool.Exec(ctx, `INSERT INTO consumer_cursors (producer, seq) VALUES ($1, $2) ON CONFLICT (producer) DO NOTHING`,
		s.Name, page.GetHeadSeq())
	if err == nil {
		slog.Info("event consumer starts at the source's head", "source", s.Name, "seq", page.GetHeadSeq())
	}
	return err
}

// applyPage applies events (read after cursor) in tx and moves the cursor past them, returning how many were
// parked. The cursor row is locked first: a second consumer waits here, and finds the cursor moved.
func (c Consumer) applyPage(ctx context.Context, tx pgx.Tx, producer string, cursor int64, events []*eventspb.Event) (int, error) {
	var locked int64
	err := tx.QueryRow(ctx, `INSERT INTO consumer_cursors (producer, seq) VALUES ($1, 0)
		ON CONFLICT (producer) DO UPDATE SET producer = EXCLUDED.producer RETURNING seq`, producer).Scan(&locked)
	if err != nil {
		return 0, fmt.Errorf("lock cursor: %w", err)
	}
	if locked != cursor {
		return 0, errMoved
	}
	parked := 0
	for _, e := range events {
		reason, err := c.applyOne(ctx, tx, e)
		if err != nil {
			return 0, fmt.Errorf("event %d of %s: %w", e.GetSeq(), producer, err)
		}
		if reason != "" {
			parked++
			if err := park(ctx, tx, producer, e, reason); err != nil {
				return 0, err
			}
		}
	}
	last := events[len(events)-1]
	_, err = tx.Exec(ctx, `UPDATE consumer_cursors SET seq = $2, event_time = $3 WHERE producer = $1`,
		producer, last.GetSeq(), last.GetTime().AsTime())
	return parked, err
}

// applyOne applies e under a savepoint. It returns the reason to park e when Apply refuses it, or when the
// database refuses its data (a value out of range, a constraint): such an event would fail the same way on
// every retry and block the stream behind it. Other errors (the connection, a deadlock) roll back the page,
// which is retried.
func (c Consumer) applyOne(ctx context.Context, tx pgx.Tx, e *eventspb.Event) (string, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return "", err
	}
	err = c.Apply(ctx, sp, e)
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return "", sp.Commit(ctx)
	case c.Malformed(err):
		return err.Error(), sp.Rollback(ctx)
	case errors.As(err, &pgErr) && (strings.HasPrefix(pgErr.Code, "22") || strings.HasPrefix(pgErr.Code, "23")):
		return "the database refused the event's data: " + pgErr.Message, sp.Rollback(ctx)
	}
	_ = sp.Rollback(ctx)
	return "", err
}

func park(ctx context.Context, tx pgx.Tx, producer string, e *eventspb.Event, reason string) error {
	payload, _ := proto.Marshal(e.GetPayload())
	var at any
	if e.GetTime() != nil {
		at = e.GetTime().AsTime()
	}
	slog.Warn("event parked", "source", producer, "seq", e.GetSeq(), "type", e.GetPayload().GetTypeUrl(), "reason", reason)
	_, err := tx.Exec(ctx, `INSERT INTO parked_events (producer, seq, id, type, schema_version, reason, payload, event_time, parked_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) ON CONFLICT (producer, seq) DO NOTHING`,
		producer, e.GetSeq(), e.GetId(), e.GetPayload().GetTypeUrl(), e.GetSchemaVersion(), reason, payload, at)
	return err
}

// CatchUp applies every source's events until each is up to date (tests).
func (c Consumer) CatchUp(ctx context.Context) error {
	for _, s := range c.Sources {
		pages := newPager(c.pageSize())
		for {
			n, _, err := c.step(ctx, s, pages)
			if err != nil {
				return fmt.Errorf("%s: %w", s.Name, err)
			}
			if n == 0 {
				break
			}
		}
	}
	return nil
}

// Rebuild empties what Apply built (Reset) and replays every source's stream from the start, all in one
// transaction: readers keep seeing the old reports (or wait, while the tables are locked) until the new ones
// are complete, never a half-built total. A consumer running meanwhile waits on the cursor rows and then
// finds them moved.
func (c Consumer) Rebuild(ctx context.Context) error {
	return postgres.InTx(ctx, c.Pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if err := c.Reset(ctx, tx); err != nil {
			return fmt.Errorf("reset: %w", err)
		}
		for _, s := range c.Sources {
			var cursor int64
			pages := newPager(c.pageSize())
			for {
				page, err := read(ctx, s, cursor, pages)
				if err != nil {
					return fmt.Errorf("%s: %w", s.Name, err)
				}
				events := page.GetEvents()
				if len(events) == 0 {
					break
				}
				parked, err := c.applyPage(ctx, tx, s.Name, cursor, events)
				if err != nil {
					return fmt.Errorf("%s: %w", s.Name, err)
				}
				if parked > 0 {
					c.Metrics.Parked.WithLabelValues(s.Name).Add(float64(parked))
				}
				cursor = events[len(events)-1].GetSeq()
			}
		}
		return nil
	})
}
