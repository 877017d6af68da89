// Package requestid carries the id of the request being served through contexts, so that logs, audit records
// and error messages of one request can be tied together across the gateway and the services.
package requestid

import (
	"context"
	"regexp"

	"github.com/google/uuid"
)

// Header is the metadata key (and, capitalised, the HTTP header) that carries the id.
const Header = "x-request-id"

type key struct{}

var wellFormed = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// OrNew returns id when it is a well-formed request id and a new random one otherwise; an id from outside is
// bounded and restricted to safe characters because it ends up in logs.
func OrNew(id string) string {
	if wellFormed.MatchString(id) {
		return id
	}
	return uuid.NewString()
}

// With returns ctx carrying id.
func With(ctx context.Context, id string) context.Context { return context.WithValue(ctx, key{}, id) }

// From returns the request id in ctx, or "".
func From(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}
