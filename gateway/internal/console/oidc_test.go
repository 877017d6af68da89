package console

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/auth/oidctest"
)

const oidcOrg = "11111111-1111-1111-1111-111111111111"

// oidcConsole is a console signing people in with p, served over HTTP (the browser goes back and forth
// between the two), with an API that knows one organisation and has nothing due.
func oidcConsole(t *testing.T, p *oidctest.Provider) (*httptest.Server, *fakeAPI) {
	t.Helper()
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		if r.URL.Path == "/v1/organizations/"+oidcOrg {
			return http.StatusOK, map[string]any{"id": oidcOrg, "displayName": "Växjö kommun"}
		}
		return http.StatusOK, map[string]any{}
	}}
	c, err := New(Config{API: api, OIDC: &OIDC{Issuer: p.URL, ClientID: p.ClientID, Audience: p.Audience}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv, api
}

// visitor is a browser: it keeps cookies and follows redirects, to the provider and back.
func visitor(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// pressSignIn opens the sign-in page and presses its button, as a person does; it returns where the
// browser ended up, with the page's status and text.
func pressSignIn(t *testing.T, b *http.Client, console string) (*url.URL, int, string) {
	t.Helper()
	_, _, page := get(t, b, console+"/console/sign-in")
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the sign-in page has no form:\n%s", page)
	}
	resp, err := b.PostForm(console+"/console/sign-in", url.Values{"csrf": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	return finish(t, resp)
}

func get(t *testing.T, b *http.Client, target string) (*url.URL, int, string) {
	t.Helper()
	resp, err := b.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	return finish(t, resp)
}

func finish(t *testing.T, resp *http.Response) (*url.URL, int, string) {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Request.URL, resp.StatusCode, string(body)
}

// A person signs in at the provider and lands on their dashboard; the console calls the API with the
// access token the provider gave, which is all the services trust.
func TestOIDCSignInLandsOnTheDashboard(t *testing.T) {
	p := oidctest.Start(t, "console", "partnerskap")
	p.SignInAs(oidctest.Person{Subject: "anna@vaxjo", Role: "member", Org: oidcOrg, Name: "Anna"})
	srv, api := oidcConsole(t, p)
	b := visitor(t)

	at, status, page := pressSignIn(t, b, srv.URL)
	if status != http.StatusOK || at.Path != "/console/" {
		t.Fatalf("ended at %s with %d", at, status)
	}
	for _, want := range []string{"Växjö kommun", translate(swedish, "role.member")} {
		if !strings.Contains(page, want) {
			t.Errorf("the dashboard does not show %q", want)
		}
	}
	if p.Exchanges() != 1 {
		t.Fatalf("codes exchanged: %d", p.Exchanges())
	}
	api.mu.Lock()
	last := api.calls[len(api.calls)-1]
	api.mu.Unlock()
	if bearer := last.Header.Get("Authorization"); !strings.HasPrefix(bearer, "Bearer ey") {
		t.Fatalf("the API was called with %q", bearer)
	}

	// Signing out ends the session here and at the provider, and comes back to the sign-in page.
	_, _, dashboard := get(t, b, srv.URL+"/console/")
	resp, err := b.PostForm(srv.URL+"/console/sign-out", url.Values{"csrf": {csrfInput.FindStringSubmatch(dashboard)[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if at, _, _ := finish(t, resp); at.Path != "/console/sign-in" || p.SignOuts() != 1 {
		t.Fatalf("after sign-out: at %s, provider sign-outs %d", at, p.SignOuts())
	}
	if at, _, _ := get(t, b, srv.URL+"/console/partnerships"); at.Path != "/console/sign-in" {
		t.Fatalf("signed out, a page sent the browser to %s", at)
	}
}

// Whatever goes wrong, no session is made and the person is told what to do in their language.
func TestOIDCSignInRefusals(t *testing.T) {
	t.Run("the provider refuses", func(t *testing.T) {
		p := oidctest.Start(t, "console", "partnerskap") // no one signs in: access_denied
		srv, _ := oidcConsole(t, p)
		b := visitor(t)
		if _, status, page := pressSignIn(t, b, srv.URL); status != http.StatusForbidden ||
			!strings.Contains(page, translate(swedish, "signIn.refused")) {
			t.Fatalf("%d:\n%s", status, page)
		}
		mustBeSignedOut(t, b, srv.URL)
	})
	t.Run("an account with no role", func(t *testing.T) {
		p := oidctest.Start(t, "console", "partnerskap")
		p.SignInAs(oidctest.Person{Subject: "visitor"})
		srv, _ := oidcConsole(t, p)
		b := visitor(t)
		if _, status, page := pressSignIn(t, b, srv.URL); status != http.StatusForbidden ||
			!strings.Contains(page, translate(swedish, "signIn.noAccess")) {
			t.Fatalf("%d:\n%s", status, page)
		}
		mustBeSignedOut(t, b, srv.URL)
	})
	t.Run("an ID token for another sign-in", func(t *testing.T) {
		p := oidctest.Start(t, "console", "partnerskap")
		p.SignInAs(oidctest.Person{Subject: "anna", Role: "coordinator"})
		p.GiveWrongNonce()
		srv, _ := oidcConsole(t, p)
		b := visitor(t)
		if _, status, _ := pressSignIn(t, b, srv.URL); status != http.StatusForbidden {
			t.Fatalf("a wrong nonce answered %d", status)
		}
		mustBeSignedOut(t, b, srv.URL)
	})
	t.Run("a callback this browser did not start", func(t *testing.T) {
		p := oidctest.Start(t, "console", "partnerskap")
		p.SignInAs(oidctest.Person{Subject: "anna", Role: "coordinator"})
		srv, _ := oidcConsole(t, p)
		// The attacker's own code and state, sent to the victim's browser (login CSRF).
		attacker := visitor(t)
		attacker.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
			if r.URL.Path == "/console/oidc/callback" {
				return http.ErrUseLastResponse
			}
			return nil
		}
		resp, err := attacker.PostForm(srv.URL+"/console/sign-in", url.Values{"csrf": {csrfOf(t, attacker, srv.URL)}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		callback := resp.Header.Get("Location")
		if !strings.Contains(callback, "code=") {
			t.Fatalf("the provider sent the attacker to %q", callback)
		}
		victim := visitor(t)
		if _, status, page := get(t, victim, callback); status != http.StatusBadRequest ||
			!strings.Contains(page, translate(swedish, "signIn.flowLost")) {
			t.Fatalf("%d:\n%s", status, page)
		}
		mustBeSignedOut(t, victim, srv.URL)
		if p.Exchanges() != 0 {
			t.Fatal("the attacker's code was exchanged")
		}
	})
	t.Run("the provider is down", func(t *testing.T) {
		p := oidctest.Start(t, "console", "partnerskap")
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		c, err := New(Config{API: &fakeAPI{}, OIDC: &OIDC{Issuer: down.URL, ClientID: p.ClientID}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(c)
		defer srv.Close()
		b := visitor(t)
		if _, status, page := pressSignIn(t, b, srv.URL); status != http.StatusServiceUnavailable ||
			!strings.Contains(page, translate(swedish, "signIn.providerDown")) {
			t.Fatalf("%d:\n%s", status, page)
		}
	})
}

func csrfOf(t *testing.T, b *http.Client, console string) string {
	t.Helper()
	_, _, page := get(t, b, console+"/console/sign-in")
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	return m[1]
}

func mustBeSignedOut(t *testing.T, b *http.Client, console string) {
	t.Helper()
	if at, _, _ := get(t, b, console+"/console/"); at.Path != "/console/sign-in" {
		t.Fatalf("a session was made: /console/ answered at %s", at)
	}
}

// Development and OIDC sign-in are never offered together.
func TestConsoleOffersOneSignIn(t *testing.T) {
	_, err := New(Config{API: &fakeAPI{}, DevSignIn: &DevSignIn{}, OIDC: &OIDC{Issuer: "https://id.example"}})
	if err == nil {
		t.Fatal("both sign-ins were accepted")
	}
}
