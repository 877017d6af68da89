package grpcerr

import (
	"context"
	"log/slog"
)

// A call is logged once, by the logging interceptor, which sits outside the error mapper and sees only the
// status the caller gets. The mapper hides the cause of an INTERNAL or UNAVAILABLE answer from the caller, so
// it leaves the cause in a slot the logging interceptor put in the context, and that one line carries both.

type causeKey struct{}

// Cause is the slot in which the error mapper leaves the cause of a call's failure.
type Cause struct{ text string }

// String is the cause, or "" when the call failed for no hidden reason (or did not fail).
func (c *Cause) String() string { return c.text }

// WithCause returns ctx with an empty cause slot for one call.
func WithCause(ctx context.Context) (context.Context, *Cause) {
	c := &Cause{}
	return context.WithValue(ctx, causeKey{}, c), c
}

// noteCause leaves err's text in ctx's slot; without a slot (a caller outside the interceptor chain) it is
// logged here instead, so that no cause is ever lost.
func noteCause(ctx context.Context, err error) {
	if c, ok := ctx.Value(causeKey{}).(*Cause); ok {
		c.text = err.Error()
		return
	}
	slog.ErrorContext(ctx, "call failed", "error", err.Error())
}
