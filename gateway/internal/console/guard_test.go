package console

import (
	"net/http"
	"net/url"
	"testing"
)

// A POST without the session's CSRF token is refused with 403, and nothing reaches the API.
func TestFormsWithoutTheSessionsCSRFTokenAreRefused(t *testing.T) {
	api := &fakeAPI{}
	c := newTestConsole(t, api)
	s := member()
	ck := sessionCookieFor(t, c, s)
	otherSession := sessionCookieFor(t, c, member())
	form := func(csrf string) url.Values {
		v := url.Values{"title": {"Water"}, "coreAreas": {"CORE_AREA_PARTICIPATION"}}
		if csrf != "" {
			v.Set("csrf", csrf)
		}
		return v
	}
	cases := []struct {
		name   string
		path   string
		form   url.Values
		cookie *http.Cookie
	}{
		{"no token", "/console/partnerships", form(""), ck},
		{"wrong token", "/console/partnerships", form("forged"), ck},
		{"another session's cookie", "/console/partnerships", form(s.CSRF), otherSession},
		{"no session", "/console/partnerships", form(s.CSRF), nil},
		{"sign-in without token", "/console/sign-in", url.Values{"role": {"admin"}}, ck},
		{"sign-out without token", "/console/sign-out", url.Values{}, ck},
		{"language without token", "/console/language", url.Values{"lang": {"en"}}, ck},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var cookies []*http.Cookie
			if tc.cookie != nil {
				cookies = append(cookies, tc.cookie)
			}
			rec := serve(c, http.MethodPost, tc.path, tc.form, cookies...)
			if rec.Code != http.StatusForbidden {
				t.Errorf("status %d, want 403", rec.Code)
			}
		})
	}
	if n := api.count(); n != 0 {
		t.Fatalf("%d calls reached the API", n)
	}
	rec := serve(c, http.MethodPost, "/console/partnerships", form(s.CSRF), ck)
	if api.count() == 0 || rec.Code == http.StatusForbidden {
		t.Fatalf("the right token was refused: %d", rec.Code)
	}
}
