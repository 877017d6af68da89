// Package requestid carries the id of the request being served through contexts, so that logs, audit records
// and error messages of one request can be tied together across the gateway and the services.
package requestid

import (
	"context"

	"github.com/google/uuid"
)

// Header is the metadata key (and, capitalised, the HTTP header) that carries the id.
const Header = "x-request-id"

type key struct{}

// maxLength bounds an id from outside.
const maxLength = 128

// OrNew returns id when it is a well-formed request id and a new random one otherwise; an id from outside is
// bounded and restricted to safe characters because it ends up in logs.
func OrNew(id string) string {
	if wellFormed(id) {
		return id
	}
	return uuid.NewString()
}

// wellFormed reports whether id is 1 to maxLength letters, digits and ._:- (a loop rather than a regular
// expression: it runs on every call of every service).
func wellFormed(id string) bool {
	if len(id) == 0 || len(id) > maxLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

// With returns ctx carrying id.
func With(ctx context.Context, id string) context.Context { return context.WithValue(ctx, key{}, id) }

// From returns the request id in ctx, or "".
func From(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}
