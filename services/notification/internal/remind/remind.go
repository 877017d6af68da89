// Package remind makes the e-mails that come from the calendar: a reminder when a deadline comes near (at each
// of the programme's distances, ProgrammeRules.reminders, or the person's own), and each week a digest of what is due. It runs over and over; every e-mail has a
// key (the person, the deadline and the distance; the person and the week), so running again, after a crash
// or on another replica, makes none twice.
package remind

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
	"github.com/partnerskap/partnerskap/services/notification/internal/store"
	"github.com/partnerskap/partnerskap/services/notification/internal/texts"
)

// Sources is what the scheduler asks of the other services, with the service's own identity.
type Sources interface {
	Deadlines(ctx context.Context, asCaller bool, from, to civil.Date, org string) ([]agenda.Deadline, []string, error)
	People(ctx context.Context, org string) ([]agenda.Person, error)
	// ReminderDays are the programme's distances before a deadline (its versioned rules).
	ReminderDays(ctx context.Context, day civil.Date) ([]int, error)
}

// Scheduler makes reminders and digests.
type Scheduler struct {
	Pool    *pgxpool.Pool
	Sources Sources
	// DigestDay is the weekday digests are made on.
	DigestDay time.Weekday
	// Interval is how long the scheduler waits between runs.
	Interval time.Duration
	LinkBase string
	// Today is the programme's day (in Sweden); tests replace it.
	Today func() civil.Date
}

// Run runs the scheduler until ctx ends.
func (s Scheduler) Run(ctx context.Context) error {
	for {
		if n, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("reminders and digests", "err", err)
		} else if n > 0 {
			slog.Info("reminders and digests made", "messages", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(s.Interval):
		}
	}
}

// RunOnce makes the reminders and digests due today that are not made yet, and returns how many it made.
func (s Scheduler) RunOnce(ctx context.Context) (int, error) {
	today := s.today()
	people, err := s.Sources.People(ctx, "")
	if err != nil {
		return 0, err
	}
	days, err := s.Sources.ReminderDays(ctx, today)
	if err != nil {
		return 0, err
	}
	ahead := agenda.DigestSpan
	for _, p := range people {
		if at := p.RemindedAt(days); len(at) > 0 {
			ahead = max(ahead, slices.Max(at))
		}
	}
	ds, unavailable, err := s.Sources.Deadlines(ctx, false, today, today.AddDays(ahead), "")
	if err != nil {
		return 0, err
	}
	if len(unavailable) > 0 {
		// What the others answered is reminded of now; the rest at the next run, which finds the first made.
		slog.Warn("some services did not answer their deadlines", "services", strings.Join(unavailable, ","))
	}
	made := 0
	week := agenda.DigestWeek(today)
	for _, p := range people {
		var mine []agenda.Deadline
		for _, d := range ds {
			if p.Concerns(d) {
				mine = append(mine, d)
			}
		}
		var messages []store.Message
		if !p.NoReminders {
			for _, r := range agenda.RemindersDue(mine, p.RemindedAt(days), today) {
				mail := texts.Reminder(p.Language, p.Name, r, s.LinkBase+r.Deadline.Resource)
				messages = append(messages, store.NewMessage(p, "reminder", "reminder/"+p.ID+"/"+r.Deadline.ID+"/"+strconv.Itoa(r.Days), mail))
			}
		}
		if digest := agenda.Digest(mine, today); !p.NoDigest && agenda.DigestDue(today, s.DigestDay) && len(digest) > 0 {
			mail := texts.Digest(p.Language, p.Name, week, digest, s.LinkBase)
			messages = append(messages, store.NewMessage(p, "digest", "digest/"+p.ID+"/"+week, mail))
		}
		for _, m := range messages {
			fresh, err := store.Enqueue(ctx, s.Pool, m)
			if err != nil {
				return made, err
			}
			if fresh {
				made++
			}
		}
	}
	return made, nil
}

func (s Scheduler) today() civil.Date {
	if s.Today != nil {
		return s.Today()
	}
	return civil.DateOf(time.Now())
}
