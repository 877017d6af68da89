package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// Every update method (PATCH) follows AIP-134 through the gateway: without update_mask it changes the
// fields the body sets and nothing else, fields outside the mask are neither required nor touched, and a
// mask naming a field that cannot change is refused with the fields that can.
func TestUpdatesChangeWhatTheyNameAndNothingElse(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	now := today()

	t.Run("organization", func(t *testing.T) {
		path := "/v1/organizations/" + d.lusaka
		before := admin.do("GET", path, "").must(t, http.StatusOK)
		after := admin.do("PATCH", path, `{"display_name":"Lusaka City Council (LCC)","etag":"`+before.str("etag")+`"}`).must(t, http.StatusOK)
		if after.str("display_name") != "Lusaka City Council (LCC)" || fmt.Sprint(after.body["international"]) != fmt.Sprint(before.body["international"]) {
			t.Fatalf("before %s\nafter %s", before.raw, after.raw)
		}
		refused := admin.do("PATCH", path+"?update_mask=kind", `{"kind":"ORGANIZATION_KIND_REGION"}`).must(t, http.StatusBadRequest)
		if !contains(refused.fields(), "update_mask") || !strings.Contains(refused.raw, "display_name") {
			t.Fatalf("a mask naming a field that cannot change: %s", refused.raw)
		}
	})

	t.Run("partnership", func(t *testing.T) {
		path := "/v1/partnerships/" + d.partnership
		before := member.do("GET", path, "").must(t, http.StatusOK)
		after := member.do("PATCH", path, `{"title":"Young people and the environment","etag":"`+before.str("etag")+`"}`).must(t, http.StatusOK)
		if after.str("title") != "Young people and the environment" || after.str("challenge") != before.str("challenge") ||
			fmt.Sprint(list(after.body, "core_areas")) != fmt.Sprint(list(before.body, "core_areas")) {
			t.Fatalf("before %s\nafter %s", before.raw, after.raw)
		}
		// A field named in the mask but not sent is cleared; the others stay.
		cleared := member.do("PATCH", path+"?update_mask=challenge", `{}`).must(t, http.StatusOK)
		if cleared.str("challenge") != "" || cleared.str("title") != "Young people and the environment" {
			t.Fatalf("update_mask=challenge with no challenge: %s", cleared.raw)
		}
	})

	t.Run("country eligibility", func(t *testing.T) {
		var id, from string
		for _, c := range list(admin.do("GET", "/v1/countries?date="+now.iso(), "").must(t, http.StatusOK).body, "countries") {
			if m := c.(map[string]any); str(m, "country_code") == "ZM" {
				id, from = str(m, "id"), fmt.Sprint(m["validFrom"], m["valid_from"])
			}
		}
		after := admin.do("PATCH", "/v1/countries/"+id, `{"cluster":"CLUSTER_EAST_AFRICA"}`).must(t, http.StatusOK)
		if after.str("cluster") != "CLUSTER_EAST_AFRICA" || fmt.Sprint(after.body["validFrom"], after.body["valid_from"]) != from {
			t.Fatalf("valid_from was %s: %s", from, after.raw)
		}
	})

	t.Run("network", func(t *testing.T) {
		created := admin.do("POST", "/v1/networks", `{"display_name":"Equitable health","theme":"equitable health",
			"cluster":"CLUSTER_EAST_AFRICA","cohort_start":`+now.plus(2, 0).json()+`,"coordinator":"e2e-coordinator",
			"research_advisor":"Dr. A. Researcher","experts":[{"name":"B. Expert","field":"public health","organization":"Karolinska"}]}`).must(t, http.StatusCreated)
		path := "/v1/networks/" + created.str("id")
		after := coordinator.do("PATCH", path, `{"theme":"health for all"}`).must(t, http.StatusOK)
		if after.str("theme") != "health for all" || after.str("display_name") != "Equitable health" ||
			fmt.Sprint(list(after.body, "experts")) != fmt.Sprint(list(created.body, "experts")) || after.str("research_advisor") != "Dr. A. Researcher" {
			t.Fatalf("created %s\nafter %s", created.raw, after.raw)
		}
	})

	t.Run("budget", func(t *testing.T) {
		app := approvedInception(t, member, coordinator, d.partnership)
		line := func(id string, kronor int) string {
			return fmt.Sprintf(`{"id":%q,"category":"CATEGORY_TRAVEL","year":%d,"amount":{"currency_code":"SEK","amount_minor":%d}}`, id, now.Year(), kronor*100)
		}
		missing := member.do("POST", "/v1/budgets", `{"lines":[`+line("a", 1000)+`]}`).must(t, http.StatusBadRequest)
		if !contains(missing.fields(), "budget.partnership_id") || !contains(missing.fields(), "budget.application_id") {
			t.Fatalf("a budget without its partnership and application: %s", missing.raw)
		}
		created := member.do("POST", "/v1/budgets", `{"partnership_id":"`+d.partnership+`","application_id":"`+app+`","lines":[`+
			line("a", 1000)+`,`+line("b", 2000)+`]}`).must(t, http.StatusCreated)
		path := "/v1/budgets/" + created.str("id")

		// A body without lines changes nothing, whatever else it says.
		same := member.do("PATCH", path, `{"etag":"`+created.str("etag")+`"}`).must(t, http.StatusOK)
		if len(list(same.body, "lines")) != 2 || same.str("etag") != created.str("etag") {
			t.Fatalf("a PATCH without lines changed the budget: %s", same.raw)
		}
		// Lines and an etag, without the partnership and application, with and without the mask.
		one := member.do("PATCH", path, `{"lines":[`+line("a", 1500)+`],"etag":"`+created.str("etag")+`"}`).must(t, http.StatusOK)
		if len(list(one.body, "lines")) != 1 {
			t.Fatalf("the lines sent replace the lines: %s", one.raw)
		}
		two := member.do("PATCH", path+"?update_mask=lines", `{"lines":[`+line("a", 1500)+`,`+line("c", 500)+`]}`,
			"If-Match", one.header.Get("ETag")).must(t, http.StatusOK)
		if len(list(two.body, "lines")) != 2 {
			t.Fatalf("update_mask=lines: %s", two.raw)
		}
		refused := member.do("PATCH", path+"?update_mask=partnership_id", `{"partnership_id":"`+d.partnership+`"}`).must(t, http.StatusBadRequest)
		if !contains(refused.fields(), "update_mask") {
			t.Fatalf("a mask naming a field that cannot change: %s", refused.raw)
		}
	})
}
