package console

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

// Bars scale by whole units: nothing for zero, the whole width for the largest, at least one unit for a
// value above zero, and exactly for amounts near int64's limit.
func TestScaleBar(t *testing.T) {
	for _, c := range []struct {
		value, largest int64
		widest, want   int
	}{
		{0, 0, 600, 0},
		{0, 100, 600, 0},
		{-5, 100, 600, 0},
		{5, 0, 600, 0},
		{5, 10, 0, 0},
		{100, 100, 600, 600},
		{150, 100, 600, 600},
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
		if got := scaleBar(c.value, c.largest, c.widest); got != c.want {
			t.Errorf("scaleBar(%d, %d, %d) = %d, want %d", c.value, c.largest, c.widest, got, c.want)
		}
	}
}

// A line claimed over its budget draws the longest bar; every bar of the chart is on the same scale, each
// series' bar under the last, each group below the one before, with a legend for the series.
func TestChartScalesEveryGroupAlike(t *testing.T) {
	chart := barChart{ID: "chart", Title: "t", Summary: "see the table", Series: []chartSeries{{"budgeted", "#000"}, {"claimed", "#111"}, {"paid", "#222"}},
		Groups: []chartGroup{{Label: "travel", Values: []int64{100_000, 150_000, 0}}, {Label: "hotel", Values: []int64{75_000, 0, 0}}}}
	l := chart.layout()
	bars := l.Bars
	if len(bars) != 6 || len(l.Legend) != 3 || len(l.Labels) != 2 {
		t.Fatalf("%d bars, %d legend entries, %d labels; want 6, 3, 2", len(bars), len(l.Legend), len(l.Labels))
	}
	widths := []int{bars[0].Width, bars[1].Width, bars[2].Width, bars[3].Width}
	want := []int{chartWidth * 2 / 3, chartWidth, 0, chartWidth / 2}
	for i := range want {
		if widths[i] != want[i] {
			t.Errorf("bar %d is %d wide, want %d", i, widths[i], want[i])
		}
	}
	if bars[1].Y <= bars[0].Y || bars[3].Y <= bars[2].Y || l.Labels[1].Y <= bars[2].Y || l.Height < bars[5].Y+chartBarHeight {
		t.Errorf("the bars are not placed one under another: %+v, labels %+v, height %d", bars, l.Labels, l.Height)
	}
	svg := string(chart.SVG())
	for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="chart-title chart-desc"`,
		`<title id="chart-title">t</title><desc id="chart-desc">see the table</desc>`, `>budgeted</text>`, `fill="#111"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %s:\n%s", want, svg)
		}
	}
}

var rectWidth = regexp.MustCompile(`<rect x="0" y="(\d+)" width="(\d+)"`)

// A chart of one series is an image with its title, no legend, its texts escaped, each value written after
// its label and a bar under it, and nothing the page's Content-Security-Policy forbids.
func TestChartOfOneSeries(t *testing.T) {
	if got := (barChart{ID: "empty", Title: "Nothing"}).SVG(); got != "" {
		t.Errorf("a chart without bars draws %q", got)
	}
	one := string(barChart{ID: "one", Title: "Budget <2026>", Groups: []chartGroup{{Label: "ZM & co", Values: []int64{7}, Shown: "7 kr"}}}.SVG())
	for _, want := range []string{`role="img" aria-labelledby="one-title"`, `<title id="one-title">Budget &lt;2026&gt;</title>`,
		`>ZM &amp; co: 7 kr</text>`, `viewBox="0 0 600 42"`, `width="600" height="15" fill="#0b5394"`} {
		if !strings.Contains(one, want) {
			t.Errorf("a chart of one value lacks %s:\n%s", want, one)
		}
	}
	for _, banned := range []string{"style=", "<script", "<desc"} {
		if strings.Contains(one, banned) {
			t.Errorf("the chart has %s:\n%s", banned, one)
		}
	}
	large := string(barChart{ID: "large", Title: "t", Groups: []chartGroup{
		{Label: "a", Values: []int64{math.MaxInt64}, Shown: "max"}, {Label: "b", Values: []int64{math.MaxInt64 / 4}, Shown: "quarter"},
		{Label: "c", Values: []int64{0}, Shown: "0"}}}.SVG())
	got := rectWidth.FindAllStringSubmatch(large, -1)
	if len(got) != 3 || got[0][2] != "600" || got[1][2] != "149" || got[2][2] != "0" || got[0][1] != "21" || got[1][1] != "63" {
		t.Errorf("bars of large values: %v\n%s", got, large)
	}
	long := string(barChart{ID: "long", Title: "t", Groups: []chartGroup{{Label: strings.Repeat("Å", 100), Values: []int64{1}, Shown: "1\u00a0234,00\u00a0kr"}}}.SVG())
	if !strings.Contains(long, "Å…: 1\u00a0234,00\u00a0kr</text>") {
		t.Errorf("a long label is not cut before its value:\n%s", long)
	}
	if got := fitLabel(strings.Repeat("x", 80), chartLabelMax); len([]rune(got)) != chartLabelMax || !strings.HasSuffix(got, "…") {
		t.Errorf("a long label without a value is cut to %q", got)
	}
}
