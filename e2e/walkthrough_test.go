package e2e

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// TestPartnershipWalkthrough is the user's story: staff register both kinds of organisation, a member of the
// Swedish party creates a partnership, it walks through its whole lifecycle, and its history shows who did what.
func TestPartnershipWalkthrough(t *testing.T) {
	s := startSuite(t)
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}

	malmo := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Malmö stad",
		"swedish":{"org_number":"2120001124","municipality_code":"1280"}}`).must(t, http.StatusCreated)
	if malmo.header.Get("ETag") == "" || malmo.header.Get("X-Request-Id") == "" {
		t.Fatalf("create answered without ETag or X-Request-Id: %v", malmo.header)
	}
	swedish, _ := malmo.body["swedish"].(map[string]any)
	if str(swedish, "org_number") != "212000-1124" {
		t.Fatalf("organisation number not shown as NNNNNN-NNNN: %s", malmo.raw)
	}
	lusaka := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
		"display_name":"Lusaka City Council","international":{"country_code":"ZM","government_kind":"city council"}}`).must(t, http.StatusCreated)
	malmoID, lusakaID := malmo.str("id"), lusaka.str("id")

	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, malmoID)}
	partner := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RolePartner, lusakaID)}
	created := member.do("POST", "/v1/partnerships", `{"swedish_organization_id":"`+malmoID+`","international_organization_id":"`+lusakaID+`",
		"title":"Young people's influence over local environmental questions","core_areas":["CORE_AREA_PARTICIPATION"],
		"sdg_targets":["16.7"]}`, "Idempotency-Key", "walkthrough-1").must(t, http.StatusCreated)
	id := created.str("id")
	replayed := member.do("POST", "/v1/partnerships", `{"swedish_organization_id":"`+malmoID+`","international_organization_id":"`+lusakaID+`",
		"title":"Young people's influence over local environmental questions","core_areas":["CORE_AREA_PARTICIPATION"],
		"sdg_targets":["16.7"]}`, "Idempotency-Key", "walkthrough-1")
	if replayed.str("id") != id {
		t.Fatalf("a retry with the same Idempotency-Key created another partnership: %s", replayed.raw)
	}

	renamed := member.do("PATCH", "/v1/partnerships/"+id+"?update_mask=title", `{"title":"Youth and the environment"}`,
		"If-Match", created.header.Get("ETag")).must(t, http.StatusOK)
	if renamed.str("title") != "Youth and the environment" {
		t.Fatalf("rename: %s", renamed.raw)
	}
	member.do("PATCH", "/v1/partnerships/"+id+"?update_mask=title", `{"title":"Lost update"}`,
		"If-Match", created.header.Get("ETag")).must(t, http.StatusConflict)

	member.do("POST", "/v1/partnerships/"+id+":submit", `{"reason":"ready"}`).must(t, http.StatusOK)
	member.do("POST", "/v1/partnerships/"+id+":approve", `{}`).must(t, http.StatusForbidden)
	coordinator.do("POST", "/v1/partnerships/"+id+":approve", `{}`).must(t, http.StatusOK)
	illegal := coordinator.do("POST", "/v1/partnerships/"+id+":complete", `{}`).must(t, http.StatusBadRequest)
	if illegal.reason() != "ILLEGAL_TRANSITION" || !strings.Contains(illegal.str("message"), "activate") {
		t.Fatalf("an illegal transition should name the allowed ones: %s", illegal.raw)
	}
	unbalanced := coordinator.do("POST", "/v1/partnerships/"+id+":activate", `{}`).must(t, http.StatusBadRequest)
	if unbalanced.reason() != "STEERING_GROUP_INCOMPLETE" {
		t.Fatalf("activation without a steering group: %s", unbalanced.raw)
	}
	for _, org := range []string{malmoID, lusakaID} {
		for _, role := range []string{"MAJORITY_POLITICIAN", "OPPOSITION_POLITICIAN", "LEADING_OFFICIAL"} {
			member.do("POST", "/v1/partnerships/"+id+"/steering-group/members", `{"organization_id":"`+org+`",
				"display_name":"Person","role":"MEMBER_ROLE_`+role+`"}`).must(t, http.StatusCreated)
		}
	}
	coordinator.do("POST", "/v1/partnerships/"+id+":activate", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", "/v1/partnerships/"+id+":complete", `{"reason":"done"}`).must(t, http.StatusOK)

	history := partner.do("GET", "/v1/partnerships/"+id+"/history", "").must(t, http.StatusOK)
	var steps []string
	for _, tr := range list(history.body, "transitions") {
		steps = append(steps, str(tr.(map[string]any), "transition"))
	}
	if !slices.Equal(steps, []string{"submit", "approve", "activate", "complete"}) {
		t.Fatalf("history: %s", history.raw)
	}

	// Another organisation's member learns nothing, not even that the partnership exists.
	vaxjo := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Växjö kommun",
		"swedish":{"org_number":"212000-0662","municipality_code":"0780"}}`).must(t, http.StatusCreated)
	stranger := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, vaxjo.str("id"))}
	stranger.do("GET", "/v1/partnerships/"+id, "").must(t, http.StatusNotFound)
	if got := stranger.do("GET", "/v1/partnerships", "").must(t, http.StatusOK); len(list(got.body, "partnerships")) != 0 {
		t.Fatalf("a stranger listed partnerships: %s", got.raw)
	}

	// Every role reads the other services' lists through the gateway.
	for _, role := range auth.Roles() {
		org := ""
		if role.OrgScoped() {
			org = malmoID
		}
		c := client{t: t, base: s.GatewayURL, token: s.Token(t, role, org)}
		for _, path := range []string{"/v1/networks", "/v1/budgets", "/v1/reports/partnerships", "/v1/organizations"} {
			c.do("GET", path+"?page_size=10", "").must(t, http.StatusOK)
		}
	}
}
