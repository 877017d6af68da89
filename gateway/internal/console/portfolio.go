package console

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// portfolioReport is GET /v1/reports/portfolio: the year by country, cluster and theme.
type portfolioReport struct {
	Year     int32          `json:"year"`
	Rows     []portfolioRow `json:"rows"`
	AsOfTime string         `json:"asOfTime"`
	// ResultsByCoreArea and ResultsBySDGTarget count the year's results frameworks (portfolio_results.go).
	ResultsByCoreArea  []resultsLine `json:"resultsByCoreArea"`
	ResultsBySDGTarget []resultsLine `json:"resultsBySdgTarget"`
}

// portfolioRow is one country, cluster and theme in the year.
type portfolioRow struct {
	CountryCode string `json:"countryCode"`
	Cluster     string `json:"cluster"`
	Theme       string `json:"theme"`
	Phases      []struct {
		State        string `json:"state"`
		Partnerships int32  `json:"partnerships"`
	} `json:"phases"`
	Budgeted          *money   `json:"budgeted"`
	Approved          *money   `json:"approved"`
	Paid              *money   `json:"paid"`
	CompliancePercent int32    `json:"compliancePercent"`
	SDGTargets        []string `json:"sdgTargets"`
}

// Partnerships is how many partnerships the row counts, over every phase.
func (p portfolioRow) Partnerships() int64 {
	var n int64
	for _, ph := range p.Phases {
		n += int64(ph.Partnerships)
	}
	return n
}

// portfolioGroup is the year's sums for one country, or one theme.
type portfolioGroup struct {
	Label                    string
	Partnerships             int64
	Budgeted, Approved, Paid int64 // öre
	// Shown are the three amounts as the page writes them.
	Shown struct{ Budgeted, Approved, Paid string }
}

// portfolioLine is one row of the report as the page shows it.
type portfolioLine struct {
	Country, Cluster, Theme  string
	Partnerships             int64
	Budgeted, Approved, Paid string
	Compliance               int32
	SDGTargets               string
}

// portfolioData is the portfolio page's content.
type portfolioData struct {
	Year string
	// YearProblem, when set, is what is wrong with the year asked for; nothing was read.
	YearProblem *text
	AsOf        string
	ByCountry   []portfolioGroup
	ByTheme     []portfolioGroup
	// CountryChart and ThemeChart draw the budgeted kronor of ByCountry and ByTheme.
	CountryChart, ThemeChart barChart
	Lines                    []portfolioLine
	// Results are the year by region, core area and SDG target.
	Results portfolioResults
	// CSV is the address of the year's report as a CSV file.
	CSV string
}

// portfolioSection is one part of the portfolio page: a heading, a chart and a table of the same figures,
// either money by a grouping (Money) or results against indicators (OfResults, Results). Heading, Caption
// and Column are catalogue keys.
type portfolioSection struct {
	ID, Heading, Caption, Column string
	Chart                        barChart
	Money                        []portfolioGroup
	OfResults                    bool
	Results                      []resultsRow
}

// Sections are the page's parts in the order shown: money by country and by region, results by core area
// and by SDG target, money by theme.
func (d portfolioData) Sections() []portfolioSection {
	return []portfolioSection{
		{ID: "by-country", Heading: "portfolio.byCountry", Caption: "portfolio.byCountryCaption", Column: "portfolio.country",
			Chart: d.CountryChart, Money: d.ByCountry},
		{ID: "by-cluster", Heading: "portfolio.byCluster", Caption: "portfolio.byClusterCaption", Column: "portfolio.cluster",
			Chart: d.Results.ClusterChart, Money: d.Results.ByCluster},
		{ID: "by-core-area", Heading: "portfolio.byCoreArea", Caption: "portfolio.byCoreAreaCaption", Column: "portfolio.coreArea",
			Chart: d.Results.CoreChart, OfResults: true, Results: d.Results.ByCoreArea},
		{ID: "by-sdg-target", Heading: "portfolio.bySdgTarget", Caption: "portfolio.bySdgTargetCaption", Column: "portfolio.sdgTarget",
			Chart: d.Results.SDGChart, OfResults: true, Results: d.Results.BySDGTarget},
		{ID: "by-theme", Heading: "portfolio.byTheme", Caption: "portfolio.byThemeCaption", Column: "portfolio.theme",
			Chart: d.ThemeChart, Money: d.ByTheme},
	}
}

// showPortfolio shows the portfolio of a year: budgeted kronor by country and by theme as charts and
// tables, and every row of the report. Which partnerships count is the API's choice for the person's role.
func (c *Console) showPortfolio(w http.ResponseWriter, r *http.Request, s *session) {
	l := languageOf(r)
	year, problem := readYear(l, r.URL.Query().Get("year"))
	data := portfolioData{Year: r.URL.Query().Get("year"), YearProblem: problem}
	if problem != nil {
		c.render(w, r, http.StatusBadRequest, "portfolio", "portfolio", data)
		return
	}
	data.Year = strconv.Itoa(year)
	var report portfolioReport
	q := url.Values{"year": {data.Year}}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/reports/portfolio", query: q}, &report); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	if report.AsOfTime != "" {
		data.AsOf = formatDate(report.AsOfTime)
	}
	noTheme := translate(l, "portfolio.noTheme")
	data.ByCountry = groupPortfolio(report.Rows, func(p portfolioRow) string { return strings.ToUpper(p.CountryCode) })
	data.ByTheme = groupPortfolio(report.Rows, func(p portfolioRow) string { return cmp.Or(p.Theme, noTheme) })
	for _, groups := range [][]portfolioGroup{data.ByCountry, data.ByTheme} {
		for i := range groups {
			g := &groups[i]
			g.Shown.Budgeted, g.Shown.Approved, g.Shown.Paid = formatSEK(l, g.Budgeted), formatSEK(l, g.Approved), formatSEK(l, g.Paid)
		}
	}
	data.CountryChart = portfolioChart(l, "chart-country", translate(l, "portfolio.chartByCountry")+" "+data.Year, data.ByCountry)
	data.ThemeChart = portfolioChart(l, "chart-theme", translate(l, "portfolio.chartByTheme")+" "+data.Year, data.ByTheme)
	data.Results = buildPortfolioResults(l, data.Year, report)
	for _, p := range report.Rows {
		cluster := translate(l, "cluster."+orUnspecified(p.Cluster, "CLUSTER_UNSPECIFIED"))
		data.Lines = append(data.Lines, portfolioLine{Country: strings.ToUpper(p.CountryCode), Cluster: cluster, Theme: cmp.Or(p.Theme, noTheme),
			Partnerships: p.Partnerships(), Budgeted: sekOrZero(l, p.Budgeted), Approved: sekOrZero(l, p.Approved), Paid: sekOrZero(l, p.Paid),
			Compliance: p.CompliancePercent, SDGTargets: strings.Join(p.SDGTargets, ", ")})
	}
	data.CSV = "/console/portfolio.csv?" + q.Encode()
	c.render(w, r, http.StatusOK, "portfolio", "portfolio", data)
}

// groupPortfolio sums the rows by the label key gives them: largest budget first, then by label.
func groupPortfolio(rows []portfolioRow, key func(portfolioRow) string) []portfolioGroup {
	at := map[string]int{}
	var out []portfolioGroup
	for _, p := range rows {
		k := key(p)
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, portfolioGroup{Label: k})
		}
		g := &out[i]
		g.Partnerships += p.Partnerships()
		g.Budgeted += oreOf(p.Budgeted)
		g.Approved += oreOf(p.Approved)
		g.Paid += oreOf(p.Paid)
	}
	slices.SortStableFunc(out, func(a, b portfolioGroup) int {
		return cmp.Or(cmp.Compare(b.Budgeted, a.Budgeted), strings.Compare(a.Label, b.Label))
	})
	return out
}

// oreOf is an amount of a report in öre, where an amount left out is zero (the API omits zeros).
func oreOf(m *money) int64 {
	ore, _ := m.Minor()
	return ore
}

// portfolioChart draws the budgeted kronor of groups.
func portfolioChart(l lang, id, title string, groups []portfolioGroup) barChart {
	chart := barChart{ID: id, Title: title}
	for _, g := range groups {
		chart.Groups = append(chart.Groups, chartGroup{Label: g.Label, Values: []int64{g.Budgeted}, Shown: formatSEK(l, g.Budgeted)})
	}
	return chart
}

// streamPortfolioCSV sends the year's portfolio report as the API's CSV file, as it comes.
func (c *Console) streamPortfolioCSV(w http.ResponseWriter, r *http.Request, s *session) {
	l := languageOf(r)
	year, problem := readYear(l, r.URL.Query().Get("year"))
	if problem != nil {
		c.renderProblem(w, r, http.StatusBadRequest, *problem)
		return
	}
	c.streamFromAPI(w, r, s.Token, apiStream{path: "/v1/reports/portfolio:csv", query: url.Values{"year": {strconv.Itoa(year)}},
		accept: "text/csv", fileName: "portfolio-" + strconv.Itoa(year) + ".csv"})
}
