// Package page implements list pagination the same way for every service: a page size with a default and a
// maximum, and an opaque page token that carries the position after the last item and a fingerprint of the
// filters, so a token is refused when it is replayed with other filters.
package page

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Default and Max page sizes (conventions.md).
const (
	Default = 50
	Max     = 500
)

// Size returns the page size to use for a requested size: Default for 0, at most Max.
func Size(requested int32) int {
	switch {
	case requested <= 0:
		return Default
	case requested > Max:
		return Max
	}
	return int(requested)
}

type token struct {
	After  string `json:"a"`
	Filter string `json:"f"`
}

// Fingerprint condenses the filters of a list request into a short string.
func Fingerprint(filters ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(filters, "\x00")))
	return hex.EncodeToString(sum[:8])
}

// Encode returns the token for the page that starts after the item whose sort key is after.
func Encode(after, fingerprint string) string {
	b, _ := json.Marshal(token{After: after, Filter: fingerprint})
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode returns the position carried by tok ("" for the first page). A malformed token, or one made for
// other filters, is an INVALID_ARGUMENT on the page_token field.
func Decode(tok, fingerprint string) (string, error) {
	if tok == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	var t token
	if err != nil || json.Unmarshal(raw, &t) != nil || t.After == "" {
		return "", fault.InvalidField("page_token", "not a page token this list returned")
	}
	if t.Filter != fingerprint {
		return "", fault.InvalidField("page_token", "the page token was made for other filters; start again without it")
	}
	return t.After, nil
}
