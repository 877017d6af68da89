package console

import (
	"bytes"
	"html/template"
	"math/bits"
)

// A bar chart drawn on the server as SVG: no script, no library, nothing the Content-Security-Policy
// forbids (only presentation attributes such as x, y, width and fill, never a style attribute). The chart
// is a picture of figures the page also shows in a table, so it carries role="img" and a <title>, and a
// screen reader is pointed to the table rather than read bars.

// chartSeries is one kind of bar in every group: its name in the page's language and its colour. The
// colours keep a contrast of at least 3:1 against white (WCAG 1.4.11, graphical objects).
type chartSeries struct {
	Name, Fill string
}

// chartGroup is one labelled group of bars, one value per series (amounts in öre).
type chartGroup struct {
	Label  string
	Values []int64
}

// barChart is what the chart shows.
type barChart struct {
	// Title names the chart for assistive technology; Summary says where its figures are as text.
	Title, Summary string
	Series         []chartSeries
	Groups         []chartGroup
}

// The chart's geometry, in SVG user units; the picture takes the page's width and keeps its proportions
// through its viewBox, so it needs no style rule and fits a phone.
const (
	chartWidth      = 640
	chartLabelWidth = 180
	chartPlotWidth  = chartWidth - chartLabelWidth - 10
	chartBarHeight  = 14
	chartBarGap     = 3
	chartGroupGap   = 14
	chartLegendRow  = 24
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
	Title, Summary string
	Width, Height  int
	Bars           []chartBar
	Labels         []chartText
	Legend         []chartBar
	LegendText     []chartText
	// Axis is the x position of the zero line, which runs down from AxisTop.
	Axis, AxisTop int
}

// scaleBar is the length of a bar of value when the largest value is widest long: value × widest / largest,
// rounded down, in integer arithmetic with a 128-bit product, so no amount of öre overflows and no float
// rounds a figure. A value of nothing or less, or a chart whose largest value is nothing, has no bar.
func scaleBar(value, largest int64, widest int) int {
	if value <= 0 || largest <= 0 || widest <= 0 {
		return 0
	}
	if value >= largest {
		return widest
	}
	hi, lo := bits.Mul64(uint64(value), uint64(widest))
	// hi < largest, since value < largest: the quotient fits in 64 bits.
	q, _ := bits.Div64(hi, lo, uint64(largest))
	return int(q)
}

// layout places every bar: groups from the top below the legend, each series' bar under the last, all
// scaled against the largest value in the chart, so bars of different groups compare directly.
func (c barChart) layout() chartLayout {
	out := chartLayout{Title: c.Title, Summary: c.Summary, Width: chartWidth, Axis: chartLabelWidth,
		AxisTop: chartLegendRow}
	for i, s := range c.Series {
		x := chartLabelWidth + i*150
		out.Legend = append(out.Legend, chartBar{X: x, Y: 4, Width: 14, Height: 14, Fill: s.Fill})
		out.LegendText = append(out.LegendText, chartText{X: x + 20, Y: 16, Text: s.Name})
	}
	var largest int64
	for _, g := range c.Groups {
		for _, v := range g.Values {
			largest = max(largest, v)
		}
	}
	y := chartLegendRow + chartGroupGap/2
	for _, g := range c.Groups {
		top := y
		for i, s := range c.Series {
			var v int64
			if i < len(g.Values) {
				v = g.Values[i]
			}
			out.Bars = append(out.Bars, chartBar{X: chartLabelWidth, Y: y, Width: scaleBar(v, largest, chartPlotWidth),
				Height: chartBarHeight, Fill: s.Fill})
			y += chartBarHeight + chartBarGap
		}
		// The label sits level with the middle of its group.
		out.Labels = append(out.Labels, chartText{X: chartLabelWidth - 8, Y: (top+y)/2 + 4, Text: shortLabel(g.Label)})
		y += chartGroupGap
	}
	out.Height = y
	return out
}

// chartLabelRunes is as much of a label as fits left of the bars; the table beside the chart has it whole.
const chartLabelRunes = 24

// shortLabel cuts a label that would run into the bars, marking the cut with an ellipsis.
func shortLabel(label string) string {
	runes := []rune(label)
	if len(runes) <= chartLabelRunes {
		return label
	}
	return string(runes[:chartLabelRunes-1]) + "…"
}

// chartTemplate draws a placed chart. The text in it is for sighted readers; assistive technology gets the
// title and the summary, which points to the table with the same figures.
var chartTemplate = template.Must(template.New("chart").Parse(
	`<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {{.Width}} {{.Height}}" ` +
		`width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">` +
		`<title id="chart-title">{{.Title}}</title><desc id="chart-desc">{{.Summary}}</desc>` +
		`{{range .Legend}}<rect x="{{.X}}" y="{{.Y}}" width="{{.Width}}" height="{{.Height}}" fill="{{.Fill}}"></rect>{{end}}` +
		`{{range .LegendText}}<text x="{{.X}}" y="{{.Y}}" font-size="13" fill="#1a1a1a">{{.Text}}</text>{{end}}` +
		`{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.Width}}" height="{{.Height}}" fill="{{.Fill}}"></rect>{{end}}` +
		`{{range .Labels}}<text x="{{.X}}" y="{{.Y}}" font-size="13" text-anchor="end" fill="#1a1a1a">{{.Text}}</text>{{end}}` +
		`<line x1="{{.Axis}}" y1="{{.AxisTop}}" x2="{{.Axis}}" y2="{{.Height}}" stroke="#1a1a1a" stroke-width="1"></line>` +
		`</svg>`))

// render writes the chart as SVG markup for a page; html/template has escaped every text in it.
func (c barChart) render() (template.HTML, error) {
	var buf bytes.Buffer
	if err := chartTemplate.Execute(&buf, c.layout()); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // #nosec G203 -- produced by html/template, which escaped it
}
