package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	teamPID   = "1a2b3c4d-0000-4000-8000-000000000001"
	teamAID   = "1a2b3c4d-0000-4000-8000-000000000002"
	teamSweID = "1a2b3c4d-0000-4000-8000-00000000000a"
	teamIntID = "1a2b3c4d-0000-4000-8000-00000000000b"
)

// teamAPI answers the team page's reads (one official of the Swedish party, a check that fails for the
// international party) and each PUT with put.
func teamAPI(put func(body string) (int, any)) *fakeAPI {
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		base := "/v1/partnerships/" + teamPID
		switch {
		case r.Method == http.MethodPut && r.URL.Path == base+"/applications/"+teamAID+"/team":
			return put(body)
		case r.URL.Path == base+"/applications/"+teamAID+"/team:check":
			return http.StatusOK, map[string]any{"members": []any{map[string]any{"organizationId": teamSweID, "displayName": "Anna Berg",
				"role": "MEMBER_ROLE_OFFICIAL", "projectManager": true}},
				"check": map[string]any{"passes": false, "violations": []any{map[string]any{"organizationId": teamIntID,
					"rule": "OFFICIALS", "description": "Lusaka City Council has 0 officials in the team; it needs 2 to 4"}}}}
		case r.URL.Path == base+"/applications/"+teamAID:
			return http.StatusOK, map[string]any{"id": teamAID, "partnershipId": teamPID, "kind": "APPLICATION_KIND_PROJECT",
				"state": "APPLICATION_STATE_DRAFT"}
		case r.URL.Path == base:
			return http.StatusOK, map[string]any{"id": teamPID, "title": "Water", "swedishOrganizationId": teamSweID,
				"internationalOrganizationId": teamIntID}
		case r.URL.Path == "/v1/organizations":
			return http.StatusOK, map[string]any{"organizations": []any{map[string]any{"id": teamSweID, "displayName": "Malmö stad"},
				map[string]any{"id": teamIntID, "displayName": "Lusaka City Council"}}}
		}
		return http.StatusNotFound, rpcRefusal(5, "NOT_FOUND", "not found", nil)
	}}
}

// The page shows the team with one empty row, the check in words per party, and is linked from the
// application's page.
func TestApplicationTeamShowsTheMembersAndTheCheck(t *testing.T) {
	c := newTestConsole(t, teamAPI(nil))
	ck := sessionCookieFor(t, c, orgSession("member"))
	page := serve(c, http.MethodGet, "/console/partnerships/"+teamPID+"/applications/"+teamAID+"/team", nil, ck).Body.String()
	mustContain(t, page, `value="Anna Berg"`, `name="members[0].projectManager" type="checkbox" value="true" checked`,
		`name="members[1].displayName" type="text" maxlength="200" value=""`, `name="rows" value="2"`,
		"Nej. Det här stämmer inte ännu:", "<strong>Lusaka City Council:</strong>", "för få eller för många tjänstepersoner", "(Lusaka City Council has 0 officials in the team; it needs 2 to 4)")
	app := serve(c, http.MethodGet, "/console/partnerships/"+teamPID+"/applications/"+teamAID, nil, ck).Body.String()
	mustContain(t, app, `href="/console/partnerships/`+teamPID+`/applications/`+teamAID+`/team"`)
}

// "More rows" sends nothing and adds a row; saving sends the whole team without the empty rows, and a
// refusal of members[1] stands beside the row it was typed in (the third, after an empty one).
func TestApplicationTeamSendsTheWholeTeamAndShowsRefusalsBesideTheRow(t *testing.T) {
	api := teamAPI(func(string) (int, any) {
		return http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "invalid team", []string{"members[1].organization_id", "not a party to the partnership"})
	})
	c := newTestConsole(t, api)
	s := orgSession("member")
	ck := sessionCookieFor(t, c, s)
	path := "/console/partnerships/" + teamPID + "/applications/" + teamAID + "/team"
	form := url.Values{"csrf": {s.CSRF}, "rows": {"3"},
		"members[0].organizationId": {teamSweID}, "members[0].displayName": {"Anna Berg"}, "members[0].role": {"MEMBER_ROLE_OFFICIAL"}, "members[0].projectManager": {"true"},
		"members[1].organizationId": {teamIntID},
		"members[2].organizationId": {teamIntID}, "members[2].displayName": {"Mwila Banda"}, "members[2].role": {"MEMBER_ROLE_OFFICIAL"}, "members[2].email": {"m@lusaka.example"}}
	more := url.Values{"more": {"1"}}
	for k, v := range form {
		more[k] = v
	}
	rec := serve(c, http.MethodPost, path, more, ck)
	mustContain(t, rec.Body.String(), `name="rows" value="4"`, `value="Mwila Banda"`)
	if len(writes(api)) != 0 {
		t.Fatalf("more rows sent %q", writes(api))
	}
	rec = serve(c, http.MethodPost, path, form, ck)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	want := `PUT /v1/partnerships/` + teamPID + `/applications/` + teamAID + `/team {"members":[` +
		`{"displayName":"Anna Berg","organizationId":"` + teamSweID + `","projectManager":true,"role":"MEMBER_ROLE_OFFICIAL"},` +
		`{"displayName":"Mwila Banda","email":"m@lusaka.example","organizationId":"` + teamIntID + `","projectManager":false,"role":"MEMBER_ROLE_OFFICIAL"}]}`
	if got := writes(api); len(got) != 1 || got[0] != want {
		t.Errorf("sent %q", got)
	}
	body := rec.Body.String()
	mustContain(t, body, `id="members[2].organizationId-error">Välj en av partnerskapets parter.`,
		`aria-describedby="members[2].organizationId-error"`, `<a href="#members%5b2%5d.organizationId">Rad 3</a>`)
	if strings.Contains(body, `members[1].organizationId-error`) {
		t.Errorf("the refusal stands beside the empty row")
	}
}

// Every role and field sentence the team page can show has words in both languages.
func TestApplicationTeamCatalogueIsComplete(t *testing.T) {
	var keys []string
	for _, role := range teamRoles {
		keys = append(keys, "memberRole."+role)
	}
	for _, rule := range teamRules {
		keys = append(keys, "programmeRule."+rule)
	}
	for _, field := range teamFields {
		keys = append(keys, "team.field."+field)
	}
	for _, l := range languages {
		for _, key := range keys {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %q", l, key)
			}
		}
	}
}
