package console

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// portfolioAPI answers the portfolio of 2026 in three rows: Zambia in a network and outside one, Uganda in
// the same network; and its CSV.
func portfolioAPI() *fakeAPI {
	sek := func(ore string) map[string]any { return map[string]any{"currencyCode": "SEK", "amountMinor": ore} }
	phases := func(n int) []any {
		return []any{map[string]any{"state": "PARTNERSHIP_STATE_ACTIVE", "partnerships": n}}
	}
	return &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		if r.URL.Path != "/v1/reports/portfolio" {
			return http.StatusNotFound, map[string]any{"code": 5, "message": "not found"}
		}
		if r.URL.Query().Get("year") != "2026" {
			return http.StatusBadRequest, map[string]any{"code": 3, "message": "year out of range"}
		}
		return http.StatusOK, map[string]any{"year": 2026, "asOfTime": "2026-12-06T08:00:00Z", "rows": []any{
			map[string]any{"countryCode": "ZM", "cluster": "CLUSTER_SOUTHERN_AFRICA", "theme": "youth participation", "phases": phases(2),
				"budgeted": sek("15000000"), "approved": sek("1250000"), "paid": sek("1250000"), "compliancePercent": 50, "sdgTargets": []any{"16.7"}},
			map[string]any{"countryCode": "ZM", "cluster": "CLUSTER_SOUTHERN_AFRICA", "phases": phases(1), "budgeted": sek("5000000")},
			map[string]any{"countryCode": "UG", "cluster": "CLUSTER_EAST_AFRICA", "theme": "youth participation", "phases": phases(1),
				"budgeted": sek("30000000"), "approved": sek("0")},
		}}
	}}
}

// The portfolio sums the report by country and by theme, draws each as a chart, and shows the same figures
// in tables; the charts' bars follow the sums.
func TestPortfolioChartsByCountryAndTheme(t *testing.T) {
	c := newTestConsole(t, portfolioAPI())
	rec := serve(c, http.MethodGet, "/console/portfolio?year=2026", nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	for _, want := range []string{
		`<title id="chart-country-title">Godkänd budget per land, 2026</title>`,
		// Uganda 300 000 kr is the longest bar; Zambia's 150 000 + 50 000 kr two thirds of it.
		">UG: 300\u00a0000,00\u00a0kr</text>", `<rect x="0" y="21" width="600"`, ">ZM: 200\u00a0000,00\u00a0kr</text>", `<rect x="0" y="63" width="400"`,
		`<title id="chart-theme-title">Godkänd budget per tema, 2026</title>`,
		">youth participation: 450\u00a0000,00\u00a0kr</text>", ">Inget nätverk: 50\u00a0000,00\u00a0kr</text>", `<rect x="0" y="63" width="66"`,
		"<tr><th scope=\"row\">ZM</th><td class=\"amount\">3</td><td class=\"amount\">200\u00a0000,00\u00a0kr</td><td class=\"amount\">12\u00a0500,00\u00a0kr</td>",
		"<td>Södra Afrika</td>", "<td class=\"amount\">50&nbsp;%</td><td>16.7</td>",
		`href="/console/portfolio.csv?year=2026"`, "Läget 2026-12-06",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the portfolio lacks %s:\n%s", want, body)
		}
	}
}

// A year the console cannot read is marked beside its input and nothing is asked of the API; one the API
// refuses is its problem page.
func TestPortfolioYearIsChecked(t *testing.T) {
	api := portfolioAPI()
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/portfolio?year=twenty", nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest || api.count() != 0 || !strings.Contains(body, `id="year-error"`) ||
		!strings.Contains(body, `aria-describedby="year-hint year-error" aria-invalid="true"`) || !strings.Contains(body, `value="twenty"`) {
		t.Errorf("status %d, %d calls:\n%s", rec.Code, api.count(), body)
	}
	rec = serve(c, http.MethodGet, "/console/portfolio?year=1999", nil, sessionCookieFor(t, c, coordinator()))
	if rec.Code != http.StatusBadRequest || api.count() != 0 {
		t.Errorf("1999: status %d, %d calls", rec.Code, api.count())
	}
	rec = serve(c, http.MethodGet, "/console/portfolio?year=2030", nil, sessionCookieFor(t, c, coordinator()))
	if rec.Code != http.StatusBadRequest || api.count() != 1 || strings.Contains(rec.Body.String(), "<svg") {
		t.Errorf("a year the API refuses: status %d:\n%s", rec.Code, rec.Body.String())
	}
}

// The CSV link hands over the API's file as it is, under a name with the year.
func TestPortfolioCSV(t *testing.T) {
	const file = "country_code,cluster,theme\nZM,southern_africa,youth participation\n"
	c := newTestConsole(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/reports/portfolio:csv" || r.URL.Query().Get("year") != "2025" || r.Header.Get("Accept") != "text/csv" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		_, _ = io.WriteString(w, file)
	}))
	rec := serve(c, http.MethodGet, "/console/portfolio.csv?year=2025", nil, sessionCookieFor(t, c, coordinator()))
	if rec.Code != http.StatusOK || rec.Body.String() != file || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		rec.Header().Get("Content-Disposition") != "attachment; filename=portfolio-2025.csv" {
		t.Errorf("status %d, headers %v:\n%s", rec.Code, rec.Header(), rec.Body.String())
	}
}

// The portfolio's sections name their words at run time; each is in both languages.
func TestPortfolioSectionsHaveTheirWords(t *testing.T) {
	for _, l := range languages {
		for _, sec := range (portfolioData{}).Sections() {
			for _, key := range []string{sec.Heading, sec.Caption, sec.Column} {
				if _, ok := lookup(l, key); !ok {
					t.Errorf("%s lacks %q", l, key)
				}
			}
		}
	}
}
