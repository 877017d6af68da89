package consume

import (
	"log/slog"
	"slices"
	"time"
)

// outageEvery is how often a continuing outage is logged again.
const outageEvery = time.Minute

// outage decides what to log about something the consumer polls (a producer, its own database) while that
// fails. The consumer polls every quarter second, and a line per failed poll buries everything else in the
// log during an outage; so the first failure is logged (WARN), then at most one line per outageEvery with
// the number of failed polls since the last line, and the recovery once (INFO) with the outage's length.
// Not safe for concurrent use: each poller keeps its own.
type outage struct {
	what  string // "event source", "database": the start of each message
	attrs []any  // who is down, on every line ("source", "finance")
	log   *slog.Logger
	now   func() time.Time

	since  time.Time // when the outage began; zero while up
	logged time.Time // when it was last logged
	failed int       // polls failed since then
	total  int       // polls failed in the outage
}

func newOutage(what string, attrs ...any) *outage {
	return &outage{what: what, attrs: attrs, log: slog.Default(), now: time.Now}
}

// fail records a failed poll.
func (o *outage) fail(err error) {
	now := o.now()
	o.failed++
	o.total++
	switch {
	case o.since.IsZero():
		o.since, o.logged, o.failed = now, now, 0
		o.log.Warn(o.what+" unavailable", o.with("error", err.Error())...)
	case now.Sub(o.logged) >= outageEvery:
		o.log.Warn(o.what+" still unavailable", o.with("error", err.Error(), "failed_polls", o.failed,
			"down_for", now.Sub(o.since).Round(time.Second).String())...)
		o.logged, o.failed = now, 0
	}
}

// ok records a successful poll, logging the end of an outage.
func (o *outage) ok() {
	if o.since.IsZero() {
		return
	}
	o.log.Info(o.what+" is back", o.with("failed_polls", o.total,
		"down_for", o.now().Sub(o.since).Round(time.Second).String())...)
	o.since, o.failed, o.total = time.Time{}, 0, 0
}

// with is the outage's attributes followed by kv, in a slice of its own.
func (o *outage) with(kv ...any) []any { return slices.Concat(o.attrs, kv) }
