package consume

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// records is a slog.Handler that keeps what is logged.
type records struct {
	mu   sync.Mutex
	list []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *records) WithGroup(string) slog.Handler            { return r }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, rec)
	return nil
}

// take returns what was logged since the last take, as level, message and attributes.
func (r *records) take() []logged {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []logged
	for _, rec := range r.list {
		l := logged{level: rec.Level, msg: rec.Message, attrs: map[string]string{}}
		rec.Attrs(func(a slog.Attr) bool { l.attrs[a.Key] = a.Value.String(); return true })
		out = append(out, l)
	}
	r.list = nil
	return out
}

type logged struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

// TestAnOutageIsLoggedOnceThenOnceAMinute polls a source that is down for three and a half minutes at the
// consumer's pace (four polls a second): five lines in all, not 840.
func TestAnOutageIsLoggedOnceThenOnceAMinute(t *testing.T) {
	log := &records{}
	clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	o := newOutage("event source", "source", "finance")
	o.log, o.now = slog.New(log), func() time.Time { return clock }
	poll := func(d time.Duration, err error) {
		for end := clock.Add(d); clock.Before(end); clock = clock.Add(250 * time.Millisecond) {
			if err != nil {
				o.fail(err)
			} else {
				o.ok()
			}
		}
	}

	poll(time.Minute, nil)
	if got := log.take(); len(got) != 0 {
		t.Fatalf("a source that answers logged %v", got)
	}
	refused := errors.New("connection refused")
	poll(210*time.Second, refused)
	got := log.take()
	if len(got) != 4 {
		t.Fatalf("3.5 minutes down logged %d lines, want 4: %v", len(got), got)
	}
	first := got[0]
	if first.level != slog.LevelWarn || first.msg != "event source unavailable" || first.attrs["source"] != "finance" ||
		first.attrs["error"] != "connection refused" {
		t.Errorf("first line = %+v", first)
	}
	for i, l := range got[1:] {
		if l.level != slog.LevelWarn || l.msg != "event source still unavailable" || l.attrs["failed_polls"] != "240" ||
			l.attrs["source"] != "finance" || l.attrs["down_for"] != (time.Duration(i+1)*time.Minute).String() {
			t.Errorf("line %d = %+v; want a minute's 240 failed polls", i+1, l)
		}
	}

	poll(time.Minute, nil)
	got = log.take()
	if len(got) != 1 || got[0].level != slog.LevelInfo || got[0].msg != "event source is back" ||
		got[0].attrs["failed_polls"] != "840" || got[0].attrs["down_for"] != "3m30s" {
		t.Fatalf("the recovery logged %+v; want one INFO line with 840 failed polls in 3m30s", got)
	}

	// A second outage starts over.
	poll(time.Second, refused)
	if got := log.take(); len(got) != 1 || got[0].msg != "event source unavailable" {
		t.Errorf("a second outage logged %+v", got)
	}
}
