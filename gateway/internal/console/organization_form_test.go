package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const orgFormID = "0f5e6a2c-9d1b-4e3f-8a7c-2b4d6e8f0a1c"

func orgSession(role string) *session {
	s := newSession(time.Hour)
	s.Token, s.Role = "header.payload.signature", role
	return s
}

// orgFormAPI answers the list and the organisation (Malmö, at etag "3") and each write with write.
func orgFormAPI(write func(r *http.Request) (int, any)) *fakeAPI {
	return &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		switch {
		case r.Method != http.MethodGet:
			return write(r)
		case r.URL.Path == "/v1/organizations":
			return http.StatusOK, map[string]any{"organizations": []any{map[string]any{"id": orgFormID, "displayName": "Malmö stad",
				"kind": "ORGANIZATION_KIND_MUNICIPALITY"}}}
		default:
			return http.StatusOK, map[string]any{"id": orgFormID, "displayName": "Malmö stad", "kind": "ORGANIZATION_KIND_MUNICIPALITY",
				"etag": "3", "swedish": map[string]any{"orgNumber": "212000-1124", "municipalityCode": "1280", "countyCode": "12"}}
		}
	}}
}

// Admins are offered "New organisation" and "Change"; members are not (the API would refuse them anyway).
func TestOrganizationFormLinksAreForAdmins(t *testing.T) {
	for role, want := range map[string]bool{"admin": true, "member": false, "coordinator": false} {
		c := newTestConsole(t, orgFormAPI(nil))
		ck := sessionCookieFor(t, c, orgSession(role))
		list := serve(c, http.MethodGet, "/console/organizations", nil, ck).Body.String()
		page := serve(c, http.MethodGet, "/console/organizations/"+orgFormID, nil, ck).Body.String()
		if got := contains(list, `href="/console/organizations/new"`); got != want {
			t.Errorf("%s: new link %v", role, got)
		}
		if got := contains(page, `href="/console/organizations/`+orgFormID+`/edit"`); got != want {
			t.Errorf("%s: change link %v", role, got)
		}
	}
}

// Creating sends the kind, the name and only the chosen kind's details; the API's snake_case field path
// puts its refusal beside the organisation number's input.
func TestOrganizationCreateSendsTheKindsDetailsAndShowsRefusalsBeside(t *testing.T) {
	refuse := true
	api := orgFormAPI(func(r *http.Request) (int, any) {
		if refuse {
			return http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "invalid organisation",
				[]string{"organization.swedish.org_number", "the check digit is wrong"})
		}
		return http.StatusOK, map[string]any{"id": orgFormID}
	})
	c := newTestConsole(t, api)
	s := orgSession("admin")
	ck := sessionCookieFor(t, c, s)
	form := url.Values{"csrf": {s.CSRF}, "organization.kind": {"ORGANIZATION_KIND_MUNICIPALITY"}, "organization.displayName": {"Ystads kommun"},
		"organization.swedish.orgNumber": {"212000-0000"}, "organization.swedish.municipalityCode": {"1286"},
		"organization.international.countryCode": {"zm"}}
	rec := serve(c, http.MethodPost, "/console/organizations/new", form, ck)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	mustContain(t, rec.Body.String(), `id="organization.swedish.orgNumber-error">Skriv ett giltigt organisationsnummer`,
		`aria-describedby="organization.swedish.orgNumber-hint organization.swedish.orgNumber-error"`,
		`<a href="#organization.swedish.orgNumber">Organisationsnummer</a>`, `value="212000-0000"`,
		`<option value="ORGANIZATION_KIND_MUNICIPALITY" selected>`)
	want := `POST /v1/organizations {"displayName":"Ystads kommun","kind":"ORGANIZATION_KIND_MUNICIPALITY","swedish":{"countyCode":"","municipalityCode":"1286","orgNumber":"212000-0000"}}`
	if got := writes(api); len(got) != 1 || got[0] != want {
		t.Errorf("sent %q", got)
	}
	refuse = false
	form = url.Values{"csrf": {s.CSRF}, "organization.kind": {"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT"}, "organization.displayName": {"Lusaka"},
		"organization.swedish.orgNumber": {"212000-1124"}, "organization.international.countryCode": {"zm"},
		"organization.international.governmentKind": {"city council"}}
	rec = serve(c, http.MethodPost, "/console/organizations/new", form, ck)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/organizations/"+orgFormID {
		t.Errorf("after creating: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	want = `POST /v1/organizations {"displayName":"Lusaka","international":{"countryCode":"ZM","governmentKind":"city council"},"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT"}`
	if got := writes(api); len(got) != 2 || got[1] != want {
		t.Errorf("sent %q", got)
	}
}

// A change sends only what changed, under the update mask, with the form's etag; a stale etag is said with
// the organisation as it now is, and the form then carries the current etag.
func TestOrganizationEditSendsTheChangesAndExplainsAStaleEtag(t *testing.T) {
	api := orgFormAPI(func(r *http.Request) (int, any) {
		return http.StatusConflict, rpcRefusal(10, "ETAG_MISMATCH", "the organisation changed", nil)
	})
	c := newTestConsole(t, api)
	s := orgSession("admin")
	ck := sessionCookieFor(t, c, s)
	edit := serve(c, http.MethodGet, "/console/organizations/"+orgFormID+"/edit", nil, ck).Body.String()
	mustContain(t, edit, `name="etag" value="3"`, `value="212000-1124"`)
	form := url.Values{"csrf": {s.CSRF}, "etag": {"2"}, "organization.displayName": {"Malmö kommun"},
		"organization.swedish.orgNumber": {"212000-1124"}, "organization.swedish.municipalityCode": {"1280"}, "organization.swedish.countyCode": {"12"}}
	rec := serve(c, http.MethodPost, "/console/organizations/"+orgFormID+"/edit", form, ck)
	if rec.Code != http.StatusConflict {
		t.Fatalf("status %d", rec.Code)
	}
	want := `PATCH /v1/organizations/` + orgFormID + `?update_mask=display_name {"displayName":"Malmö kommun","etag":"2"}`
	if got := writes(api); len(got) != 1 || got[0] != want {
		t.Errorf("sent %q", got)
	}
	mustContain(t, rec.Body.String(), "Någon annan har ändrat organisationen", "Så här ser organisationen ut nu", `name="etag" value="3"`, `value="Malmö kommun"`)
	form.Set("organization.displayName", "Malmö stad")
	rec = serve(c, http.MethodPost, "/console/organizations/"+orgFormID+"/edit", form, ck)
	if rec.Code != http.StatusSeeOther || len(writes(api)) != 1 {
		t.Errorf("nothing changed, yet: %d %q", rec.Code, writes(api))
	}
}

// A member who sends the form anyway sees the API's refusal above it.
func TestOrganizationCreateShowsAMembersRefusal(t *testing.T) {
	api := orgFormAPI(func(r *http.Request) (int, any) {
		return http.StatusForbidden, rpcRefusal(7, "ROLE_NOT_ALLOWED", "the role member may not call CreateOrganization", nil)
	})
	c := newTestConsole(t, api)
	s := orgSession("member")
	form := url.Values{"csrf": {s.CSRF}, "organization.kind": {"ORGANIZATION_KIND_REGION"}, "organization.displayName": {"Region Skåne"}}
	rec := serve(c, http.MethodPost, "/console/organizations/new", form, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d", rec.Code)
	}
	mustContain(t, rec.Body.String(), "Du har inte behörighet att registrera eller ändra organisationer")
}

// Every input, field sentence and reason the organisation form can show has words in both languages.
func TestOrganizationFormCatalogueIsComplete(t *testing.T) {
	var keys []string
	for _, input := range orgInputs {
		keys = append(keys, "input."+input, "orgForm.field."+input)
	}
	for _, reason := range orgReasons {
		keys = append(keys, "orgReason."+reason)
	}
	for _, kind := range organizationKinds {
		keys = append(keys, "orgKind."+kind)
	}
	for _, l := range languages {
		for _, key := range keys {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %q", l, key)
			}
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
