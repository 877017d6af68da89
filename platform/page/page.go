// Package page implements list pagination the same way for every service: a page size with a default and a
// maximum, and an opaque page token that carries the position after the last item and a fingerprint of the
// filters, so a token is refused when it is replayed with other filters.
package page

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"github.com/google/uuid"
	"sort"
	"strings"
	"time"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Default and Max page sizes (conventions.md).
const (
	Default = 50
	Max     = 500
)

// size returns the page size to use for a requested size: Default for 0, at most Max.
func size(requested int32) int {
	switch {
	case requested <= 0:
		return Default
	case requested > Max:
		return Max
	}
	return int(requested)
}

// envelope is every page token: the list's position, of whatever shape the list needs, and the fingerprint of
// the filters it was made for.
type envelope[P any] struct {
	Pos    P      `json:"a"`
	Filter string `json:"f"`
}

// Fingerprint condenses the filters of a list request into a short string, for Seal and Unseal.
func Fingerprint(filters ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(filters, "\x00")))
	return hex.EncodeToString(sum[:8])
}

// Seal makes the opaque page token that carries pos for the filters with fingerprint fp.
func Seal[P any](pos P, fp string) string {
	b, _ := json.Marshal(envelope[P]{Pos: pos, Filter: fp}) // positions are plain data and always encode
	return base64.RawURLEncoding.EncodeToString(b)
}

// Unseal reads a token made by Seal for the filters with fingerprint fp; "" (the first page) gives the zero
// position. A token that is not one of ours, or one made for other filters, is an INVALID_ARGUMENT on
// page_token. Tokens are not signed: a caller checks what it reads from pos before trusting it.
func Unseal[P any](tok, fp string) (P, error) {
	var e envelope[P]
	if tok == "" {
		return e.Pos, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || json.Unmarshal(raw, &e) != nil || e.Filter == "" {
		return e.Pos, fault.InvalidField("page_token", "not a page token this list returned; start again without it")
	}
	if e.Filter != fp {
		return e.Pos, fault.InvalidField("page_token", "the page token was made for other filters; start again without it")
	}
	return e.Pos, nil
}

// Cursor is where a list request starts: after which item, how many, and for which filters.
type Cursor struct {
	// After is the sort key of the last item of the previous page, "" for the first page.
	After string
	// Size is the number of items on the page.
	Size        int
	fingerprint string
}

// Open reads a list request's page size and token; filters are every value that narrows the list (including
// the caller's scope), so that a token cannot carry one list's position into another.
func Open(pageSize int32, token string, filters ...string) (Cursor, error) {
	fp := Fingerprint(filters...)
	after, err := Unseal[string](token, fp)
	if err == nil && token != "" && after == "" {
		err = fault.InvalidField("page_token", "not a page token this list returned; start again without it")
	}
	return Cursor{After: after, Size: size(pageSize), fingerprint: fp}, err
}

// OpenUUID is Open for lists ordered by UUID: a token whose position is not a UUID (tokens are not signed, so
// a client can forge one) is refused on page_token instead of reaching the database as a bad cast.
func OpenUUID(pageSize int32, token string, filters ...string) (Cursor, error) {
	c, err := Open(pageSize, token, filters...)
	if err == nil && c.After != "" && uuid.Validate(c.After) != nil {
		return Cursor{}, fault.InvalidField("page_token", "the page token is not one this list gave out; start again without it")
	}
	return c, err
}

// OpenDated is Open for lists ordered by a day and then by UUID (visits, activities): it also reads the last
// item's day and id from the position DatedKey made, and refuses a position it did not make on page_token.
func OpenDated(pageSize int32, token string, filters ...string) (c Cursor, day time.Time, id string, err error) {
	c, err = Open(pageSize, token, filters...)
	if err != nil || c.After == "" {
		return c, time.Time{}, "", err
	}
	d, id, ok := strings.Cut(c.After, "/")
	day, dayErr := time.Parse(time.DateOnly, d)
	if !ok || dayErr != nil || uuid.Validate(id) != nil {
		return Cursor{}, time.Time{}, "", fault.InvalidField("page_token", "the page token is not one this list gave out; start again without it")
	}
	return c, day, id, nil
}

// DatedKey is the position of an item of a list OpenDated reads: its day ("2006-01-02") and its id.
func DatedKey(day, id string) string { return day + "/" + id }

// Limit is how many items to fetch: one more than the page holds, to learn whether another page follows.
func (c Cursor) Limit() int { return c.Size + 1 }

// Close cuts items fetched with Limit to one page and returns the next page's token ("" on the last page);
// key gives an item's sort key.
func Close[T any](c Cursor, items []T, key func(T) string) ([]T, string) {
	if len(items) <= c.Size {
		return items, ""
	}
	items = items[:c.Size]
	return items, Seal(key(items[c.Size-1]), c.fingerprint)
}

// Slice is Close for a list read whole, as rule data and the short lists of one partnership or budget are:
// items come sorted by key (byte order, as Go compares strings), and the page is the items after the cursor's
// position.
func Slice[T any](c Cursor, items []T, key func(T) string) ([]T, string) {
	if c.After != "" {
		items = items[sort.Search(len(items), func(i int) bool { return key(items[i]) > c.After }):]
	}
	return Close(c, items, key)
}
