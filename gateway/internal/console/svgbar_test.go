package console

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

// Bars scale by whole units: nothing for zero, the whole width for the largest, at least one unit for a
// value above zero, and exactly for amounts near int64's limit.
func TestHbarScale(t *testing.T) {
	for _, c := range []struct {
		value, largest int64
		widest, want   int
	}{
		{0, 0, 600, 0},
		{0, 100, 600, 0},
		{-5, 100, 600, 0},
		{100, 100, 600, 600},
		{50, 100, 600, 300},
		{1, 3, 600, 200},
		{2, 3, 600, 400},
		{1, 1_000_000, 600, 1},
		{999, 1000, 600, 599},
		{math.MaxInt64, math.MaxInt64, 600, 600},
		{math.MaxInt64 / 2, math.MaxInt64, 600, 299},
		{math.MaxInt64 - 1, math.MaxInt64, 600, 599},
		{4_611_686_018_427_387_904, 9_223_372_036_854_775_807, 600, 300},
	} {
		if got := hbarScale(c.value, c.largest, c.widest); got != c.want {
			t.Errorf("hbarScale(%d, %d, %d) = %d, want %d", c.value, c.largest, c.widest, got, c.want)
		}
	}
}

var rectWidth = regexp.MustCompile(`<rect x="0" y="(\d+)" width="(\d+)"`)

// The chart is an image with its title, its texts escaped, a bar under each label, and nothing the page's
// Content-Security-Policy forbids.
func TestHbarChartSVG(t *testing.T) {
	if got := (hbarChart{ID: "empty", Title: "Nothing"}).SVG(); got != "" {
		t.Errorf("a chart without bars draws %q", got)
	}
	one := string(hbarChart{ID: "one", Title: "Budget <2026>", Items: []hbarItem{{Label: "ZM & co", Value: 7, Shown: "7 kr"}}}.SVG())
	for _, want := range []string{`role="img" aria-labelledby="one-title"`, `<title id="one-title">Budget &lt;2026&gt;</title>`,
		`>ZM &amp; co: 7 kr</text>`, `viewBox="0 0 600 42"`, `width="600" height="15" fill="#0b5394"`} {
		if !strings.Contains(one, want) {
			t.Errorf("a chart of one value lacks %s:\n%s", want, one)
		}
	}
	if strings.Contains(one, "style=") || strings.Contains(one, "<script") {
		t.Errorf("the chart uses what the CSP forbids:\n%s", one)
	}
	large := string(hbarChart{ID: "large", Title: "t", Items: []hbarItem{
		{Label: "a", Value: math.MaxInt64, Shown: "max"}, {Label: "b", Value: math.MaxInt64 / 4, Shown: "quarter"}, {Label: "c", Value: 0, Shown: "0"}}}.SVG())
	got := rectWidth.FindAllStringSubmatch(large, -1)
	if len(got) != 3 || got[0][2] != "600" || got[1][2] != "149" || got[2][2] != "0" || got[1][1] != "63" {
		t.Errorf("bars of large values: %v\n%s", got, large)
	}
	long := string(hbarChart{ID: "long", Title: "t", Items: []hbarItem{{Label: strings.Repeat("Å", 100), Value: 1, Shown: "1\u00a0234,00\u00a0kr"}}}.SVG())
	if !strings.Contains(long, "Å…: 1\u00a0234,00\u00a0kr</text>") {
		t.Errorf("a long label is not cut before its value:\n%s", long)
	}
}
