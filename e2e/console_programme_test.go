package e2e

import (
	"fmt"
	"html"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// kronorSV writes öre as the Swedish console does ("150 000,00 kr", with no-break spaces), written here
// independently of the console's own code.
func kronorSV(ore int64) string {
	digits := strconv.FormatInt(ore/100, 10)
	var grouped strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			grouped.WriteString("\u00a0")
		}
		grouped.WriteRune(d)
	}
	return fmt.Sprintf("%s,%02d\u00a0kr", grouped.String(), ore%100)
}

// generatedAt finds the moment an IATI document was made, which it also writes as the last update of
// activities that carry none of their own: two exports differ in it and in nothing else.
var generatedAt = regexp.MustCompile(`generated-datetime="([^"]+)"`)

func withoutGeneratedAt(t *testing.T, doc string) string {
	t.Helper()
	m := generatedAt.FindStringSubmatch(doc)
	if m == nil {
		t.Fatalf("an IATI document without generated-datetime:\n%.400s", doc)
	}
	return strings.ReplaceAll(doc, m[1], "GENERATED")
}

// programme is what setUpProgramme made, and the API's reports of it.
type programme struct {
	demo                demoData
	network             string
	year                int
	report, portfolio   reply
	coordinator, member client
}

// setUpProgramme puts the demo partnership, through the REST API, in a Southern Africa network with an
// approved budget of 150 000 kr for this year, and waits until the network report and the portfolio have it.
func setUpProgramme(t *testing.T, s *suite.Suite) programme {
	t.Helper()
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	now := today()
	year := now.Year()
	app := approvedInception(t, member, coordinator, d.partnership)
	network := admin.do("POST", "/v1/networks", `{"display_name":"Youth voice, Southern Africa","theme":"youth participation",
		"cluster":"CLUSTER_SOUTHERN_AFRICA","cohort_start":`+now.json()+`,"coordinator":"e2e-coordinator"}`).must(t, http.StatusCreated).str("id")
	coordinator.do("POST", "/v1/networks/"+network+":open", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", "/v1/networks/"+network+"/memberships", `{"partnership_id":"`+d.partnership+`"}`).must(t, http.StatusCreated)
	budget := member.do("POST", "/v1/budgets", fmt.Sprintf(`{"partnership_id":%q,"application_id":%q,"lines":[
		{"id":"travel","category":"CATEGORY_TRAVEL","year":%d,"amount":{"currency_code":"SEK","amount_minor":15000000}}]}`,
		d.partnership, app, year)).must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/budgets/"+budget+":submit", `{}`).must(t, http.StatusOK)
	granted(t, admin, year)
	coordinator.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusOK)

	// The reports follow the services' events: wait until the API has the budget in both.
	report := eventually(t, "the budget in the network report", func() reply { return coordinator.do("GET", "/v1/reports/networks/"+network, "") },
		func(r reply) bool {
			rows := list(r.body, "rows")
			return r.status == 200 && len(rows) == 1 && minorOf(rows[0].(map[string]any), "budgeted") == 15_000_000
		})
	portfolioPath := fmt.Sprintf("/v1/reports/portfolio?year=%d", year)
	portfolio := eventually(t, "the budget in the portfolio", func() reply { return coordinator.do("GET", portfolioPath, "") },
		func(r reply) bool {
			for _, row := range list(r.body, "rows") {
				if str(row.(map[string]any), "theme") == "youth participation" && minorOf(row.(map[string]any), "budgeted") == 15_000_000 {
					return true
				}
			}
			return false
		})
	return programme{demo: d, network: network, year: year, report: report, portfolio: portfolio, coordinator: coordinator, member: member}
}

// A coordinator opens a network's cohort and the year's portfolio in the console and finds the API's own
// figures there (both charts, each bar's amount); downloads the IATI export through the console and gets
// what the API gives, byte for byte but for the moment each was made. A member sees only what the API lets
// a member see: the network of their own partnership, never another's, and no IATI export.
func TestConsoleProgrammeCohortPortfolioAndIATI(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	p := setUpProgramme(t, s)
	d, network, year, report, portfolio, coordinator, member := p.demo, p.network, p.year, p.report, p.portfolio, p.coordinator, p.member

	anna := newBrowser(t, s.GatewayURL)
	anna.signInWithRole(auth.RoleCoordinator, "")

	// The networks list links the network; its page shows the cohort side by side with the report's money.
	mustOpen(anna, "/console/networks")
	anna.mustShow(`<a href="/console/networks/` + network + `">Youth voice, Southern Africa</a>`)
	mustOpen(anna, "/console/networks/"+network)
	row := list(report.body, "rows")[0].(map[string]any)
	anna.mustShow("<h1>Youth voice, Southern Africa</h1>", "<strong>tar emot partnerskap</strong>",
		`<th scope="col"><a href="/console/partnerships/`+d.partnership+`">`+html.EscapeString(str(row, "title"))+`</a></th>`,
		`<tr><th scope="row">Land</th><td>`+strings.ToUpper(str(row, "countryCode"))+`</td></tr>`,
		`<tr><th scope="row">Budget</th><td>`+kronorSV(minorOf(row, "budgeted"))+`</td></tr>`,
		`<tr><th scope="row">Läge</th><td>förstudie</td></tr>`)

	// The portfolio: a chart by country and one by theme, each bar the sum of the API's rows.
	mustOpen(anna, fmt.Sprintf("/console/portfolio?year=%d", year))
	byCountry, byTheme := map[string]int64{}, map[string]int64{}
	for _, r := range list(portfolio.body, "rows") {
		m := r.(map[string]any)
		byCountry[strings.ToUpper(str(m, "countryCode"))] += minorOf(m, "budgeted")
		theme := str(m, "theme")
		if theme == "" {
			theme = "Inget nätverk"
		}
		byTheme[theme] += minorOf(m, "budgeted")
	}
	anna.mustShow(fmt.Sprintf(`<title id="chart-country-title">Godkänd budget per land, %d</title>`, year),
		fmt.Sprintf(`<title id="chart-theme-title">Godkänd budget per tema, %d</title>`, year))
	countryChart := anna.page[strings.Index(anna.page, `id="chart-country-title"`):strings.Index(anna.page, `id="chart-theme-title"`)]
	themeChart := anna.page[strings.Index(anna.page, `id="chart-theme-title"`):]
	for country, ore := range byCountry {
		if want := ">" + country + ": " + kronorSV(ore) + "</text>"; !strings.Contains(countryChart, want) {
			t.Errorf("the chart by country lacks %s:\n%s", want, anna.page)
		}
	}
	for theme, ore := range byTheme {
		if want := ">" + html.EscapeString(theme) + ": " + kronorSV(ore) + "</text>"; !strings.Contains(themeChart, want) {
			t.Errorf("the chart by theme lacks %s:\n%s", want, anna.page)
		}
	}
	if byTheme["youth participation"] < 15_000_000 {
		t.Fatalf("the API's portfolio: %s", portfolio.raw)
	}
	anna.mustShow(fmt.Sprintf(`href="/console/portfolio.csv?year=%d"`, year))
	mustOpen(anna, fmt.Sprintf("/console/portfolio.csv?year=%d", year))
	if csv := coordinator.do("GET", fmt.Sprintf("/v1/reports/portfolio:csv?year=%d", year), "").must(t, http.StatusOK); anna.page != csv.raw {
		t.Errorf("the portfolio's CSV through the console:\n%s\nfrom the API:\n%s", anna.page, csv.raw)
	}

	// The IATI export through the console is the API's document.
	mustOpen(anna, "/console/exports")
	anna.mustShow(`<script src="/console/assets/export.js" defer></script>`)
	exportPath := fmt.Sprintf("/console/exports/iati?year=%d", year)
	req, err := http.NewRequest(http.MethodGet, s.GatewayURL+exportPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := anna.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), fmt.Sprintf("iati-activities-%d.xml", year)) {
		t.Fatalf("the console's IATI download: %d %v", resp.StatusCode, resp.Header)
	}
	mustOpen(anna, exportPath)
	fromConsole := anna.page
	fromAPI := coordinator.do("GET", fmt.Sprintf("/v1/exports/iati?year=%d", year), "").must(t, http.StatusOK).raw
	if withoutGeneratedAt(t, fromConsole) != withoutGeneratedAt(t, fromAPI) || !strings.Contains(fromConsole, "<iati-activity") {
		t.Errorf("the IATI export through the console (%d bytes) is not the API's (%d bytes)", len(fromConsole), len(fromAPI))
	}
	validateIATI(t, []byte(fromConsole))

	// A member of the partnership's organisation sees its network, and is refused the export as the API
	// refuses it; a member of another organisation meets the console's not-found page for the network.
	bo := newBrowser(t, s.GatewayURL)
	bo.signIn(d.malmo)
	mustOpen(bo, "/console/networks/"+network)
	bo.mustShow("<h1>Youth voice, Southern Africa</h1>", `<a href="/console/partnerships/`+d.partnership+`">`)
	member.do("GET", fmt.Sprintf("/v1/exports/iati?year=%d", year), "").must(t, http.StatusForbidden)
	if status := bo.open(http.MethodGet, exportPath, nil); status != http.StatusForbidden || strings.Contains(bo.page, "<iati-activity") {
		t.Fatalf("a member's IATI export: %d\n%.600s", status, bo.page)
	}
	bo.mustShow(`<html lang="sv">`)
	stranger := newBrowser(t, s.GatewayURL)
	stranger.signIn(d.vaxjo)
	if status := stranger.open(http.MethodGet, "/console/networks/"+network, nil); status != http.StatusNotFound {
		t.Fatalf("another organisation's member opened the network: %d\n%s", status, stranger.page)
	}
	stranger.mustShow("<h1>Sidan finns inte</h1>")
	mustOpen(stranger, "/console/networks")
	if strings.Contains(stranger.page, network) {
		t.Errorf("another organisation's member sees the network in the list")
	}

	// In the portfolio each member sees their own partnerships' share, as the API gives it: Malmö's member the
	// youth network's budget, Växjö's member nothing of it.
	portfolioPage := fmt.Sprintf("/console/portfolio?year=%d", year)
	mustOpen(bo, portfolioPage)
	bo.mustShow(">youth participation: " + kronorSV(15_000_000) + "</text>")
	mustOpen(stranger, portfolioPage)
	stranger.mustShow("Inga partnerskap har en ansökan som löper under året")
	if strings.Contains(stranger.page, "youth participation") {
		t.Errorf("another organisation's member sees the network's share of the portfolio:\n%s", stranger.page)
	}
}

// In a real headless Chromium an ICLD coordinator reads the cohort and the portfolio (axe-core checks each
// page) and downloads the IATI export on its page: with JavaScript the page fetches the file itself, counts
// the activities as they arrive and then offers the file to save, and the count is the document's.
func TestConsoleProgrammeInABrowser(t *testing.T) {
	chrome := chromiumPath(t)
	shots := screenshotDir(t)
	s := suite.Start(t, "DEMO_DATA=true")
	p := setUpProgramme(t, s)
	b := openBrowser(t, chrome, s.GatewayURL)
	b.signIn("ICLD coordinator", "")

	b.do("open the network", chromedp.Navigate(s.GatewayURL+"/console/networks/"+p.network), chromedp.WaitVisible(chromedp.ID("cohort-caption")))
	b.mustText("h1", "Youth voice, Southern Africa")
	b.checkAccessibility("the network page")
	b.screenshot(filepath.Join(shots, "network-en.png"))
	b.do("open the portfolio", chromedp.Navigate(fmt.Sprintf("%s/console/portfolio?year=%d", s.GatewayURL, p.year)),
		chromedp.WaitVisible(chromedp.CSS(`svg[aria-labelledby="chart-theme-title"]`)))
	b.checkAccessibility("the portfolio page")
	b.screenshot(filepath.Join(shots, "portfolio-en.png"))
	// On a phone the cohort scrolls sideways in its own box, the rest of the page does not.
	b.do("narrow the window to a phone's", chromedp.EmulateViewport(375, 740),
		chromedp.Navigate(s.GatewayURL+"/console/networks/"+p.network), chromedp.WaitVisible(chromedp.ID("cohort-caption")))
	if wide := run(b, "measure the page", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); wide {
		t.Errorf("the network page is wider than a phone's screen")
	}
	b.screenshot(filepath.Join(shots, "network-phone.png"))
	b.do("widen the window again", chromedp.EmulateViewport(1000, 800))

	b.do("export to IATI", chromedp.Navigate(s.GatewayURL+"/console/exports"), chromedp.WaitVisible(chromedp.ID("year")))
	b.checkAccessibility("the export page")
	b.do("download the file", chromedp.Click(chromedp.CSS(`#iati-export button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#iati-save a[download]`)))
	if at := b.location(); at.Path != "/console/exports" {
		t.Fatalf("the download left the page for %s", at)
	}
	fromAPI := p.coordinator.do("GET", fmt.Sprintf("/v1/exports/iati?year=%d", p.year), "").must(t, http.StatusOK).raw
	want := fmt.Sprintf("Done: %d activities", strings.Count(fromAPI, "<iati-activity"))
	if said := strings.TrimSpace(run(b, "read the status", chromedp.Text(chromedp.ID("iati-status")))); !strings.HasPrefix(said, want) {
		t.Fatalf("the status says %q, want it to start %q", said, want)
	}
	if name := run(b, "read the file's name", chromedp.Evaluate[string](`document.querySelector("#iati-save a").download`)); name != fmt.Sprintf("iati-activities-%d.xml", p.year) {
		t.Errorf("the file is offered as %q", name)
	}
	b.checkAccessibility("the export page after the download")
}
