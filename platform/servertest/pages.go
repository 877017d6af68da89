package servertest

import (
	"errors"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// ReadPages reads a whole list a page at a time, as a client does: read asks for the page after token (""
// for the first) and returns the keys of its items and the next page's token. It fails t when a page holds
// more than size items, when a page other than the last is empty, or when the list does not end, and it
// checks that a token the list did not give is refused on page_token. It returns every key in the order the
// pages gave them.
func ReadPages(t testing.TB, size int, read func(token string) ([]string, string, error)) []string {
	t.Helper()
	var all []string
	token := ""
	for pages := 0; ; pages++ {
		keys, next, err := read(token)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		if len(keys) > size || (next != "" && len(keys) == 0) {
			t.Fatalf("page %d holds %d items in pages of %d (next %q)", pages+1, len(keys), size, next)
		}
		all = append(all, keys...)
		if next == "" {
			break
		}
		if pages > 10_000 {
			t.Fatal("the list does not end")
		}
		token = next
	}
	var invalid *fault.Invalid
	if _, _, err := read("bm90IGEgdG9rZW4"); !errors.As(err, &invalid) || len(invalid.Violations) != 1 || invalid.Violations[0].Field != "page_token" {
		t.Fatalf("a page token the list did not give: %v", err)
	}
	return all
}
