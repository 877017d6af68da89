// Package oidctest runs an OpenID Connect provider inside a test, as net/http/httptest runs a server: the
// authorization code flow with PKCE (S256 only), a key set, and ID and access tokens in the shape the
// services accept (role and org claims). It signs in whoever the test says, without a login page, and holds
// a client to the protocol's rules strictly, so a client that skips PKCE, the state or the nonce fails.
package oidctest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Person is who the provider signs in, and what their access token says.
type Person struct {
	Subject string
	// Role and Org are the Partnerskap claims; an empty Role leaves the claim out (an account with no
	// access to Partnerskap).
	Role, Org string
	Name      string
}

// Provider is a running provider; URL is its issuer.
type Provider struct {
	URL string
	// ClientID is the one client the provider knows; Audience is what its access tokens are for.
	ClientID, Audience string
	// TokenTTL is the life of the tokens it issues.
	TokenTTL time.Duration

	key    *ecdsa.PrivateKey
	signer jose.Signer

	mu         sync.Mutex
	person     *Person
	grants     map[string]grant
	signedOut  int
	exchanges  int
	wrongNonce bool
}

// grant is one authorization code waiting to be exchanged.
type grant struct {
	person                       Person
	clientID, redirectURI, nonce string
	challenge                    string
	expires                      time.Time
}

const keyID = "oidctest-1"

// Start runs a provider for client clientID whose access tokens carry audience; it stops with the test.
func Start(t testing.TB, clientID, audience string) *Provider {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{ClientID: clientID, Audience: audience, TokenTTL: time.Hour, key: key, signer: signer,
		grants: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /end-session", p.endSession)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// SignInAs makes the authorization endpoint sign in person from now on; before any call, it refuses
// (error=access_denied), as a provider does when the person cancels.
func (p *Provider) SignInAs(person Person) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.person = &person
}

// GiveWrongNonce makes the next ID tokens carry a nonce other than the one asked for, as a replayed token would.
func (p *Provider) GiveWrongNonce() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.wrongNonce = true
}

// SignOuts is how many times the end-session endpoint was visited.
func (p *Provider) SignOuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.signedOut
}

// Exchanges is how many codes were exchanged for tokens successfully.
func (p *Provider) Exchanges() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exchanges
}

// AccessToken issues an access token for person directly, as a provider's client credentials grant would
// for a service (the reporting and notification services' SERVICE_TOKEN_FILE).
func (p *Provider) AccessToken(t testing.TB, person Person) string {
	t.Helper()
	tok, err := p.sign(p.accessClaims(person))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (p *Provider) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.URL,
		"authorization_endpoint":                p.URL + "/authorize",
		"token_endpoint":                        p.URL + "/token",
		"jwks_uri":                              p.URL + "/jwks",
		"end_session_endpoint":                  p.URL + "/end-session",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"ES256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"none", "client_secret_basic", "client_secret_post"},
	})
}

// authorize checks the request as RFC 6749 and 7636 say and sends the browser back with a code, or with
// an error when the request is wrong or no one is signed in.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !redirect.IsAbs() || q.Get("client_id") != p.ClientID {
		// Never redirect to an address the client did not prove is its own.
		http.Error(w, "unknown client or redirect_uri", http.StatusBadRequest)
		return
	}
	back := func(params url.Values) {
		params.Set("state", q.Get("state"))
		redirect.RawQuery = params.Encode()
		http.Redirect(w, r, redirect.String(), http.StatusFound)
	}
	switch {
	case q.Get("response_type") != "code":
		back(url.Values{"error": {"unsupported_response_type"}})
		return
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		back(url.Values{"error": {"invalid_request"}, "error_description": {"PKCE with S256 is required"}})
		return
	}
	p.mu.Lock()
	person := p.person
	p.mu.Unlock()
	if person == nil {
		back(url.Values{"error": {"access_denied"}})
		return
	}
	code := random()
	p.mu.Lock()
	p.grants[code] = grant{person: *person, clientID: p.ClientID, redirectURI: q.Get("redirect_uri"), nonce: q.Get("nonce"),
		challenge: q.Get("code_challenge"), expires: time.Now().Add(time.Minute)}
	p.mu.Unlock()
	back(url.Values{"code": {code}})
}

// token exchanges a code, once, for the client that asked for it, at the same redirect address, with the
// verifier whose S256 is the challenge.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, "invalid_request")
		return
	}
	clientID := r.PostForm.Get("client_id")
	if id, _, ok := r.BasicAuth(); ok {
		clientID = id
	}
	code := r.PostForm.Get("code")
	p.mu.Lock()
	g, found := p.grants[code]
	delete(p.grants, code) // a code is good for one exchange, whatever its outcome
	wrongNonce := p.wrongNonce
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code":
		tokenError(w, "unsupported_grant_type")
		return
	case !found || time.Now().After(g.expires) || clientID != g.clientID || r.PostForm.Get("redirect_uri") != g.redirectURI:
		tokenError(w, "invalid_grant")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		tokenError(w, "invalid_grant")
		return
	}
	nonce := g.nonce
	if wrongNonce {
		nonce = random()
	}
	now := time.Now()
	id, err := p.sign(map[string]any{"iss": p.URL, "sub": g.person.Subject, "aud": p.ClientID, "nonce": nonce,
		"iat": now.Unix(), "exp": now.Add(p.TokenTTL).Unix(), "name": g.person.Name})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	access, err := p.sign(p.accessClaims(g.person))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	p.mu.Lock()
	p.exchanges++
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "id_token": id, "token_type": "Bearer",
		"expires_in": int(p.TokenTTL.Seconds())})
}

func (p *Provider) accessClaims(person Person) map[string]any {
	now := time.Now()
	claims := map[string]any{"iss": p.URL, "sub": person.Subject, "aud": []string{p.Audience},
		"iat": now.Unix(), "exp": now.Add(p.TokenTTL).Unix()}
	if person.Role != "" {
		claims["role"] = person.Role
	}
	if person.Org != "" {
		claims["org"] = person.Org
	}
	if person.Name != "" {
		claims["name"] = person.Name
	}
	return claims
}

func (p *Provider) sign(claims map[string]any) (string, error) {
	return jwt.Signed(p.signer).Claims(claims).Serialize()
}

func (p *Provider) jwks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &p.key.PublicKey, KeyID: keyID, Algorithm: string(jose.ES256), Use: "sig"},
	}})
}

// endSession counts the visit and sends the browser where the client asked.
func (p *Provider) endSession(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.signedOut++
	p.mu.Unlock()
	if back := r.URL.Query().Get("post_logout_redirect_uri"); back != "" {
		http.Redirect(w, r, back, http.StatusFound)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func tokenError(w http.ResponseWriter, code string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
