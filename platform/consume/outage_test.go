package consume

import (
	"errors"
	"github.com/partnerskap/partnerskap/platform/logtest"
	"log/slog"
	"testing"
	"time"
)

// TestAnOutageIsLoggedOnceThenOnceAMinute polls a source that is down for three and a half minutes at the
// consumer's pace (four polls a second): five lines in all, not 840.
func TestAnOutageIsLoggedOnceThenOnceAMinute(t *testing.T) {
	log := &logtest.Records{}
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
	if got := log.Take(); len(got) != 0 {
		t.Fatalf("a source that answers logged %v", got)
	}
	refused := errors.New("connection refused")
	poll(210*time.Second, refused)
	got := log.Take()
	if len(got) != 4 {
		t.Fatalf("3.5 minutes down logged %d lines, want 4: %v", len(got), got)
	}
	first := got[0]
	if first.Level != slog.LevelWarn || first.Msg != "event source unavailable" || first.Attrs["source"] != "finance" ||
		first.Attrs["error"] != "connection refused" {
		t.Errorf("first line = %+v", first)
	}
	for i, l := range got[1:] {
		if l.Level != slog.LevelWarn || l.Msg != "event source still unavailable" || l.Attrs["failed_polls"] != "240" ||
			l.Attrs["source"] != "finance" || l.Attrs["down_for"] != (time.Duration(i+1)*time.Minute).String() {
			t.Errorf("line %d = %+v; want a minute's 240 failed polls", i+1, l)
		}
	}

	poll(time.Minute, nil)
	got = log.Take()
	if len(got) != 1 || got[0].Level != slog.LevelInfo || got[0].Msg != "event source is back" ||
		got[0].Attrs["failed_polls"] != "840" || got[0].Attrs["down_for"] != "3m30s" {
		t.Fatalf("the recovery logged %+v; want one INFO line with 840 failed polls in 3m30s", got)
	}

	// A second outage starts over.
	poll(time.Second, refused)
	if got := log.Take(); len(got) != 1 || got[0].Msg != "event source unavailable" {
		t.Errorf("a second outage logged %+v", got)
	}
}
