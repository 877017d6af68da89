package console

import "cmp"

// The portfolio by region and by what the partnerships work for: the year's budget per cluster (a region of
// the world, as the partnership service places each country), and the results frameworks of the year's
// applications per core area and per SDG target, as GET /v1/reports/portfolio counts them. Each is drawn by
// the one bar chart and written out in a table with the same figures.

// resultsLine is one line of the report's resultsByCoreArea or resultsBySdgTarget (the API omits zeros).
type resultsLine struct {
	CoreArea      string `json:"coreArea"`
	SDGTarget     string `json:"sdgTarget"`
	Partnerships  int32  `json:"partnerships"`
	Indicators    int32  `json:"indicators"`
	Reported      int32  `json:"reported"`
	ReachedTarget int32  `json:"reachedTarget"`
}

// resultsRow is a results line as the page shows it: its label in the page's language.
type resultsRow struct {
	Label                                       string
	Partnerships, Indicators, Reported, Reached int32
}

// portfolioResults are the by-region and by-results parts of the portfolio page.
type portfolioResults struct {
	ByCluster    []portfolioGroup
	ClusterChart barChart
	ByCoreArea   []resultsRow
	CoreChart    barChart
	BySDGTarget  []resultsRow
	SDGChart     barChart
}

// buildPortfolioResults sums the report's rows by cluster and lines up its results by core area and SDG
// target, in the API's order (core areas, then targets, as the reporting service sorts them).
func buildPortfolioResults(l lang, year string, report portfolioReport) portfolioResults {
	var out portfolioResults
	out.ByCluster = groupPortfolio(report.Rows, func(p portfolioRow) string {
		return translate(l, "cluster."+orUnspecified(p.Cluster, "CLUSTER_UNSPECIFIED"))
	})
	for i := range out.ByCluster {
		g := &out.ByCluster[i]
		g.Shown.Budgeted, g.Shown.Approved, g.Shown.Paid = formatSEK(l, g.Budgeted), formatSEK(l, g.Approved), formatSEK(l, g.Paid)
	}
	out.ClusterChart = portfolioChart(l, "chart-cluster", translate(l, "portfolio.chartByCluster")+" "+year, out.ByCluster)
	for _, line := range report.ResultsByCoreArea {
		out.ByCoreArea = append(out.ByCoreArea, resultsRowOf(coreAreaLabel(l, line.CoreArea), line))
	}
	for _, line := range report.ResultsBySDGTarget {
		out.BySDGTarget = append(out.BySDGTarget, resultsRowOf(cmp.Or(line.SDGTarget, "–"), line))
	}
	out.CoreChart = resultsChart(l, "chart-core-area", translate(l, "portfolio.chartByCoreArea")+" "+year, out.ByCoreArea)
	out.SDGChart = resultsChart(l, "chart-sdg-target", translate(l, "portfolio.chartBySdgTarget")+" "+year, out.BySDGTarget)
	return out
}

// coreAreaLabel names a core area in l; one the catalogue does not know yet shows as the API wrote it.
func coreAreaLabel(l lang, area string) string {
	if msg, ok := lookup(l, "coreArea."+area); ok {
		return msg
	}
	return cmp.Or(area, "–")
}

func resultsRowOf(label string, line resultsLine) resultsRow {
	return resultsRow{Label: label, Partnerships: line.Partnerships, Indicators: line.Indicators, Reported: line.Reported, Reached: line.ReachedTarget}
}

// resultsChart draws each row's indicators, how many were reported and how many reached their target, as
// three bars side by side, so a core area whose results go unreported stands out.
func resultsChart(l lang, id, title string, rows []resultsRow) barChart {
	chart := barChart{ID: id, Title: title, Summary: translate(l, "portfolio.chartTableBelow"), Series: []chartSeries{
		{translate(l, "portfolio.indicators"), chartFills[0]}, {translate(l, "portfolio.reported"), chartFills[1]},
		{translate(l, "portfolio.reached"), chartFills[2]}}}
	for _, r := range rows {
		chart.Groups = append(chart.Groups, chartGroup{Label: r.Label, Values: []int64{int64(r.Indicators), int64(r.Reported), int64(r.Reached)}})
	}
	return chart
}
