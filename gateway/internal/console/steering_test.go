package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	partnershipID = "44444444-4444-4444-4444-444444444444"
	memberID      = "55555555-5555-5555-5555-555555555555"
	visitID       = "66666666-6666-6666-6666-666666666666"
)

// draftPartnership is GET /v1/partnerships/{id} of a draft between Malmö and Lusaka.
var draftPartnership = map[string]any{"id": partnershipID, "title": "Water for all", "state": "PARTNERSHIP_STATE_DRAFT",
	"swedishOrganizationId": malmoID, "internationalOrganizationId": lusakaID, "challenge": "Clean water",
	"coreAreas": []any{"CORE_AREA_PARTICIPATION"}, "sdgTargets": []any{"6.1"}, "etag": "7"}

// rpcRefusal is a google.rpc.Status as the gateway writes it: reason, field violations (field, description
// pairs) and broken rules.
func rpcRefusal(code int, reason, message string, fields []string, rules ...string) map[string]any {
	details := []any{map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason}}
	if len(fields) > 0 {
		var vs []any
		for i := 0; i+1 < len(fields); i += 2 {
			vs = append(vs, map[string]any{"field": fields[i], "description": fields[i+1]})
		}
		details = append(details, map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": vs})
	}
	if len(rules) > 0 {
		var vs []any
		for _, r := range rules {
			vs = append(vs, map[string]any{"description": r})
		}
		details = append(details, map[string]any{"@type": "type.googleapis.com/google.rpc.PreconditionFailure", "violations": vs})
	}
	return map[string]any{"code": code, "message": message, "details": details}
}

// partnershipAPI answers a partnership's reads as the API would, and each write with write.
func partnershipAPI(write func(r *http.Request, body string) (int, any)) *fakeAPI {
	base := "/v1/partnerships/" + partnershipID
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		if r.Method != http.MethodGet {
			return write(r, body)
		}
		switch r.URL.Path {
		case "/v1/organizations":
			return http.StatusOK, organizationsAnswer
		case base:
			return http.StatusOK, draftPartnership
		case base + "/steering-group/members":
			return http.StatusOK, map[string]any{"members": []any{map[string]any{"id": memberID, "organizationId": malmoID,
				"displayName": "Anna <Andersson>", "role": "MEMBER_ROLE_MAJORITY_POLITICIAN", "coordinator": true, "createTime": "2026-03-01T10:00:00Z"}}}
		case base + "/steering-group:check":
			return http.StatusOK, map[string]any{"passes": false, "violations": []any{
				map[string]any{"organizationId": malmoID, "party": "Malmö stad", "rule": "OPPOSITION_POLITICIAN_MISSING",
					"description": "Malmö stad has no politician from the opposition on the steering group"},
				map[string]any{"organizationId": lusakaID, "party": "Lusaka City Council", "rule": "SOMETHING_NEW",
					"description": "a rule the console does not know yet"}}}
		case base + "/visits":
			return http.StatusOK, map[string]any{"visits": []any{map[string]any{"id": visitID, "state": "VISIT_STATE_PLANNED",
				"startDate": map[string]any{"year": 2026, "month": 12, "day": 20}, "endDate": map[string]any{"year": 2026, "month": 12, "day": 22},
				"hostOrganizationId": lusakaID, "travellers": []any{map[string]any{"organizationId": malmoID, "count": 3}},
				"purpose": "Youth councils meet", "etag": "3"}}}
		case base + "/compliance":
			return http.StatusOK, map[string]any{"years": []any{map[string]any{"year": 2025, "meetings": 1, "compliant": false,
				"hosted": []any{map[string]any{"organizationId": malmoID, "party": "Malmö stad", "meetings": 1},
					map[string]any{"organizationId": lusakaID, "party": "Lusaka City Council", "meetings": 0}},
				"violations": []any{map[string]any{"rule": "MEETINGS_PER_YEAR", "description": "in 2025 the parties met once; the programme asks for at least 2 meetings a year"}}}}}
		case "/v1/programme-rules":
			return http.StatusOK, map[string]any{"visits": map[string]any{"minMeetingsPerYear": 2, "minHostedPerParty": 1}}
		}
		return http.StatusNotFound, rpcRefusal(5, "NOT_FOUND", "not found", nil)
	}}
}

func noWrites(t *testing.T) func(*http.Request, string) (int, any) {
	return func(r *http.Request, _ string) (int, any) {
		t.Errorf("unexpected %s %s", r.Method, r.URL)
		return http.StatusInternalServerError, nil
	}
}

func langCookieOf(l lang) *http.Cookie { return &http.Cookie{Name: langCookie, Value: string(l)} }

// The steering group page lists the members and says, per party and in the person's language, which rule
// the group breaks; a rule the catalogue does not know keeps the API's English words, marked as English.
func TestSteeringGroupShowsMembersAndWhichRuleFails(t *testing.T) {
	c := newTestConsole(t, partnershipAPI(noWrites(t)))
	rec := serve(c, http.MethodGet, "/console/partnerships/"+partnershipID+"/steering-group", nil, sessionCookieFor(t, c, member()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	for _, want := range []string{"<h1>Styrgrupp: Water for all</h1>", `<th scope="row">Anna &lt;Andersson&gt;</th>`,
		"<td>politiker från majoriteten</td>", `<p class="verdict fails">`,
		"<strong>Malmö stad</strong>: <span>Det finns ingen politiker från oppositionen i styrgruppen.</span>",
		`<span lang="en">a rule the console does not know yet</span>`, "<caption>",
		`action="/console/partnerships/` + partnershipID + `/steering-group/members/` + memberID + `/remove"`,
		`<option value="` + malmoID + `" selected>Malmö stad</option>`, `<option value="MEMBER_ROLE_LEADING_OFFICIAL">`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, `value="MEMBER_ROLE_OFFICIAL"`) {
		t.Error("the form offers an official, which only teams have")
	}
}

// An auditor sees the group and the check but no forms.
func TestSteeringGroupHasNoFormsForAnAuditor(t *testing.T) {
	c := newTestConsole(t, partnershipAPI(noWrites(t)))
	s := member()
	s.Role, s.Org = "auditor", ""
	body := serve(c, http.MethodGet, "/console/partnerships/"+partnershipID+"/steering-group", nil, sessionCookieFor(t, c, s)).Body.String()
	if strings.Contains(body, "/remove\"") || strings.Contains(body, `id="add-heading"`) || !strings.Contains(body, "Anna") {
		t.Errorf("an auditor's page:\n%s", body)
	}
}

// Adding a member sends the form to the API; a refusal comes back beside the input it names.
func TestAddingASteeringMemberShowsRefusalsBesideTheirInputs(t *testing.T) {
	var sent string
	api := partnershipAPI(func(r *http.Request, body string) (int, any) {
		sent = body
		return http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "invalid", []string{"member.displayName", "enter the person's name"})
	})
	c := newTestConsole(t, api)
	s := member()
	form := url.Values{"csrf": {s.CSRF}, "organizationId": {malmoID}, "displayName": {""}, "role": {"MEMBER_ROLE_LEADING_OFFICIAL"},
		"email": {"a@example.se"}, "coordinator": {"on"}, "idempotencyKey": {"k1"}}
	rec := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/steering-group/members", form, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	for _, want := range []string{`"organizationId":"` + malmoID + `"`, `"role":"MEMBER_ROLE_LEADING_OFFICIAL"`, `"coordinator":true`, `"email":"a@example.se"`} {
		if !strings.Contains(sent, want) {
			t.Errorf("the API got %s, without %s", sent, want)
		}
	}
	errAt, inputAt := strings.Index(body, `id="member.displayName-error"`), strings.Index(body, `<input id="member.displayName"`)
	if errAt < 0 || inputAt < errAt || !strings.Contains(body[errAt:inputAt], "Skriv personens namn") {
		t.Fatalf("no error beside the name:\n%s", body)
	}
	for _, want := range []string{`aria-describedby="member.displayName-error"`, `href="#member.displayName"`, "<title>Fel: Styrgrupp",
		`value="MEMBER_ROLE_LEADING_OFFICIAL" selected`, `value="a@example.se"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// Removing a member is a DELETE in the API and a 303 back to the group; a refusal is said beside the member.
func TestRemovingASteeringMember(t *testing.T) {
	var method, path string
	status := http.StatusOK
	api := partnershipAPI(func(r *http.Request, _ string) (int, any) {
		method, path = r.Method, r.URL.Path
		if status != http.StatusOK {
			return status, rpcRefusal(7, "NOT_THE_APPLICANT", "only the Swedish party's staff may change this partnership's applications and steering group", nil)
		}
		return http.StatusOK, map[string]any{}
	})
	c := newTestConsole(t, api)
	s := member()
	target := "/console/partnerships/" + partnershipID + "/steering-group/members/" + memberID + "/remove"
	rec := serve(c, http.MethodPost, target, url.Values{"csrf": {s.CSRF}}, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/partnerships/"+partnershipID+"/steering-group" {
		t.Fatalf("%d %s", rec.Code, rec.Header())
	}
	if method != http.MethodDelete || path != "/v1/partnerships/"+partnershipID+"/steering-group/members/"+memberID {
		t.Errorf("the API got %s %s", method, path)
	}
	status = http.StatusForbidden
	rec = serve(c, http.MethodPost, target, url.Values{"csrf": {s.CSRF}}, sessionCookieFor(t, c, s), langCookieOf(english))
	body := rec.Body.String()
	if rec.Code != http.StatusForbidden || !strings.Contains(body, `id="remove-`+memberID+`-error">Only the Swedish party&#39;s staff`) ||
		!strings.Contains(body, `aria-describedby="remove-`+memberID+`-error"`) {
		t.Errorf("%d:\n%s", rec.Code, body)
	}
	// Without the CSRF token nothing reaches the API.
	before := api.count()
	if rec := serve(c, http.MethodPost, target, url.Values{}, sessionCookieFor(t, c, s)); rec.Code != http.StatusForbidden || api.count() != before {
		t.Errorf("a form without its token: %d, %d calls", rec.Code, api.count()-before)
	}
}

// Another organisation's partnership (the API's 404) is the console's not-found page on every page here.
func TestPartnershipPartsTheAPIDoesNotShowAreNotFound(t *testing.T) {
	c := newTestConsole(t, refusingAPI())
	for _, path := range []string{"/steering-group", "/visits", "/edit"} {
		rec := serve(c, http.MethodGet, "/console/partnerships/"+partnershipID+path, nil, sessionCookieFor(t, c, member()))
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "<h1>Sidan finns inte</h1>") {
			t.Errorf("%s: %d", path, rec.Code)
		}
	}
}

// Every word these pages build from the API's enum values, rule codes and steps is in both languages.
func TestPartnershipPartsHaveEveryWord(t *testing.T) {
	var keys []string
	prefixed := func(prefix string, values []string) {
		for _, v := range values {
			keys = append(keys, prefix+v)
		}
	}
	prefixed("memberRole.", append(memberRoles, "MEMBER_ROLE_UNSPECIFIED"))
	prefixed("visitState.", append(visitStates, "VISIT_STATE_UNSPECIFIED"))
	prefixed("programmeRule.", append(steeringRules, complianceRules...))
	for _, inputs := range [][]string{memberInputs, visitInputs, {"visit.outcomes", "visit.cancelReason", "lifecycle.reason"}} {
		prefixed("input.", inputs)
		prefixed("field.", inputs)
	}
	prefixed("input.", editInputs)
	prefixed("field.", editInputs)
	prefixed("lifecycle.", stepOrder)
	keys = append(keys, "edit.stale", "reason.INVALID_ARGUMENT")
	if len(memberRoles) < 4 || len(visitStates) < 3 {
		t.Fatalf("enums from the proto: %v %v", memberRoles, visitStates)
	}
	for _, l := range languages {
		for _, key := range keys {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %q", l, key)
			}
		}
	}
}
