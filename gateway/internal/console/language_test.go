package console

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestLanguageOf(t *testing.T) {
	cases := []struct {
		name, cookie, accept string
		want                 lang
	}{
		{"nothing says: Swedish", "", "", swedish},
		{"browser prefers English", "", "en-GB,en;q=0.9", english},
		{"browser prefers Swedish", "", "sv-SE,sv;q=0.9,en;q=0.8", swedish},
		{"English before Swedish", "", "en;q=0.9,sv;q=0.5", english},
		{"neither: Swedish", "", "de-DE,fr;q=0.8", swedish},
		{"unreadable header: Swedish", "", ";;;q=x", swedish},
		{"the cookie wins over the browser", "sv", "en", swedish},
		{"the cookie in English", "en", "sv", english},
		{"an unknown cookie is ignored", "fi", "en", english},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tc.accept != "" {
				r.Header.Set("Accept-Language", tc.accept)
			}
			if tc.cookie != "" {
				r.AddCookie(&http.Cookie{Name: langCookie, Value: tc.cookie})
			}
			if got := languageOf(r); got != tc.want {
				t.Errorf("languageOf = %s, want %s", got, tc.want)
			}
		})
	}
}

// The switch on every page remembers the choice in the cookie and goes back to the page, never elsewhere.
func TestLanguageSwitchIsRememberedAndStaysOnSite(t *testing.T) {
	c := newTestConsole(t, &fakeAPI{})
	s := newSession(anonymousTTL)
	ck := sessionCookieFor(t, c, s)
	for ret, want := range map[string]string{"/console/partnerships?state=x": "/console/partnerships?state=x",
		"//evil.example/": "/", "https://evil.example/": "/", "/\\evil.example": "/",
		// A browser drops tabs and line breaks from a Location, so each of these would be //evil.example.
		"/\t/evil.example": "/", "/\n/evil.example": "/", "/\r/evil.example": "/", "/\x00/evil.example": "/", "/\x7f/evil.example": "/"} {
		rec := serve(c, http.MethodPost, "/console/language", url.Values{"csrf": {s.CSRF}, "lang": {"en"}, "return": {ret}}, ck)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("return %q: %d to %q, want 303 to %q", ret, rec.Code, rec.Header().Get("Location"), want)
		}
		if !strings.Contains(rec.Header().Get("Set-Cookie"), "lang=en") {
			t.Errorf("no lang cookie set: %q", rec.Header().Values("Set-Cookie"))
		}
	}
	page := serve(c, http.MethodGet, "/console/sign-in", nil, &http.Cookie{Name: langCookie, Value: "en"})
	if body := page.Body.String(); !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Sign in") ||
		!strings.Contains(body, `lang="sv">Svenska</button>`) {
		t.Errorf("English page expected, with a switch to Swedish:\n%s", body)
	}
}
