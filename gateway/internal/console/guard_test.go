package console

import (
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
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

// postRoute finds the POST routes the console registers: `mux.Handle("POST /console/...", ...)`.
// A route that ends in a step ("/"+step, in a loop over a map of steps) is found with its prefix.
var postRoute = regexp.MustCompile(`mux\.Handle(?:Func)?\("POST (/[^"]*)"(?:\+(\w+))?`)

// Every POST route the console has, whichever area added it, refuses a form without the session's CSRF
// token before anything reaches the API: the routes are read from the source, so a new one is checked too.
func TestEveryPostRouteChecksTheCSRFToken(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range postRoute.FindAllStringSubmatch(string(src), -1) {
			if m[2] == "" {
				routes = append(routes, m[1])
				continue
			}
			// A loop over a map of steps registered the route: the step names are its keys.
			steps, ok := map[string][]string{
				"/console/partnerships/{id}/applications/{aid}/": slices.Collect(maps.Keys(stepRoles)),
				"/console/partnerships/{id}/reports/{rid}/":      slices.Collect(maps.Keys(reportStepRoles)),
			}[m[1]]
			if !ok || len(steps) == 0 {
				t.Fatalf("%s: POST %s+%s: which steps does it take?", f, m[1], m[2])
			}
			for _, step := range steps {
				routes = append(routes, m[1]+step)
			}
		}
	}
	if len(routes) < 20 {
		t.Fatalf("found only %d POST routes; is the pattern stale? %v", len(routes), routes)
	}
	wildcard := regexp.MustCompile(`\{[^}]*\}`)
	api := &fakeAPI{}
	c := newTestConsole(t, api)
	s := member()
	ck := sessionCookieFor(t, c, s)
	for _, route := range routes {
		path := wildcard.ReplaceAllString(route, "x")
		for _, form := range []url.Values{{"etag": {"e"}}, {"etag": {"e"}, "csrf": {"forged"}}} {
			if rec := serve(c, http.MethodPost, path, form, ck); rec.Code != http.StatusForbidden {
				t.Errorf("POST %s with csrf %q: status %d, want 403", path, form.Get("csrf"), rec.Code)
			}
		}
	}
	if n := api.count(); n != 0 {
		t.Fatalf("%d calls reached the API", n)
	}
}
