package e2e

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	// Registers the audit API's descriptors, so the route tests cover GET /v1/audit-log too.
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// TestAuditLogThroughTheGateway makes changes in two services through REST, each with a request id of its
// own, and reads them back from the gateway's merged GET /v1/audit-log as an auditor: by request id, by
// resource, by actor, by time, one service at a time and page by page. Members and partners see none of it,
// and a service that is down makes the merged log answer 503 naming it rather than leave a hole.
func TestAuditLogThroughTheGateway(t *testing.T) {
	s := startSuite(t)
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	auditor := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAuditor, "")}
	start := time.Now().UTC().Add(-time.Second)

	org := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_REGION","display_name":"Region Stockholm",
		"swedish":{"org_number":"2321000016","county_code":"01"}}`, "X-Request-Id", "audit-e2e-org").must(t, http.StatusCreated).str("id")
	network := admin.do("POST", "/v1/networks", `{"display_name":"Equitable health, East Africa","theme":"equitable health",
		"cluster":"CLUSTER_EAST_AFRICA","cohort_start":`+today().json()+`,"coordinator":"e2e-coordinator"}`,
		"X-Request-Id", "audit-e2e-network").must(t, http.StatusCreated).str("id")
	admin.do("POST", "/v1/networks/"+network+":open", `{}`, "X-Request-Id", "audit-e2e-open").must(t, http.StatusOK)

	read := func(c client, query url.Values) reply {
		t.Helper()
		return c.do("GET", "/v1/audit-log?"+query.Encode(), "")
	}
	records := func(r reply) []map[string]any {
		var out []map[string]any
		for _, v := range list(r.body, "audit_records") {
			out = append(out, v.(map[string]any))
		}
		return out
	}

	// By request id: exactly the change that request made, as the service recorded it.
	got := records(read(auditor, url.Values{"request_id": {"audit-e2e-org"}}).must(t, http.StatusOK))
	if len(got) != 1 || str(got[0], "service") != "partnership" || str(got[0], "action") != "create" ||
		str(got[0], "resource_kind") != "organization" || str(got[0], "resource_id") != org ||
		str(got[0], "actor") != "e2e-admin" || str(got[0], "actor_role") != "admin" || str(got[0], "request_id") != "audit-e2e-org" {
		t.Fatalf("the organisation's creation: %v", got)
	}

	// By resource: the network's creation and opening, in order, from the network service.
	got = records(read(auditor, url.Values{"resource_id": {network}}).must(t, http.StatusOK))
	if len(got) != 2 || str(got[0], "action") != "create" || str(got[1], "action") != "open" ||
		str(got[0], "service") != "network" || str(got[1], "request_id") != "audit-e2e-open" {
		t.Fatalf("the network's history: %v", got)
	}

	// The merged log, page by page: every change once, oldest first, each service's own among them.
	var all []string
	query := url.Values{"actor": {"e2e-admin"}, "start_time": {start.Format(time.RFC3339Nano)}, "page_size": {"1"}}
	for page := 0; ; page++ {
		if page > 10 {
			t.Fatal("the pages never end")
		}
		r := read(auditor, query).must(t, http.StatusOK)
		for _, rec := range records(r) {
			all = append(all, str(rec, "service")+" "+str(rec, "action")+" "+str(rec, "resource_id"))
		}
		next := r.str("next_page_token")
		if next == "" {
			break
		}
		query.Set("page_token", next)
	}
	want := []string{"partnership create " + org, "network create " + network, "network open " + network}
	if !slices.Equal(all, want) {
		t.Fatalf("the merged log page by page: %v, want %v", all, want)
	}

	// One service's log only, and a time range that holds nothing.
	if got := records(read(auditor, url.Values{"service": {"partnership"}, "actor": {"e2e-admin"}}).must(t, http.StatusOK)); len(got) != 1 {
		t.Fatalf("the partnership service's log: %v", got)
	}
	later := time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
	if got := records(read(auditor, url.Values{"start_time": {later}}).must(t, http.StatusOK)); len(got) != 0 {
		t.Fatalf("changes from the future: %v", got)
	}

	// Staff read it too; members and partners are refused by the services, whatever they ask.
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	read(coordinator, url.Values{"request_id": {"audit-e2e-org"}}).must(t, http.StatusOK)
	for _, c := range []client{
		{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, org)},
		{t: t, base: s.GatewayURL, token: s.Token(t, auth.RolePartner, org)},
	} {
		for _, q := range []url.Values{{}, {"resource_id": {org}}, {"service": {"partnership"}}} {
			if r := read(c, q).must(t, http.StatusForbidden); strings.Contains(r.raw, org) {
				t.Fatalf("a refusal showed the log: %s", r.raw)
			}
		}
	}

	// Bad input names the field; a page token is bound to its filters.
	if r := read(auditor, url.Values{"resource_id": {"nope"}}).must(t, http.StatusBadRequest); !slices.Contains(r.fields(), "resource_id") {
		t.Fatalf("a bad resource id: %s", r.raw)
	}
	if r := read(auditor, url.Values{"page_token": {"forged"}}).must(t, http.StatusBadRequest); !slices.Contains(r.fields(), "page_token") {
		t.Fatalf("a forged page token: %s", r.raw)
	}
	first := read(auditor, url.Values{"page_size": {"1"}}).must(t, http.StatusOK)
	if r := read(auditor, url.Values{"page_size": {"1"}, "actor": {"someone"}, "page_token": {first.str("next_page_token")}}).must(t, http.StatusBadRequest); !slices.Contains(r.fields(), "page_token") {
		t.Fatalf("a page token with other filters: %s", r.raw)
	}

	// A service down: the merged log refuses to answer with a hole in it; another service's own log still reads.
	s.Stop(t, "finance")
	down := read(auditor, url.Values{}).must(t, http.StatusServiceUnavailable)
	if !strings.Contains(down.str("message"), "finance service") || down.reason() != "SERVICE_UNAVAILABLE" {
		t.Fatalf("the merged log with the finance service down: %s", down.raw)
	}
	read(auditor, url.Values{"service": {"network"}, "resource_id": {network}}).must(t, http.StatusOK)
}
