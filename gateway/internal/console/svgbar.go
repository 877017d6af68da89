package console

import (
	"html"
	"html/template"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A horizontal bar chart drawn on the server as inline SVG: no script, no library, and nothing the page's
// Content-Security-Policy forbids, since it uses presentation attributes (x, y, width, height, fill) and no
// style attribute. The picture is an image with a title (role="img"); the page shows the same figures in a
// table beside it, which is what a screen reader reads.

// hbarItem is one bar: its label, its value (öre, or a count) and the value as the page writes it.
type hbarItem struct {
	Label string
	Value int64
	Shown string
}

// hbarChart is a chart of one measure over some groups.
type hbarChart struct {
	// ID names the chart's title element, so it must be unique on its page (a constant of the page).
	ID    string
	Title string
	Items []hbarItem
}

// The chart's geometry in SVG user units. Each bar sits under its label; the picture takes the width of its
// container and keeps its proportions through its viewBox, so it fits a phone as well as a desk.
const (
	hbarWidth     = 600 // the widest bar: the largest value
	hbarRowHeight = 42
	hbarTextY     = 15 // the label's baseline within its row
	hbarBarY      = 21 // the bar's top within its row
	hbarBarHeight = 15
	hbarFontSize  = 14
	hbarLabelMax  = 60 // runes of label and value that fit the width at this font size
	hbarFill      = "#0b5394"
	hbarText      = "#1a1a1a"
)

// hbarScale is a bar's length in whole units: value's share of largest, of widest, rounded down and exact
// for any int64 (the product is taken in 128 bits, so a sum of öre in the billions does not overflow). A
// value above zero is at least one unit long, so it never looks like nothing; zero and below are empty.
func hbarScale(value, largest int64, widest int) int {
	if value <= 0 || largest <= 0 || widest <= 0 {
		return 0
	}
	if value >= largest {
		return widest
	}
	hi, lo := bits.Mul64(uint64(value), uint64(widest))
	// hi < largest holds, since value < largest and widest fits in 64 bits, so Div64 cannot overflow.
	q, _ := bits.Div64(hi, lo, uint64(largest))
	if q == 0 {
		return 1
	}
	return int(q)
}

// SVG draws the chart; the empty string when it has no bars (the page says so in words instead).
func (c hbarChart) SVG() template.HTML {
	if len(c.Items) == 0 {
		return ""
	}
	var largest int64
	for _, it := range c.Items {
		largest = max(largest, it.Value)
	}
	height := len(c.Items) * hbarRowHeight
	itoa := strconv.Itoa
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="hbar" role="img" aria-labelledby="` + html.EscapeString(c.ID) + `-title"`)
	b.WriteString(` viewBox="0 0 ` + itoa(hbarWidth) + ` ` + itoa(height) + `" width="100%" preserveAspectRatio="xMinYMin meet">`)
	b.WriteString(`<title id="` + html.EscapeString(c.ID) + `-title">` + html.EscapeString(c.Title) + `</title>`)
	for i, it := range c.Items {
		top := i * hbarRowHeight
		// The value is never cut; a long label is, leaving room for the value.
		label := fitLabel(it.Label, max(8, hbarLabelMax-utf8.RuneCountInString(it.Shown)-2)) + ": " + it.Shown
		b.WriteString(`<text x="0" y="` + itoa(top+hbarTextY) + `" font-size="` + itoa(hbarFontSize) + `" fill="` + hbarText + `">` +
			html.EscapeString(label) + `</text>`)
		b.WriteString(`<rect x="0" y="` + itoa(top+hbarBarY) + `" width="` + itoa(hbarScale(it.Value, largest, hbarWidth)) +
			`" height="` + itoa(hbarBarHeight) + `" fill="` + hbarFill + `"></rect>`)
	}
	b.WriteString(`</svg>`)
	// Every text above is escaped and every number is the chart's own, so the markup is safe as it is.
	return template.HTML(b.String())
}

// fitLabel shortens s to at most n runes, ending with "…" when it had to be cut; the table beside the chart
// has the whole text.
func fitLabel(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
