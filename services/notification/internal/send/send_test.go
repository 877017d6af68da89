package send

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/notification/internal/store"
	"github.com/partnerskap/partnerskap/services/notification/migrations"
)

// A server that cannot be reached: each attempt is recorded with its error and tried again after a backoff
// that doubles, until the last attempt gives the e-mail up.
func TestFailedAttemptsBackOffThenGiveUp(t *testing.T) {
	pool := pgtest.NewPool(t, migrations.FS)
	ctx := context.Background()
	if _, err := store.Enqueue(ctx, pool, store.Message{DedupeKey: "k", PersonID: "0190c5a2-0000-7000-8000-000000000001", Kind: "reminder",
		Language: "en", To: "anna@example.org", Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := lis.Addr().(*net.TCPAddr).Port
	lis.Close() // nothing listens there now
	now := time.Now()
	settings := DefaultSettings()
	settings.Port, settings.MaxAttempts, settings.Backoff = port, 3, time.Minute
	s := Sender{Pool: pool, Settings: settings, Now: func() time.Time { return now }}
	for attempt, wait := range []time.Duration{time.Minute, 2 * time.Minute, 0} {
		if _, err := s.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		ms, err := store.ListMessages(ctx, pool, "", "", 10)
		if err != nil || len(ms) != 1 {
			t.Fatalf("%v %v", ms, err)
		}
		m := ms[0]
		switch {
		case m.Attempts != attempt+1 || m.LastError == "":
			t.Fatalf("after attempt %d: %+v", attempt+1, m)
		case wait > 0 && (m.State != "pending" || m.NextAttempt.Sub(now).Round(time.Millisecond) != wait):
			t.Errorf("after attempt %d: %s, next at %s, want in %s", attempt+1, m.State, m.NextAttempt, wait)
		case wait == 0 && m.State != "failed":
			t.Errorf("after the last attempt: %s", m.State)
		}
		if n, _ := s.SendDue(ctx); n != 0 {
			t.Errorf("a message not yet due again was tried %d times more", n)
		}
		now = now.Add(wait)
	}
	if err := (Settings{TLS: "none", Username: "u", From: "a@b", MaxAttempts: 1, Backoff: time.Second, Interval: time.Second}).Validate(); err == nil {
		t.Error("a password without TLS was accepted")
	}
}

// With the server down, a round tries one e-mail, not each in turn: the rest wait for the next round.
func TestADownServerStopsTheRound(t *testing.T) {
	pool := pgtest.NewPool(t, migrations.FS)
	ctx := context.Background()
	for _, key := range []string{"a", "b", "c"} {
		if _, err := store.Enqueue(ctx, pool, store.Message{DedupeKey: key, PersonID: "0190c5a2-0000-7000-8000-000000000001", Kind: "reminder",
			Language: "en", To: "anna@example.org", Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := lis.Addr().(*net.TCPAddr).Port
	lis.Close()
	settings := DefaultSettings()
	settings.Port = port
	if _, err := (Sender{Pool: pool, Settings: settings}).SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	ms, err := store.ListMessages(ctx, pool, "", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, m := range ms {
		tried += m.Attempts
	}
	if tried != 1 {
		t.Errorf("%d attempts in one round against a server that is down, want 1", tried)
	}
}
