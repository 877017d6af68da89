package e2e

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// The console's words for the clusters and core areas the test meets, written here independently of the
// console's catalogue.
var (
	clusterSV  = map[string]string{"CLUSTER_EUROPE": "Europa", "CLUSTER_LATIN_AMERICA": "Latinamerika", "CLUSTER_EAST_AFRICA": "Östafrika", "CLUSTER_SOUTHERN_AFRICA": "Södra Afrika", "CLUSTER_ASIA": "Asien"}
	coreAreaSV = map[string]string{"CORE_AREA_EQUITY_INCLUSION": "jämlikhet och inkludering", "CORE_AREA_PARTICIPATION": "deltagande",
		"CORE_AREA_TRANSPARENCY": "transparens", "CORE_AREA_ACCOUNTABILITY": "ansvarsutkrävande"}
)

// eastAfricanPair makes, through the REST API, a Swedish region and two East African partnerships whose
// inceptions start on the cohort's first day, so both may join a network starting then. It answers the
// region's id and the partnerships' ids.
func eastAfricanPair(t *testing.T, admin client, cohortStart day) (string, [2]string) {
	t.Helper()
	org := func(body string) string {
		return admin.do("POST", "/v1/organizations", body).must(t, http.StatusCreated).str("id")
	}
	region := org(`{"kind":"ORGANIZATION_KIND_REGION","display_name":"Region Uppsala","swedish":{"org_number":"2321000024","county_code":"03"}}`)
	var ids [2]string
	for i, city := range []struct{ name, country string }{{"Jinja City", "UG"}, {"Kisumu County", "KE"}} {
		intl := org(`{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT","display_name":"` + city.name + `","international":{"country_code":"` + city.country + `","government_kind":"city council"}}`)
		ids[i] = admin.do("POST", "/v1/partnerships", `{"swedish_organization_id":"`+region+`","international_organization_id":"`+intl+`",
			"title":"Health with `+city.name+`","core_areas":["CORE_AREA_EQUITY_INCLUSION"]}`).must(t, http.StatusCreated).str("id")
		admin.do("POST", "/v1/partnerships/"+ids[i]+"/applications", `{"kind":"APPLICATION_KIND_INCEPTION","start_date":`+cohortStart.json()+
			`,"end_date":`+cohortStart.plus(12, -1).json()+`}`).must(t, http.StatusCreated)
	}
	return region, ids
}

// ICLD runs a network through the console: an admin creates it (a field error first, beside its input), its
// coordinator opens it, adds two partnerships, records a joint activity, starts it and sees the cohort; a
// change sent after someone else's is explained with the network as it now is; a member of a member
// partnership sees no form, and a form a member sends anyway is refused by the API and the page says so.
// The portfolio then shows the year by region, core area and SDG target with the API's own figures.
func TestConsoleNetworksCoordinatorRunsANetwork(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	start := today().plus(1, 0)
	region, pair := eastAfricanPair(t, admin, start)

	// An admin creates the network; the first try leaves out the name, which the API refuses beside it.
	ada := newBrowser(t, s.GatewayURL)
	ada.signInWithRole(auth.RoleAdmin, "")
	mustOpen(ada, "/console/networks")
	ada.mustShow(`href="/console/networks/new"`)
	mustOpen(ada, "/console/networks/new")
	fields := url.Values{"network.displayName": {""}, "network.theme": {"equitable health"}, "network.cluster": {"CLUSTER_EAST_AFRICA"},
		"network.cohortStart": {start.iso()}, "network.durationMonths": {"48"}, "network.coordinator": {"dev-coordinator"}}
	if status := ada.submit("/console/networks", fields); status != http.StatusBadRequest {
		t.Fatalf("a network without a name: %d\n%s", status, ada.page)
	}
	ada.mustShow(`id="network.displayName-error"`, `aria-describedby="network.displayName-error"`, `value="equitable health"`)
	fields.Set("network.displayName", "Equitable health, East Africa")
	if status := ada.submit("/console/networks", fields); status != http.StatusOK || !strings.HasPrefix(ada.at.Path, "/console/networks/") {
		t.Fatalf("creating the network led to %s with %d:\n%s", ada.at, status, ada.page)
	}
	network := strings.TrimPrefix(ada.at.Path, "/console/networks/")
	ada.mustShow("<h1>Equitable health, East Africa</h1>", "<strong>planeras</strong>")
	if n := admin.do("GET", "/v1/networks/"+network, "").must(t, http.StatusOK); n.str("coordinator") != "dev-coordinator" ||
		n.str("cluster") != "CLUSTER_EAST_AFRICA" || n.str("state") != "NETWORK_STATE_PLANNED" {
		t.Fatalf("the network the console created: %s", n.raw)
	}
	page := "/console/networks/" + network

	// Its coordinator opens it for partnerships, adds both and records an activity.
	anna := newBrowser(t, s.GatewayURL)
	anna.signInWithRole(auth.RoleCoordinator, "")
	mustOpen(anna, page)
	if status := anna.submit(page+"/lifecycle/open", url.Values{"etag": {anna.hidden("etag")}}); status != http.StatusOK {
		t.Fatalf("opening: %d\n%s", status, anna.page)
	}
	anna.mustShow("<strong>tar emot partnerskap</strong>")
	for _, p := range pair {
		anna.mustShow(`<option value="` + p + `">`)
		if status := anna.submit(page+"/memberships", url.Values{"membership.partnershipId": {p}}); status != http.StatusOK {
			t.Fatalf("adding %s: %d\n%s", p, status, anna.page)
		}
	}
	anna.mustShow(`<a href="/console/partnerships/`+pair[0]+`">Health with Jinja City</a>`, `<a href="/console/partnerships/`+pair[1]+`">Health with Kisumu County</a>`)
	activity := url.Values{"activity.kind": {"ACTIVITY_KIND_JOINT_TRAINING"}, "activity.title": {"Health equity training"},
		"activity.startDate": {start.iso()}, "activity.endDate": {start.plus(0, 2).iso()}, "activity.host": {"ICLD"}}
	if status := anna.submit(page+"/activities", activity); status != http.StatusOK {
		t.Fatalf("recording the activity: %d\n%s", status, anna.page)
	}
	anna.mustShow(`<th scope="row">Health equity training</th>`, "<td>gemensam utbildning</td>")
	acts := list(admin.do("GET", "/v1/networks/"+network+"/activities", "").must(t, http.StatusOK).body, "activities")
	if len(acts) != 1 || str(acts[0].(map[string]any), "title") != "Health equity training" {
		t.Fatalf("the API's activities: %v", acts)
	}

	// A change sent after someone else's is refused; the form says so beside the network as it now is.
	mustOpen(anna, page+"/edit")
	etag := anna.hidden("etag")
	admin.do("PATCH", "/v1/networks/"+network+"?update_mask=theme", `{"theme":"health for all"}`).must(t, http.StatusOK)
	change := url.Values{"etag": {etag}, "network.displayName": {"Equitable health, East Africa"}, "network.theme": {"equity in health"},
		"network.cohortStart": {start.iso()}, "network.durationMonths": {"48"}, "network.coordinator": {"dev-coordinator"}}
	if status := anna.submit(page+"/edit", change); status != http.StatusConflict {
		t.Fatalf("a change on a stale etag: %d\n%s", status, anna.page)
	}
	anna.mustShow("Någon annan har ändrat nätverket", "<dd>health for all</dd>", `value="equity in health"`)
	if n := admin.do("GET", "/v1/networks/"+network, "").must(t, http.StatusOK); n.str("theme") != "health for all" {
		t.Fatalf("the stale change was applied: %s", n.raw)
	}
	// Sent again, on the version the form now holds, it goes through.
	change.Set("etag", anna.hidden("etag"))
	if status := anna.submit(page+"/edit", change); status != http.StatusOK || anna.at.Path != page {
		t.Fatalf("the change sent again: %d at %s\n%s", status, anna.at, anna.page)
	}
	anna.mustShow("<dd>equity in health</dd>")

	// Started, the cohort lines both partnerships up.
	if status := anna.submit(page+"/lifecycle/start", url.Values{"etag": {anna.hidden("etag")}}); status != http.StatusOK {
		t.Fatalf("starting: %d\n%s", status, anna.page)
	}
	anna.mustShow("<strong>pågår</strong>", `<th scope="col"><a href="/console/partnerships/`+pair[0]+`">Health with Jinja City</a></th>`,
		`<th scope="col"><a href="/console/partnerships/`+pair[1]+`">Health with Kisumu County</a></th>`)

	// A member of the region sees the network without a form; one sent anyway is the API's refusal.
	bo := newBrowser(t, s.GatewayURL)
	bo.signIn(region)
	mustOpen(bo, page)
	bo.mustShow("<h1>Equitable health, East Africa</h1>")
	if strings.Contains(bo.page, `action="`+page) || strings.Contains(bo.page, page+"/edit") {
		t.Fatalf("a member is offered the network's forms:\n%s", bo.page)
	}
	activity.Set("activity.title", "A member's own training")
	if status := bo.submit(page+"/activities", activity); status != http.StatusForbidden {
		t.Fatalf("a member's activity: %d\n%s", status, bo.page)
	}
	bo.mustShow(`id="refused-heading"`, "Din roll får inte göra detta.")
	if acts := list(admin.do("GET", "/v1/networks/"+network+"/activities", "").must(t, http.StatusOK).body, "activities"); len(acts) != 1 {
		t.Fatalf("a member's refused activity was recorded: %v", acts)
	}

	// The portfolio by region, core area and SDG target, with the API's figures: the demo partnership's
	// project, with its results framework, runs this year.
	p := setUpProgramme(t, s)
	withProject(t, s, &p)
	mustOpen(anna, fmt.Sprintf("/console/portfolio?year=%d", p.year))
	anna.mustShow(fmt.Sprintf(`<title id="chart-cluster-title">Godkänd budget per region, %d</title>`, p.year))
	byCluster := map[string]int64{}
	for _, r := range list(p.portfolio.body, "rows") {
		m := r.(map[string]any)
		byCluster[str(m, "cluster")] += minorOf(m, "budgeted")
	}
	if byCluster["CLUSTER_SOUTHERN_AFRICA"] < 15_000_000 {
		t.Fatalf("the API's portfolio: %s", p.portfolio.raw)
	}
	clusterChart := anna.page[strings.Index(anna.page, `id="chart-cluster-title"`):strings.Index(anna.page, `id="by-core-area-heading"`)]
	for cluster, ore := range byCluster {
		if want := ">" + clusterSV[cluster] + ": " + kronorSV(ore) + "</text>"; !strings.Contains(clusterChart, want) {
			t.Errorf("the chart by region lacks %s:\n%s", want, clusterChart)
		}
	}
	if len(list(p.portfolio.body, "resultsByCoreArea")) == 0 || len(list(p.portfolio.body, "resultsBySdgTarget")) == 0 {
		t.Fatalf("the API's portfolio has no results: %s", p.portfolio.raw)
	}
	for _, part := range []struct{ key, label, empty string }{{"resultsByCoreArea", "coreArea", "by-core-area"}, {"resultsBySdgTarget", "sdgTarget", "by-sdg-target"}} {
		lines := list(p.portfolio.body, part.key)
		section := anna.page[strings.Index(anna.page, `id="`+part.empty+`-heading"`):]
		if len(lines) == 0 {
			if !strings.Contains(section, "Inga resultatramverk räknas för året ännu.") {
				t.Errorf("no %s, yet the page does not say so:\n%s", part.key, section)
			}
			continue
		}
		for _, l := range lines {
			m := l.(map[string]any)
			label := str(m, part.label)
			if part.label == "coreArea" {
				label = coreAreaSV[label]
			}
			want := fmt.Sprintf(`<tr><th scope="row">%s</th><td class="amount">%d</td><td class="amount">%d</td><td class="amount">%d</td><td class="amount">%d</td></tr>`,
				html.EscapeString(label), number(m["partnerships"]), number(m["indicators"]), number(m["reported"]), number(m["reachedTarget"]))
			if !strings.Contains(section, want) {
				t.Errorf("the page lacks %s of %s", want, part.key)
			}
		}
	}
}

// withProject closes the demo partnership's inception and has its project, with a results framework,
// approved for this year, then waits until the portfolio counts its indicators (p.portfolio is then that
// answer).
func withProject(t *testing.T, s *suite.Suite, p *programme) {
	t.Helper()
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	now, base := today(), "/v1/partnerships/"+p.demo.partnership
	for _, a := range list(p.member.do("GET", base+"/applications", "").must(t, http.StatusOK).body, "applications") {
		if m := a.(map[string]any); str(m, "kind") == "APPLICATION_KIND_INCEPTION" {
			for _, step := range []string{":start", ":close"} {
				p.coordinator.do("POST", base+"/applications/"+str(m, "id")+step, `{}`).must(t, http.StatusOK)
			}
		}
	}
	ensureWindow(t, admin, "APPLICATION_KIND_PROJECT", now)
	project := p.member.do("POST", base+"/applications", `{"kind":"APPLICATION_KIND_PROJECT","startDate":"`+now.iso()+`",
		"endDate":"`+now.plus(24, -1).iso()+`",`+framework(now)+`}`).must(t, http.StatusCreated).str("id")
	setTeam(t, p.member, p.demo.partnership, project, true, p.demo.malmo, p.demo.lusaka)
	p.member.do("POST", base+"/applications/"+project+":submit", `{}`).must(t, http.StatusOK)
	p.coordinator.do("POST", base+"/applications/"+project+":approve", `{}`).must(t, http.StatusOK)
	p.portfolio = eventually(t, "the project's results in the portfolio", func() reply {
		return p.coordinator.do("GET", fmt.Sprintf("/v1/reports/portfolio?year=%d", p.year), "")
	}, func(r reply) bool {
		return len(list(r.body, "resultsByCoreArea")) > 0 && len(list(r.body, "resultsBySdgTarget")) > 0
	})
}
