package oidctest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// noRedirects stops at the provider's answer, so the test reads where it sends the browser.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func authorize(t *testing.T, p *Provider, params url.Values) url.Values {
	t.Helper()
	resp, err := noRedirects.Get(p.URL + "/authorize?" + params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return back.Query()
}

func exchange(t *testing.T, p *Provider, code, verifier string) int {
	t.Helper()
	resp, err := http.PostForm(p.URL+"/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {"console"}, "redirect_uri": {"http://client.test/cb"}, "code_verifier": {verifier}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The provider holds a client to PKCE: no challenge, no code; a wrong verifier or a second exchange of the
// same code, no tokens.
func TestProviderRequiresPKCE(t *testing.T) {
	p := Start(t, "console", "partnerskap")
	p.SignInAs(Person{Subject: "anna", Role: "coordinator"})
	verifier := strings.Repeat("v", 43)
	sum := sha256.Sum256([]byte(verifier))
	params := url.Values{"response_type": {"code"}, "client_id": {"console"}, "redirect_uri": {"http://client.test/cb"},
		"state": {"s1"}, "nonce": {"n1"}}

	if got := authorize(t, p, params); got.Get("error") != "invalid_request" || got.Get("state") != "s1" {
		t.Fatalf("without PKCE: %v", got)
	}
	params.Set("code_challenge_method", "S256")
	params.Set("code_challenge", base64.RawURLEncoding.EncodeToString(sum[:]))
	code := authorize(t, p, params).Get("code")
	if code == "" {
		t.Fatal("no code")
	}
	if got := exchange(t, p, code, strings.Repeat("w", 43)); got != http.StatusBadRequest {
		t.Fatalf("wrong verifier: %d", got)
	}
	code = authorize(t, p, params).Get("code")
	if got := exchange(t, p, code, verifier); got != http.StatusOK {
		t.Fatalf("right verifier: %d", got)
	}
	if got := exchange(t, p, code, verifier); got != http.StatusBadRequest {
		t.Fatalf("the same code again: %d", got)
	}
	if p.Exchanges() != 1 {
		t.Fatalf("exchanges = %d", p.Exchanges())
	}
}
