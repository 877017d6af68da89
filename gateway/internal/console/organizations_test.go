package console

import (
	"net/http"
	"strings"
	"testing"
)

// organizationsPage is one page of GET /v1/organizations with a Swedish and an international organisation
// as the API writes them, and a next page.
var organizationsPage = map[string]any{"nextPageToken": "tok/2", "organizations": []any{
	map[string]any{"id": malmoID, "kind": "ORGANIZATION_KIND_MUNICIPALITY", "displayName": "Malmö stad",
		"swedish": map[string]any{"orgNumber": "212000-1124", "municipalityCode": "1280", "municipalityName": "Malmö"}},
	map[string]any{"id": lusakaID, "kind": "ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT", "displayName": "Lusaka <City> Council",
		"international": map[string]any{"countryCode": "ZM", "countryName": "Zambia", "governmentKind": "city council"}},
}}

// The list shows a row per organisation, with its kind in the page's language, and links to the next page.
func TestOrganizationsListShowsRowsAndPages(t *testing.T) {
	for _, tc := range []struct {
		lang  lang
		kinds []string
	}{
		{swedish, []string{"<td>kommun</td>", "<td>lokal eller regional myndighet utomlands</td>", "<h1>Organisationer</h1>"}},
		{english, []string{"<td>municipality</td>", "<td>local or regional government abroad</td>", "<h1>Organisations</h1>"}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			api := &fakeAPI{answer: func(*http.Request, string) (int, any) { return http.StatusOK, organizationsPage }}
			c := newTestConsole(t, api)
			s := member()
			rec := serve(c, http.MethodGet, "/console/organizations?page=tok/1", nil, sessionCookieFor(t, c, s), &http.Cookie{Name: langCookie, Value: string(tc.lang)})
			body := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d:\n%s", rec.Code, body)
			}
			call := api.calls[0]
			if call.URL.Path != "/v1/organizations" || call.URL.Query().Get("page_token") != "tok/1" || call.Header.Get("Authorization") != "Bearer "+s.Token {
				t.Errorf("API asked %s with %v", call.URL, call.Header)
			}
			want := append([]string{`<caption>`, `<th scope="col">`,
				`<th scope="row"><a href="/console/organizations/` + malmoID + `">Malmö stad</a></th>`,
				"<td>Malmö</td>", "<td>212000-1124</td>", "Lusaka &lt;City&gt; Council", "<td>Zambia</td>",
				`href="/console/organizations?page=tok%2F2"`, `href="/console/organizations" aria-current="page"`}, tc.kinds...)
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %s:\n%s", w, body)
				}
			}
		})
	}
}

// An organisation's page shows its fields and links to the partnerships list filtered by it.
func TestOrganizationPageShowsFieldsAndPartnershipsLink(t *testing.T) {
	org := organizationsPage["organizations"].([]any)[0]
	api := &fakeAPI{answer: func(*http.Request, string) (int, any) { return http.StatusOK, org }}
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/organizations/"+malmoID, nil, sessionCookieFor(t, c, member()), &http.Cookie{Name: langCookie, Value: "en"})
	body := rec.Body.String()
	if rec.Code != http.StatusOK || api.calls[0].URL.Path != "/v1/organizations/"+malmoID {
		t.Fatalf("status %d after %s:\n%s", rec.Code, api.calls[0].URL, body)
	}
	for _, w := range []string{"<h1>Malmö stad</h1>", "<dd>municipality</dd>", "<dd>212000-1124</dd>", "<dd>Malmö (1280)</dd>",
		`href="/console/partnerships?organization=` + malmoID + `"`} {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %s:\n%s", w, body)
		}
	}
}

// An organisation the API does not show this person is the console's not-found page, as the API answered.
func TestOrganizationTheAPIDoesNotShowIsNotFound(t *testing.T) {
	c := newTestConsole(t, refusingAPI())
	rec := serve(c, http.MethodGet, "/console/organizations/33333333-3333-3333-3333-333333333333", nil, sessionCookieFor(t, c, member()))
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "<h1>Sidan finns inte</h1>") {
		t.Errorf("%d:\n%s", rec.Code, rec.Body)
	}
}
