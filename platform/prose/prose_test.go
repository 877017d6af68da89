package prose

import (
	"strings"
	"testing"
)

func TestJoin(t *testing.T) {
	for _, tc := range []struct {
		items    []string
		and, or_ string
	}{
		{nil, "", ""},
		{[]string{"a"}, "a", "a"},
		{[]string{"a", "b"}, "a and b", "a or b"},
		{[]string{"a", "b", "c"}, "a, b and c", "a, b or c"},
	} {
		if got := JoinAnd(tc.items); got != tc.and {
			t.Errorf("JoinAnd(%v) = %q", tc.items, got)
		}
		if got := JoinOr(tc.items); got != tc.or_ {
			t.Errorf("JoinOr(%v) = %q", tc.items, got)
		}
	}
}

func TestQuoteCutsLongInput(t *testing.T) {
	if got := Quote("Växjö"); got != `"Växjö"` {
		t.Errorf("got %s", got)
	}
	if got := Quote(strings.Repeat("a", 50)); len([]rune(got)) != 43 {
		t.Errorf("long input not cut: %d runes", len([]rune(got)))
	}
}

func TestCheckText(t *testing.T) {
	cases := []struct {
		s         string
		multiline bool
		want      string
	}{
		{"Växjö", false, ""},
		{"", false, "enter the title"},
		{"a\nb", false, "the title contains a control character (U+000A); remove it"},
		{"a\nb", true, ""},
		{"\xff", false, "the title is not valid UTF-8 text"},
		{"abcdef", false, "the title has 6 characters; at most 5 are allowed"},
	}
	for _, c := range cases {
		if got := CheckText(c.s, "the title", 1, 5, c.multiline); got != c.want {
			t.Errorf("CheckText(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}
