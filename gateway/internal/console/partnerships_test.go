package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	malmoID  = "11111111-1111-1111-1111-111111111111"
	lusakaID = "22222222-2222-2222-2222-222222222222"
)

// organizationsAnswer is GET /v1/organizations with one Swedish and one international organisation.
var organizationsAnswer = map[string]any{"organizations": []any{
	map[string]any{"id": malmoID, "kind": "ORGANIZATION_KIND_MUNICIPALITY", "displayName": "Malmö stad"},
	map[string]any{"id": lusakaID, "kind": "ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT", "displayName": "Lusaka City Council",
		"international": map[string]any{"countryCode": "ZM"}},
}}

// badSDGTarget is the gateway's refusal of a create with an unknown SDG target, as the REST client wrote it.
var badSDGTarget = map[string]any{"code": 3, "message": `invalid input: partnership.sdgTargets[0]: "99.9" is not an SDG target`,
	"details": []any{
		map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_ARGUMENT", "domain": "partnerskap"},
		map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": []any{
			map[string]any{"field": "partnership.sdgTargets[0]", "description": `"99.9" is not an SDG target; use the UN code of a target, e.g. 16.7`},
			map[string]any{"field": "partnership.colour", "description": "unknown field"},
		}},
	}}

func refusingAPI() *fakeAPI {
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		switch {
		case r.URL.Path == "/v1/organizations":
			return http.StatusOK, organizationsAnswer
		case r.Method == http.MethodPost && r.URL.Path == "/v1/partnerships":
			return http.StatusBadRequest, badSDGTarget
		}
		return http.StatusNotFound, map[string]any{"code": 5, "message": "not found"}
	}}
}

// A refused form comes back as it was filled in, each problem beside its input and linked to it.
func TestCreateFormShowsFieldErrorsBesideTheirInputs(t *testing.T) {
	for _, tc := range []struct {
		lang lang
		want string
	}{
		{swedish, "Ange högst 20 olika delmål"},
		{english, `&#34;99.9&#34; is not an SDG target`},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			api := refusingAPI()
			c := newTestConsole(t, api)
			s := member()
			form := url.Values{"csrf": {s.CSRF}, "title": {"Water <for> all"}, "swedishOrganizationId": {malmoID},
				"internationalOrganizationId": {lusakaID}, "coreAreas": {"CORE_AREA_PARTICIPATION"}, "sdgTargets": {"99.9"}, "idempotencyKey": {"key-1"}}
			rec := serve(c, http.MethodPost, "/console/partnerships", form, sessionCookieFor(t, c, s), &http.Cookie{Name: langCookie, Value: string(tc.lang)})
			body := rec.Body.String()
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400:\n%s", rec.Code, body)
			}
			errAt := strings.Index(body, `id="sdgTargets-error"`)
			inputAt := strings.Index(body, `<input id="sdgTargets"`)
			if errAt < 0 || inputAt < errAt || !strings.Contains(body[errAt:inputAt], tc.want) {
				t.Fatalf("no error %q beside the SDG input:\n%s", tc.want, body)
			}
			for _, want := range []string{`aria-describedby="sdgTargets-hint sdgTargets-error"`, `aria-invalid="true"`,
				`value="Water &lt;for&gt; all"`, `value="99.9"`, `<option value="` + lusakaID + `" selected>`,
				`value="CORE_AREA_PARTICIPATION" checked`, `href="#sdgTargets"`, "unknown field"} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			if strings.Contains(body, `value="key-1"`) {
				t.Error("the form came back with the key it was sent with; the corrected form is another request")
			}
			post := -1
			for i, call := range api.calls {
				if call.Method == http.MethodPost {
					post = i
				}
			}
			if post < 0 {
				t.Fatal("nothing was posted to the API")
			}
			if got := api.bodies[post]; !strings.Contains(got, `"sdgTargets":["99.9"]`) || !strings.Contains(got, `"title":"Water \u003cfor\u003e all"`) {
				t.Errorf("API got %s", got)
			}
			if h := api.calls[post].Header; h.Get("Authorization") != "Bearer "+s.Token || h.Get("Idempotency-Key") != "key-1" {
				t.Errorf("API call headers %v", h)
			}
		})
	}
}

// The list passes its filters and page token to the API and links to the next page.
func TestListPassesFiltersAndPages(t *testing.T) {
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		if r.URL.Path == "/v1/organizations" {
			return http.StatusOK, organizationsAnswer
		}
		return http.StatusOK, map[string]any{"nextPageToken": "tok/2", "partnerships": []any{map[string]any{
			"id": "p1", "title": "Water", "state": "PARTNERSHIP_STATE_DRAFT", "swedishOrganizationId": malmoID, "internationalOrganizationId": lusakaID}}}
	}}
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/partnerships?state=PARTNERSHIP_STATE_DRAFT&organization="+malmoID+"&page=tok/1", nil,
		sessionCookieFor(t, c, member()), &http.Cookie{Name: langCookie, Value: "en"})
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	q := api.calls[0].URL.Query()
	if api.calls[0].URL.Path != "/v1/partnerships" || q.Get("state") != "PARTNERSHIP_STATE_DRAFT" || q.Get("organization_id") != malmoID || q.Get("page_token") != "tok/1" {
		t.Errorf("API asked %s", api.calls[0].URL)
	}
	for _, want := range []string{`<a href="/console/partnerships/p1">Water</a>`, "<td>draft</td>", "Lusaka City Council (ZM)",
		`page=tok%2F2`, `value="PARTNERSHIP_STATE_DRAFT" selected`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s:\n%s", want, body)
		}
	}
}

// What the API does not find, or does not show this person, is the console's not-found page.
func TestPartnershipTheAPIDoesNotShowIsNotFound(t *testing.T) {
	c := newTestConsole(t, refusingAPI())
	rec := serve(c, http.MethodGet, "/console/partnerships/33333333-3333-3333-3333-333333333333", nil, sessionCookieFor(t, c, member()))
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "<h1>Sidan finns inte</h1>") {
		t.Errorf("%d:\n%s", rec.Code, rec.Body)
	}
}

// Development sign-in signs a token for the chosen role and organisation and starts a new session.
func TestDevelopmentSignIn(t *testing.T) {
	api := refusingAPI()
	c := newTestConsole(t, api)
	anon := newSession(anonymousTTL)
	ck := sessionCookieFor(t, c, anon)
	rec := serve(c, http.MethodPost, "/console/sign-in", url.Values{"csrf": {anon.CSRF}, "role": {"member"}}, ck)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `id="org-error"`) {
		t.Fatalf("a member without an organisation: %d\n%s", rec.Code, rec.Body)
	}
	rec = serve(c, http.MethodPost, "/console/sign-in", url.Values{"csrf": {anon.CSRF}, "role": {"member"}, "org": {malmoID}}, ck)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/" {
		t.Fatalf("sign-in: %d %s", rec.Code, rec.Body)
	}
	var signedIn *http.Cookie
	for _, k := range rec.Result().Cookies() {
		if k.Name == sessionCookie {
			signedIn = k
		}
	}
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(signedIn)
	s := c.readSession(r)
	if !s.signedIn() || s.Role != "member" || s.Org != malmoID || s.OrgName != "Malmö stad" || s.CSRF == anon.CSRF {
		t.Fatalf("session %+v", s)
	}
	if strings.Count(s.Token, ".") != 2 {
		t.Errorf("token %q is not a JWT", s.Token)
	}
}

// Without development mode there is no sign-in page yet (OIDC is still to come), and no token is signed.
func TestNoDevelopmentSignInOutsideDevelopment(t *testing.T) {
	c, err := New(Config{API: &fakeAPI{}})
	if err != nil {
		t.Fatal(err)
	}
	if rec := serve(c, http.MethodGet, "/console/sign-in", nil); rec.Code != http.StatusNotImplemented {
		t.Errorf("sign-in page: %d", rec.Code)
	}
}

// Several violations of one input make one message beside it; Swedish keeps the API's words as detail.
func TestRefusalOfOneInputTwiceIsOneMessage(t *testing.T) {
	e := &apiError{HTTPStatus: 400, Reason: "INVALID_ARGUMENT", Fields: []fieldViolation{
		{Field: "partnership.sdgTargets[0]", Description: `"99.9" is not an SDG target`},
		{Field: "partnership.sdgTargets[2]", Description: `target 16.7 is already listed at position 1`},
		{Field: "partnership.title", Description: "enter the title"},
	}}
	byInput, general := newPartnershipRefusal.place(swedish, e)
	sdg := byInput["sdgTargets"]
	if sdg == nil || sdg.Lang != swedish || strings.Count(sdg.Text, "delmål med FN:s kod") != 1 ||
		sdg.Detail != `"99.9" is not an SDG target; target 16.7 is already listed at position 1` {
		t.Errorf("sdgTargets: %+v", sdg)
	}
	if byInput["title"] == nil || len(general) != 1 || general[0].Text != messages[swedish]["reason.INVALID_ARGUMENT"] {
		t.Errorf("title %+v, above the form %+v", byInput["title"], general)
	}
	byInput, _ = newPartnershipRefusal.place(english, e)
	if got := byInput["sdgTargets"]; got.Lang != english || got.Detail != "" || !strings.Contains(got.Text, "already listed") {
		t.Errorf("in English: %+v", got)
	}
}

// A list the API refuses (a forged page token) is a problem page that says the request was not accepted,
// with the API's own words.
func TestRefusedListIsAProblemPage(t *testing.T) {
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		return http.StatusBadRequest, map[string]any{"code": 3, "message": "invalid input: page_token: the page token is not valid",
			"details": []any{map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_ARGUMENT"}}}
	}}
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/partnerships?page=forged", nil, sessionCookieFor(t, c, member()))
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest || !strings.Contains(body, "Uppgifterna kunde inte tas emot.") ||
		!strings.Contains(body, `<span class="detail" lang="en">(invalid input: page_token: the page token is not valid)</span>`) {
		t.Errorf("%d:\n%s", rec.Code, body)
	}
}

// A refusal about one input that carries no field violation (a member naming another organisation as the
// Swedish party) is shown beside that input too.
func TestReasonAboutOneInputIsShownBesideIt(t *testing.T) {
	byInput, general := newPartnershipRefusal.place(swedish, &apiError{HTTPStatus: 403, Reason: "OTHER_ORGANIZATION",
		Message: "a member creates partnerships only with its own organisation as the Swedish party"})
	want := messages[swedish]["reason.OTHER_ORGANIZATION"]
	if got := byInput["swedishOrganizationId"]; got == nil || got.Text != want || len(general) != 0 {
		t.Errorf("beside the input %+v, above the form %+v", got, general)
	}
}

// The form shows such a refusal beside its input and in the summary above, with an error title.
func TestOtherOrganizationRefusalOnTheForm(t *testing.T) {
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		if r.URL.Path == "/v1/organizations" {
			return http.StatusOK, organizationsAnswer
		}
		return http.StatusForbidden, map[string]any{"code": 7, "message": "a member creates partnerships only with its own organisation",
			"details": []any{map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "OTHER_ORGANIZATION"}}}
	}}
	c := newTestConsole(t, api)
	s := member()
	rec := serve(c, http.MethodPost, "/console/partnerships", url.Values{"csrf": {s.CSRF}, "swedishOrganizationId": {lusakaID}},
		sessionCookieFor(t, c, s), &http.Cookie{Name: langCookie, Value: "en"})
	body := rec.Body.String()
	for _, want := range []string{"<title>Error: New partnership", `href="#swedishOrganizationId"`,
		`id="swedishOrganizationId-error">As a member you can only create partnerships`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s:\n%s", want, body)
		}
	}
	if rec.Code != http.StatusForbidden {
		t.Errorf("status %d", rec.Code)
	}
}

// The search words and the country go to the API; a network keeps, on one page, the partnerships the API
// finds that are the network's members.
func TestListFindsByWordsCountryAndNetwork(t *testing.T) {
	row := func(id, title string) map[string]any {
		return map[string]any{"id": id, "title": title, "state": "PARTNERSHIP_STATE_ACTIVE",
			"swedishOrganizationId": malmoID, "internationalOrganizationId": lusakaID}
	}
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		switch r.URL.Path {
		case "/v1/organizations":
			return http.StatusOK, organizationsAnswer
		case "/v1/networks":
			return http.StatusOK, map[string]any{"networks": []any{map[string]any{"id": "n1", "displayName": "Unga röster"}}}
		case "/v1/networks/n1/memberships":
			return http.StatusOK, map[string]any{"memberships": []any{map[string]any{"partnershipId": "p2"}}}
		}
		if r.URL.Query().Get("page_token") == "" {
			return http.StatusOK, map[string]any{"nextPageToken": "more", "partnerships": []any{row("p1", "Water")}}
		}
		return http.StatusOK, map[string]any{"partnerships": []any{row("p2", "Waste")}}
	}}
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/partnerships?q=wa&country=ZM", nil, sessionCookieFor(t, c, member()))
	if q := api.calls[0].URL.Query(); q.Get("query") != "wa" || q.Get("country_code") != "ZM" {
		t.Fatalf("API asked %s", api.calls[0].URL)
	}
	if body := rec.Body.String(); !strings.Contains(body, `value="wa"`) || !strings.Contains(body, `value="ZM" selected`) ||
		!strings.Contains(body, `value="n1"`) {
		t.Fatalf("the filters are not shown as chosen:\n%s", body)
	}

	rec = serve(c, http.MethodGet, "/console/partnerships?network=n1&q=wa&page=stale", nil, sessionCookieFor(t, c, member()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || strings.Contains(body, ">Water<") || !strings.Contains(body, ">Waste<") ||
		strings.Contains(body, translate(swedish, "list.next")) || !strings.Contains(body, `value="n1" selected`) {
		t.Fatalf("network n1 shows:\n%s", body)
	}
	for _, call := range api.calls {
		if call.URL.Path == "/v1/partnerships" && call.URL.Query().Get("page_token") == "stale" {
			t.Error("a page token of the paged list was sent with a network chosen")
		}
	}
}
