package console

import (
	"net/http"
	"strings"
	"testing"
)

// portfolioResultsAPI answers portfolioAPI's year with results frameworks by core area and by SDG target.
func portfolioResultsAPI() *fakeAPI {
	api := portfolioAPI()
	rows := api.answer
	api.answer = func(r *http.Request, body string) (int, any) {
		status, out := rows(r, body)
		if report, ok := out.(map[string]any); ok && status == http.StatusOK {
			report["resultsByCoreArea"] = []any{
				map[string]any{"coreArea": "CORE_AREA_PARTICIPATION", "partnerships": 2, "indicators": 8, "reported": 4, "reachedTarget": 2},
				map[string]any{"coreArea": "CORE_AREA_TRANSPARENCY", "partnerships": 1, "indicators": 2}}
			report["resultsBySdgTarget"] = []any{map[string]any{"sdgTarget": "16.7", "partnerships": 2, "indicators": 8, "reported": 4, "reachedTarget": 2}}
		}
		return status, out
	}
	return api
}

// The portfolio sums the budget by region and shows the results frameworks by core area and by SDG target,
// each a chart with a table of the same figures; the bars follow the figures.
func TestPortfolioByRegionCoreAreaAndSDGTarget(t *testing.T) {
	c := newTestConsole(t, portfolioResultsAPI())
	rec := serve(c, http.MethodGet, "/console/portfolio?year=2026", nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	mustContain(t, body,
		`<title id="chart-cluster-title">Godkänd budget per region, 2026</title>`,
		// East Africa 300 000 kr is the longest bar; Southern Africa's 200 000 kr two thirds of it.
		">Östafrika: 300\u00a0000,00\u00a0kr</text>", ">Södra Afrika: 200\u00a0000,00\u00a0kr</text>",
		"<tr><th scope=\"row\">Södra Afrika</th><td class=\"amount\">3</td><td class=\"amount\">200\u00a0000,00\u00a0kr</td>",
		`<title id="chart-core-area-title">Indikatorer, rapporterade och nådda mål per kärnområde, 2026</title>`,
		`<tr><th scope="row">deltagande</th><td class="amount">2</td><td class="amount">8</td><td class="amount">4</td><td class="amount">2</td></tr>`,
		`<tr><th scope="row">transparens</th><td class="amount">1</td><td class="amount">2</td><td class="amount">0</td><td class="amount">0</td></tr>`,
		`<title id="chart-sdg-target-title">Indikatorer, rapporterade och nådda mål per delmål, 2026</title>`,
		`<tr><th scope="row">16.7</th><td class="amount">2</td><td class="amount">8</td>`, ">Indikatorer</text>", ">Nådde målet</text>")
	chart := buildPortfolioResults(swedish, "2026", portfolioReport{ResultsByCoreArea: []resultsLine{{CoreArea: "CORE_AREA_PARTICIPATION", Indicators: 8, Reported: 4, ReachedTarget: 2}}}).CoreChart
	bars := chart.layout().Bars
	if len(bars) != 3 || bars[0].Width != 2*bars[1].Width || bars[1].Width != 2*bars[2].Width {
		t.Errorf("the bars do not follow 8, 4 and 2: %+v", bars)
	}
	empty := serve(c, http.MethodGet, "/console/portfolio?year=2026", nil, sessionCookieFor(t, c, coordinator()), &http.Cookie{Name: langCookie, Value: "en"}).Body.String()
	if !strings.Contains(empty, "Results by core area") || !strings.Contains(empty, "<th scope=\"row\">participation</th>") {
		t.Errorf("the English page:\n%s", empty)
	}
}

// A year without results frameworks says so instead of drawing empty charts.
func TestPortfolioWithoutResultsSaysSo(t *testing.T) {
	c := newTestConsole(t, portfolioAPI())
	body := serve(c, http.MethodGet, "/console/portfolio?year=2026", nil, sessionCookieFor(t, c, coordinator())).Body.String()
	if strings.Count(body, "Inga resultatramverk räknas för året ännu.") != 2 || strings.Contains(body, "chart-core-area") {
		t.Errorf("the page:\n%s", body)
	}
}
