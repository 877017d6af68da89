// Package logtest keeps what a test's code logs, to check what was logged and how often.
package logtest

import (
	"context"
	"log/slog"
	"sync"
)

// Records is a slog.Handler that keeps what is logged.
type Records struct {
	mu   sync.Mutex
	list []slog.Record
}

func (r *Records) Enabled(context.Context, slog.Level) bool { return true }
func (r *Records) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *Records) WithGroup(string) slog.Handler            { return r }

// Handle keeps rec.
func (r *Records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, rec)
	return nil
}

// Logged is one record: its level, message and attributes as strings.
type Logged struct {
	Level slog.Level
	Msg   string
	Attrs map[string]string
}

// Take returns what was logged since the last Take.
func (r *Records) Take() []Logged {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Logged
	for _, rec := range r.list {
		l := Logged{Level: rec.Level, Msg: rec.Message, Attrs: map[string]string{}}
		rec.Attrs(func(a slog.Attr) bool { l.Attrs[a.Key] = a.Value.String(); return true })
		out = append(out, l)
	}
	r.list = nil
	return out
}
