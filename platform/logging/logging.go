// Package logging sets up the process's log/slog logger: JSON lines on stderr, each carrying the request id of
// the context it was logged with, so one request can be followed through the gateway and the services.
package logging

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/partnerskap/partnerskap/platform/requestid"
)

// New returns a JSON logger writing to w at the given level ("debug", "info", "warn", "error"), with the
// attribute service=name on every line.
func New(w io.Writer, level, name string) *slog.Logger {
	var lvl slog.Level
	switch strings.ToLower(level) {
	case "debug":
		lvl = slog.LevelDebug
	case "warn":
		lvl = slog.LevelWarn
	case "error":
		lvl = slog.LevelError
	default:
		lvl = slog.LevelInfo
	}
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lvl})
	return slog.New(requestIDHandler{h}).With("service", name)
}

// requestIDHandler adds request_id from the context to every record.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := requestid.From(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// DefaultSlowCall is LOG_SLOW_CALL's default: a call or request slower than this is logged even when it
// succeeds.
const DefaultSlowCall = 500 * time.Millisecond

// SuccessLevel is the level of the line about a call or request that succeeded in d: info when it took
// slow or longer, debug otherwise. One line per successful call cost a busy service a fifth of its time and
// buried what needs a look; failures and slow calls are always logged, everything is counted in the metrics,
// and LOG_LEVEL=debug shows every call again.
func SuccessLevel(d, slow time.Duration) slog.Level {
	if d >= slow {
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
