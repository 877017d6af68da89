package requestid

import (
	"strings"
	"testing"
)

func TestOrNewKeepsOnlyWellFormedIDs(t *testing.T) {
	for _, id := range []string{"a", "req-1", "A.b_c:d-9", strings.Repeat("x", maxLength)} {
		if got := OrNew(id); got != id {
			t.Errorf("OrNew(%q) = %q, want it kept", id, got)
		}
	}
	for _, id := range []string{"", " ", "a b", "a/b", "å", "a\nb", "a\x00", strings.Repeat("x", maxLength+1)} {
		got := OrNew(id)
		if got == id || !wellFormed(got) {
			t.Errorf("OrNew(%q) = %q, want a new well-formed id", id, got)
		}
	}
}
