package console

import (
	"bytes"
	"html/template"
	"math/bits"
	"unicode/utf8"
)

// A horizontal bar chart drawn on the server as SVG, the one every page uses (a budget's lines, the
// portfolio's countries and themes): no script, no library, nothing the Content-Security-Policy forbids
// (only presentation attributes such as x, y, width and fill, never a style attribute). The chart is a
// picture of figures the page also shows in a table, so it carries role="img", a <title> and, when given, a
// <desc> pointing to the table; a screen reader reads the table rather than bars.

// chartSeries is one kind of bar in every group: its name in the page's language and its colour. The
// colours keep a contrast of at least 3:1 against white (WCAG 1.4.11, graphical objects).
type chartSeries struct {
	Name, Fill string
}

// chartGroup is one labelled group of bars, one value per series (öre, or a count). Shown, when set, is the
// value as the page writes it, drawn after the label (a chart of one series names each bar's figure).
type chartGroup struct {
	Label  string
	Values []int64
	Shown  string
}

// barChart is what the chart shows.
type barChart struct {
	// ID names the chart's title and description elements (ID-title, ID-desc), so it must be unique on its
	// page: a constant of the page.
	ID string
	// Title names the chart for assistive technology; Summary, when set, says where its figures are as text.
	Title, Summary string
	// Series are the kinds of bar; more than one gets a legend.
	Series []chartSeries
	Groups []chartGroup
}

// The chart's geometry, in SVG user units. Each group's label is a line of its own above its bars, so a long
// label needs no room beside them on a phone; the picture takes the page's width and keeps its proportions
// through its viewBox, so it needs no style rule.
const (
	chartWidth     = 600 // the widest bar: the largest value
	chartLegendRow = 24
	chartTextY     = 15 // a label's baseline within its group
	chartBarY      = 21 // the first bar's top within its group
	chartBarHeight = 15
	chartBarGap    = 3
	chartGroupGap  = 6
	chartLabelMax  = 60 // runes of label and value that fit the width at the chart's font size
	chartFill      = "#0b5394"
)

// chartBar and chartText are placed shapes, ready for the SVG template.
type chartBar struct {
	X, Y, Width, Height int
	Fill                string
}

type chartText struct {
	X, Y int
	Text string
}

// chartLayout is the placed chart.
type chartLayout struct {
	ID, Title, Summary string
	Width, Height      int
	Bars               []chartBar
	Labels             []chartText
	Legend             []chartBar
	LegendText         []chartText
}

// scaleBar is a bar's length in whole units: value's share of largest, of widest, rounded down and exact for
// any int64 (the product is taken in 128 bits, so a sum of öre in the billions does not overflow, and no
// float rounds a figure). A value above zero is at least one unit long, so it never looks like nothing;
// zero and below, or a chart whose largest value is nothing, have no bar.
func scaleBar(value, largest int64, widest int) int {
	if value <= 0 || largest <= 0 || widest <= 0 {
		return 0
	}
	if value >= largest {
		return widest
	}
	hi, lo := bits.Mul64(uint64(value), uint64(widest))
	// hi < largest, since value < largest and widest fits in 64 bits: the quotient fits in 64 bits.
	q, _ := bits.Div64(hi, lo, uint64(largest))
	if q == 0 {
		return 1
	}
	return int(q)
}

// layout places every bar: the legend on top when there is more than one series, then each group's label
// and its series' bars under it, all scaled against the largest value in the chart, so bars of different
// groups compare directly.
func (c barChart) layout() chartLayout {
	out := chartLayout{ID: c.ID, Title: c.Title, Summary: c.Summary, Width: chartWidth}
	y := 0
	if len(c.Series) > 1 {
		for i, s := range c.Series {
			x := i * 150
			out.Legend = append(out.Legend, chartBar{X: x, Y: 4, Width: 14, Height: 14, Fill: s.Fill})
			out.LegendText = append(out.LegendText, chartText{X: x + 20, Y: 16, Text: s.Name})
		}
		y = chartLegendRow
	}
	var largest int64
	for _, g := range c.Groups {
		for _, v := range g.Values {
			largest = max(largest, v)
		}
	}
	for _, g := range c.Groups {
		label := g.Label
		if g.Shown != "" {
			// The value is never cut; a long label is, leaving room for the value.
			label = fitLabel(label, max(8, chartLabelMax-utf8.RuneCountInString(g.Shown)-2)) + ": " + g.Shown
		} else {
			label = fitLabel(label, chartLabelMax)
		}
		out.Labels = append(out.Labels, chartText{X: 0, Y: y + chartTextY, Text: label})
		top := y + chartBarY
		for i := range max(len(c.Series), 1) {
			fill := chartFill
			if i < len(c.Series) {
				fill = c.Series[i].Fill
			}
			var v int64
			if i < len(g.Values) {
				v = g.Values[i]
			}
			out.Bars = append(out.Bars, chartBar{X: 0, Y: top, Width: scaleBar(v, largest, chartWidth), Height: chartBarHeight, Fill: fill})
			top += chartBarHeight + chartBarGap
		}
		y = top - chartBarGap + chartGroupGap
	}
	out.Height = y
	return out
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

// chartTemplate draws a placed chart. The text in it is for sighted readers; assistive technology gets the
// title and the description, which points to the table with the same figures.
var chartTemplate = template.Must(template.New("chart").Parse(
	`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{{.ID}}-title{{if .Summary}} {{.ID}}-desc{{end}}" ` +
		`viewBox="0 0 {{.Width}} {{.Height}}" width="100%" preserveAspectRatio="xMinYMin meet">` +
		`<title id="{{.ID}}-title">{{.Title}}</title>{{if .Summary}}<desc id="{{.ID}}-desc">{{.Summary}}</desc>{{end}}` +
		`{{range .Legend}}<rect x="{{.X}}" y="{{.Y}}" width="{{.Width}}" height="{{.Height}}" fill="{{.Fill}}"></rect>{{end}}` +
		`{{range .LegendText}}<text x="{{.X}}" y="{{.Y}}" font-size="13" fill="#1a1a1a">{{.Text}}</text>{{end}}` +
		`{{range .Labels}}<text x="{{.X}}" y="{{.Y}}" font-size="14" fill="#1a1a1a">{{.Text}}</text>{{end}}` +
		`{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.Width}}" height="{{.Height}}" fill="{{.Fill}}"></rect>{{end}}` +
		`</svg>`))

// SVG draws the chart as markup for a page; html/template has escaped every text in it. A chart without
// groups draws nothing (the page says so in words). Executing the template into memory cannot fail for
// these plain values; should it, the page shows the table without the picture.
func (c barChart) SVG() template.HTML {
	if len(c.Groups) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if err := chartTemplate.Execute(&buf, c.layout()); err != nil {
		return ""
	}
	return template.HTML(buf.String()) // #nosec G203 -- produced by html/template, which escaped it
}
