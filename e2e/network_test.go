package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// TestNetworkWalkthrough creates a network through the gateway, adds member partnerships read from the real
// partnership service, records an activity and reads the cohort view with tokens of each role; then stops the
// partnership service and shows what still works and what fails cleanly.
func TestNetworkWalkthrough(t *testing.T) {
	s := startSuite(t)
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	now := today()

	org := func(body string) string {
		return admin.do("POST", "/v1/organizations", body).must(t, http.StatusCreated).str("id")
	}
	stockholm := org(`{"kind":"ORGANIZATION_KIND_REGION","display_name":"Region Stockholm","swedish":{"org_number":"2321000016","county_code":"01"}}`)
	jinja := org(`{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT","display_name":"Jinja City","international":{"country_code":"UG","government_kind":"city council"}}`)
	lusaka := org(`{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT","display_name":"Lusaka City Council","international":{"country_code":"ZM","government_kind":"city council"}}`)
	partnership := func(international, title string) string {
		return admin.do("POST", "/v1/partnerships", `{"swedish_organization_id":"`+stockholm+`","international_organization_id":"`+international+`",
			"title":"`+title+`","core_areas":["CORE_AREA_EQUITY_INCLUSION"]}`).must(t, http.StatusCreated).str("id")
	}
	health := partnership(jinja, "Equitable health in Jinja")
	elsewhere := partnership(lusaka, "Rights in Lusaka")
	admin.do("POST", "/v1/partnerships/"+health+"/applications", `{"kind":"APPLICATION_KIND_INCEPTION","start_date":`+now.plus(0, 10).json()+
		`,"end_date":`+now.plus(12, 9).json()+`}`).must(t, http.StatusCreated)

	// The partnership service answers with each partnership's country and cluster; the network service reads them there.
	if p := admin.do("GET", "/v1/partnerships/"+health, "").must(t, http.StatusOK); p.str("country_code") != "UG" || p.str("cluster") != "CLUSTER_EAST_AFRICA" {
		t.Fatalf("a partnership in Uganda: %s", p.raw)
	}

	network := admin.do("POST", "/v1/networks", `{"display_name":"Equitable health, East Africa","theme":"equitable health",
		"cluster":"CLUSTER_EAST_AFRICA","cohort_start":`+now.json()+`,"coordinator":"e2e-coordinator","research_advisor":"Dr. A. Researcher",
		"experts":[{"name":"B. Expert","field":"public health","organization":"Karolinska"}]}`).must(t, http.StatusCreated)
	id := network.str("id")
	if network.str("state") != "NETWORK_STATE_PLANNED" || network.str("cluster") != "CLUSTER_EAST_AFRICA" || network.body["endDate"] == nil {
		t.Fatalf("a new network: %s", network.raw)
	}
	members := "/v1/networks/" + id + "/memberships"
	early := coordinator.do("POST", members, `{"partnership_id":"`+health+`"}`).must(t, http.StatusBadRequest)
	if early.reason() != "NETWORK_NOT_RECRUITING" {
		t.Fatalf("joining a planned network: %s", early.raw)
	}
	coordinator.do("POST", "/v1/networks/"+id+":open", `{}`).must(t, http.StatusOK)
	joined := coordinator.do("POST", members, `{"partnership_id":"`+health+`"}`).must(t, http.StatusCreated)
	info, _ := joined.body["partnership"].(map[string]any)
	if str(info, "title") != "Equitable health in Jinja" || str(info, "international_party") != "Jinja City" {
		t.Fatalf("a membership should show the partnership as the partnership service reports it: %s", joined.raw)
	}
	// The partnership's state is the partnership service's enum, not a word of the network service's own.
	memberState := str(info, "state")
	if !strings.HasPrefix(memberState, "PARTNERSHIP_STATE_") || memberState == "PARTNERSHIP_STATE_UNSPECIFIED" {
		t.Fatalf("a member partnership's state: %s", joined.raw)
	}
	if again := coordinator.do("POST", members, `{"partnership_id":"`+health+`"}`).must(t, http.StatusConflict); again.reason() != "ALREADY_A_MEMBER" {
		t.Fatalf("adding a member twice: %s", again.raw)
	}
	mismatch := coordinator.do("POST", members, `{"partnership_id":"`+elsewhere+`"}`).must(t, http.StatusBadRequest)
	if !strings.Contains(mismatch.raw, "CLUSTER_MISMATCH") {
		t.Fatalf("a Zambian partnership in an East African network: %s", mismatch.raw)
	}
	coordinator.do("POST", members, `{"partnership_id":"0190c5a2-8c6e-7000-8000-000000000001"}`).must(t, http.StatusNotFound)

	activities := "/v1/networks/" + id + "/activities"
	coordinator.do("POST", activities, `{"kind":"ACTIVITY_KIND_JOINT_TRAINING","title":"Health equity training","start_date":`+now.json()+
		`,"end_date":`+now.plus(0, 2).json()+`,"host":"ICLD","participations":[{"partnership_id":"`+health+`","participants":6}],
		"links":["https://icld.se/"]}`).must(t, http.StatusCreated)
	coordinator.do("POST", activities, `{"kind":"ACTIVITY_KIND_CONFERENCE","title":"Not ours","start_date":`+now.json()+
		`,"end_date":`+now.json()+`,"participations":[{"partnership_id":"`+elsewhere+`","participants":2}]}`).must(t, http.StatusBadRequest)

	// Every role reads what it may: members and partners of the member partnership see the network, others do not.
	malmo := org(`{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Malmö stad","swedish":{"org_number":"2120001124","municipality_code":"1280"}}`)
	readers := map[string]client{
		"admin": admin, "coordinator": coordinator,
		"auditor": {t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAuditor, "")},
		"member":  {t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, stockholm)},
		"partner": {t: t, base: s.GatewayURL, token: s.Token(t, auth.RolePartner, jinja)},
	}
	for role, c := range readers {
		cohort := c.do("GET", "/v1/networks/"+id+"/cohort", "").must(t, http.StatusOK)
		rows := list(cohort.body, "rows")
		if len(rows) != 1 || str(rows[0].(map[string]any), "title") != "Equitable health in Jinja" || str(rows[0].(map[string]any), "state") != memberState {
			t.Fatalf("%s's cohort view (want the member's state %s): %s", role, memberState, cohort.raw)
		}
		c.do("GET", "/v1/networks/"+id, "").must(t, http.StatusOK)
	}
	stranger := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, malmo)}
	stranger.do("GET", "/v1/networks/"+id, "").must(t, http.StatusNotFound)
	stranger.do("GET", "/v1/networks/"+id+"/cohort", "").must(t, http.StatusNotFound)
	readers["member"].do("POST", "/v1/networks/"+id+":close", `{}`).must(t, http.StatusForbidden)
	otherToken, err := auth.IssueDevToken(s.Key, "", "", auth.Principal{Subject: "another-coordinator", Role: auth.RoleCoordinator}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other := client{t: t, base: s.GatewayURL, token: otherToken}
	other.do("POST", "/v1/networks/"+id+":close", `{}`).must(t, http.StatusForbidden)

	// The partnership service goes down: changes that need it fail cleanly, reads that do not keep working.
	s.Stop(t, "partnership")
	down := coordinator.do("POST", members, `{"partnership_id":"`+elsewhere+`"}`).must(t, http.StatusServiceUnavailable)
	if !strings.Contains(down.str("message"), "partnership service") {
		t.Fatalf("membership change with the partnership service down: %s", down.raw)
	}
	if got := coordinator.do("GET", activities, "").must(t, http.StatusOK); len(list(got.body, "activities")) != 1 {
		t.Fatalf("activities with the partnership service down: %s", got.raw)
	}
	cohort := coordinator.do("GET", "/v1/networks/"+id+"/cohort", "").must(t, http.StatusOK)
	if !strings.Contains(cohort.raw, `"partnership"`) {
		t.Fatalf("the cohort view should name the missing parts: %s", cohort.raw)
	}
	listed := coordinator.do("GET", members, "").must(t, http.StatusOK)
	if listed.body["partnershipsUnavailable"] != true || len(list(listed.body, "memberships")) != 1 {
		t.Fatalf("memberships with the partnership service down: %s", listed.raw)
	}
	removed := coordinator.do("POST", members+"/"+health+":remove", `{"reason":"left the programme"}`).must(t, http.StatusOK)
	if removed.str("removal_reason") != "left the programme" {
		t.Fatalf("removal: %s", removed.raw)
	}
	kept := coordinator.do("GET", members+"?include_removed=true", "").must(t, http.StatusOK)
	if len(list(kept.body, "memberships")) != 1 {
		t.Fatalf("a removal must be recorded, never deleted: %s", kept.raw)
	}
}
