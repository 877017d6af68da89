package console

import (
	"net/http"
	"strings"
	"testing"
)

const (
	networkID      = "55555555-5555-5555-5555-555555555555"
	jinjaMemberID  = "66666666-6666-6666-6666-666666666666"
	lusakaMemberID = "77777777-7777-7777-7777-777777777777"
)

// networkAPI answers a network of two members: the network service's cohort knows Jinja and Lusaka, the
// reporting service Jinja only (its read model lags); reportStatus is the reporting service's answer.
func networkAPI(reportStatus int) *fakeAPI {
	return &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		switch r.URL.Path {
		case "/v1/networks":
			return http.StatusOK, map[string]any{"networks": []any{map[string]any{"id": networkID, "displayName": "Equitable health, East Africa",
				"theme": "equitable health", "cluster": "CLUSTER_EAST_AFRICA", "state": "NETWORK_STATE_RECRUITING",
				"cohortStart": map[string]any{"year": 2026, "month": 1, "day": 15}}}, "nextPageToken": "tok"}
		case "/v1/networks/" + networkID:
			return http.StatusOK, map[string]any{"id": networkID, "displayName": "Equitable health, East Africa", "theme": "equitable health",
				"cluster": "CLUSTER_EAST_AFRICA", "state": "NETWORK_STATE_RUNNING", "durationMonths": 48,
				"experts": []any{map[string]any{"name": "B. Expert", "field": "public health", "organization": "Karolinska"}}}
		case "/v1/networks/" + networkID + "/memberships":
			return http.StatusOK, map[string]any{"memberships": []any{map[string]any{"partnershipId": jinjaMemberID,
				"joined":      map[string]any{"year": 2026, "month": 2, "day": 1},
				"partnership": map[string]any{"title": "Health in Jinja", "state": "PARTNERSHIP_STATE_ACTIVE", "internationalParty": "Jinja City"}}}}
		case "/v1/networks/" + networkID + "/activities":
			return http.StatusOK, map[string]any{"activities": []any{map[string]any{"id": "a1", "kind": "ACTIVITY_KIND_JOINT_TRAINING",
				"title": "Health equity training", "participations": []any{map[string]any{"partnershipId": jinjaMemberID, "participants": 6},
					map[string]any{"partnershipId": lusakaMemberID, "participants": 3}}}}}
		case "/v1/networks/" + networkID + "/cohort":
			return http.StatusOK, map[string]any{"rows": []any{
				map[string]any{"partnershipId": jinjaMemberID, "title": "Health in Jinja", "state": "PARTNERSHIP_STATE_ACTIVE", "monthsSinceStart": 7,
					"visitsThisYear": 2, "steeringGroupBalanced": true},
				map[string]any{"partnershipId": lusakaMemberID, "title": "Health in Lusaka", "lagging": true, "missing": []any{"visits", "steering_group"}}}}
		case "/v1/reports/networks/" + networkID:
			if reportStatus != http.StatusOK {
				return reportStatus, map[string]any{"code": 14, "message": "reporting is down"}
			}
			return http.StatusOK, map[string]any{"asOfTime": "2026-12-01T10:00:00Z", "rows": []any{map[string]any{"partnershipId": jinjaMemberID,
				"countryCode": "ug", "compliantThisYear": true, "budgeted": map[string]any{"currencyCode": "SEK", "amountMinor": "15000000"},
				"approved": map[string]any{"currencyCode": "SEK", "amountMinor": "1250000"}, "paid": map[string]any{"currencyCode": "SEK"}}}}
		}
		return http.StatusNotFound, map[string]any{"code": 5, "message": "not found"}
	}}
}

// The list shows each network with its words and the next page's address.
func TestNetworksList(t *testing.T) {
	c := newTestConsole(t, networkAPI(http.StatusOK))
	rec := serve(c, http.MethodGet, "/console/networks?page=abc", nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	for _, want := range []string{`<a href="/console/networks/` + networkID + `">Equitable health, East Africa</a>`, "<td>Östafrika</td>",
		"<td>tar emot partnerskap</td>", "<td>2026-01-15</td>", `href="/console/networks?page=tok"`, "<caption>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the list lacks %s:\n%s", want, body)
		}
	}
	if q := c.api.h.(*fakeAPI).calls[0].URL.Query(); q.Get("page_token") != "abc" || q.Get("page_size") != listPageSize {
		t.Errorf("the API was asked %v", q)
	}
}

// The network page lines the members up side by side: a column per partnership, linked to it, with the
// network service's figures and the reporting service's money; a cell neither gave shows "–".
func TestNetworkPageShowsTheCohortSideBySide(t *testing.T) {
	c := newTestConsole(t, networkAPI(http.StatusOK))
	rec := serve(c, http.MethodGet, "/console/networks/"+networkID, nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	for _, want := range []string{"<h1>Equitable health, East Africa</h1>", "<strong>pågår</strong>", "48 månader", "B. Expert, public health (Karolinska)",
		`<th scope="col"><a href="/console/partnerships/` + jinjaMemberID + `">Health in Jinja</a></th><th scope="col"><a href="/console/partnerships/` + lusakaMemberID + `">Health in Lusaka</a></th>`,
		`<tr><th scope="row">Månader sedan start</th><td>7</td><td>0</td></tr>`,
		`<tr><th scope="row">Ligger efter</th><td>nej</td><td>ja</td></tr>`,
		`<tr><th scope="row">Uppgifter som saknas</th><td>–</td><td>besök, styrgrupp</td></tr>`,
		`<tr><th scope="row">Land</th><td>UG</td><td>–</td></tr>`,
		"<tr><th scope=\"row\">Budget</th><td>150\u00a0000,00\u00a0kr</td><td>–</td></tr>",
		"<tr><th scope=\"row\">Utbetalt</th><td>0,00\u00a0kr</td><td>–</td></tr>",
		"läget 2026-12-01", `role="region" aria-labelledby="cohort-caption" tabindex="0"`,
		"<td>gemensam utbildning</td>", `<td class="amount">9</td>`, "Jinja City", "<td>2026-02-01</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s:\n%s", want, body)
		}
	}
}

// When the reporting service does not answer, the cohort still shows what the network service knows and
// the page says money is missing; a network the API does not show is the console's not-found page.
func TestNetworkPageWithoutTheReport(t *testing.T) {
	c := newTestConsole(t, networkAPI(http.StatusServiceUnavailable))
	rec := serve(c, http.MethodGet, "/console/networks/"+networkID, nil, sessionCookieFor(t, c, member()), &http.Cookie{Name: langCookie, Value: "en"})
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "The reporting service is not answering") || strings.Contains(body, "Budgeted") ||
		!strings.Contains(body, `<tr><th scope="row">Lagging</th><td>no</td><td>yes</td></tr>`) {
		t.Errorf("status %d:\n%s", rec.Code, body)
	}
	rec = serve(c, http.MethodGet, "/console/networks/88888888-8888-8888-8888-888888888888", nil, sessionCookieFor(t, c, member()))
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "<h1>Sidan finns inte</h1>") {
		t.Errorf("an unknown network: %d\n%s", rec.Code, rec.Body.String())
	}
}

// Every value of the enums the programme pages show has words in both languages.
func TestProgrammeCatalogueHasEveryEnumValue(t *testing.T) {
	var keys []string
	for _, v := range networkStates {
		keys = append(keys, "networkState."+v)
	}
	for _, v := range activityKinds {
		keys = append(keys, "activityKind."+v)
	}
	for _, v := range cohortMissingParts {
		keys = append(keys, "cohort.missing."+v)
	}
	if len(networkStates) < 5 || len(activityKinds) < 5 {
		t.Fatalf("enums from the proto: %v %v", networkStates, activityKinds)
	}
	for _, l := range languages {
		for _, key := range keys {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %q", l, key)
			}
		}
	}
}

// A network the report's read model has not seen yet (404 there, moments after it was made) shows the
// money rows empty, not a service that does not answer.
func TestNetworkPageBeforeTheReportHasIt(t *testing.T) {
	c := newTestConsole(t, networkAPI(http.StatusNotFound))
	rec := serve(c, http.MethodGet, "/console/networks/"+networkID, nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || strings.Contains(body, "Rapporttjänsten svarar inte") ||
		!strings.Contains(body, `<tr><th scope="row">Budget</th><td>–</td><td>–</td></tr>`) {
		t.Errorf("status %d:\n%s", rec.Code, body)
	}
}
