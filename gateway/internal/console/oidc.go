package console

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// OIDC says how the console signs people in with the programme's OpenID Connect provider: the authorization
// code flow with PKCE. The provider is the one the services trust, so the access token it gives the console
// is the token the services accept from the person.
type OIDC struct {
	// Issuer is the provider (the services' AUTH_ISSUER); its discovery document is read at the first sign-in.
	Issuer string
	// ClientID and ClientSecret are the console's registration with the provider; a public client (no secret)
	// relies on PKCE alone.
	ClientID, ClientSecret string
	// RedirectURL is the public address of /console/oidc/callback, as registered with the provider. Empty:
	// made from the request's host, which suits development but not a gateway behind a proxy.
	RedirectURL string
	// Scopes are asked for besides "openid".
	Scopes []string
	// Audience is what the access token must be for (the services' AUTH_AUDIENCE).
	Audience string
}

// flowTTL is how long a person may take at the provider between leaving the console and coming back.
const flowTTL = 10 * time.Minute

// flowCookie holds one sign-in in progress: what only this browser knows, so that a callback started by
// someone else (login CSRF) or replayed from another browser is refused.
const flowCookie = "partnerskap_oidc"

// discoveryTimeout bounds each call to the provider: discovery, key set and token exchange.
const discoveryTimeout = 10 * time.Second

// flow is the sealed content of flowCookie.
type flow struct {
	State    string    `json:"state"`
	Nonce    string    `json:"nonce"`
	Verifier string    `json:"verifier"`
	Expires  time.Time `json:"exp"`
}

// oidcSignIn talks to the provider. Discovery happens at the first sign-in and is retried until it works,
// so a gateway started while the provider is down still serves the API and signs people in once it is up.
type oidcSignIn struct {
	cfg    OIDC
	client *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	access   auth.Verifier
	endURL   string
}

func newOIDCSignIn(cfg OIDC) *oidcSignIn {
	return &oidcSignIn{cfg: cfg, client: &http.Client{Timeout: discoveryTimeout}}
}

// ready discovers the provider and prepares the access token check, once.
func (o *oidcSignIn) ready(ctx context.Context) (*oidc.Provider, auth.Verifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, o.access, nil
	}
	ctx = oidc.ClientContext(ctx, o.client)
	provider, err := oidc.NewProvider(ctx, o.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("discover %s: %w", o.cfg.Issuer, err)
	}
	var extra struct {
		JWKSURL string `json:"jwks_uri"`
		EndURL  string `json:"end_session_endpoint"`
	}
	if err := provider.Claims(&extra); err != nil {
		return nil, nil, fmt.Errorf("read %s's discovery document: %w", o.cfg.Issuer, err)
	}
	// The access token is checked exactly as the services will check it, so a person whose token they
	// would refuse (no role, wrong audience) is told at sign-in rather than on every page after it.
	access, err := auth.NewVerifier(ctx, auth.Config{Mode: auth.ModeOIDC, Issuer: o.cfg.Issuer,
		Audience: o.cfg.Audience, JWKSURL: extra.JWKSURL})
	if err != nil {
		return nil, nil, err
	}
	o.provider, o.access, o.endURL = provider, access, extra.EndURL
	return provider, access, nil
}

// oauth is the code flow's configuration for one request (the redirect address may come from its host).
func (o *oidcSignIn) oauth(p *oidc.Provider, r *http.Request) *oauth2.Config {
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: o.redirectURL(r), Scopes: append([]string{oidc.ScopeOpenID}, o.cfg.Scopes...)}
}

func (o *oidcSignIn) redirectURL(r *http.Request) string {
	if o.cfg.RedirectURL != "" {
		return o.cfg.RedirectURL
	}
	return origin(r) + "/console/oidc/callback"
}

// origin is the console's own scheme and host as the browser reached it.
func origin(r *http.Request) string {
	scheme := "http"
	if overTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// startOIDC sends the browser to the provider with a fresh state, nonce and PKCE verifier, which stay in a
// sealed cookie only this browser has.
func (c *Console) startOIDC(w http.ResponseWriter, r *http.Request) {
	p, _, err := c.oidc.ready(r.Context())
	if err != nil {
		c.providerDown(w, r, err)
		return
	}
	f := flow{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(), Expires: time.Now().Add(flowTTL)}
	plain, err := json.Marshal(f)
	if err != nil {
		panic(err) // strings and a time always encode
	}
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: c.cookies.seal(flowCookie, plain), Path: "/console/oidc/",
		Expires: f.Expires, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: overTLS(r)})
	target := c.oidc.oauth(p, r).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// oidcCallback finishes the sign-in: it checks the state against this browser's flow, exchanges the code with
// the PKCE verifier, verifies the ID token (signature, issuer, audience, nonce) and the access token (as the
// services will), and keeps the access token in a new session.
func (c *Console) oidcCallback(w http.ResponseWriter, r *http.Request) {
	f, ok := c.readFlow(r)
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: "", Path: "/console/oidc/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: overTLS(r)})
	q := r.URL.Query()
	if !ok || !sameToken(q.Get("state"), f.State) {
		c.signInProblem(w, r, http.StatusBadRequest, "signIn.flowLost")
		return
	}
	if q.Get("error") != "" {
		// The provider said no (the person cancelled, or has no access); its words are not shown, they are
		// neither translated nor ours.
		c.signInProblem(w, r, http.StatusForbidden, "signIn.refused")
		return
	}
	p, access, err := c.oidc.ready(r.Context())
	if err != nil {
		c.providerDown(w, r, err)
		return
	}
	ctx := oidc.ClientContext(r.Context(), c.oidc.client)
	tok, err := c.oidc.oauth(p, r).Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			// The provider refused the code: used already, expired, or not ours.
			c.signInProblem(w, r, http.StatusBadRequest, "signIn.flowLost")
			return
		}
		c.providerDown(w, r, err)
		return
	}
	person, expires, err := c.checkTokens(ctx, p, access, tok, f.Nonce)
	if err != nil {
		slog.WarnContext(r.Context(), "console: OIDC sign-in refused", "error", err.Error())
		c.signInProblem(w, r, http.StatusForbidden, "signIn.noAccess")
		return
	}
	s := newSession(time.Until(expires))
	s.Token, s.Role, s.Org = tok.AccessToken, string(person.Role), person.Org
	if person.Org != "" {
		var o organization
		if c.api.call(r.Context(), r, tok.AccessToken, apiRequest{method: http.MethodGet,
			path: "/v1/organizations/" + url.PathEscape(person.Org)}, &o) == nil {
			s.OrgName = o.DisplayName
		}
	}
	c.writeSession(w, r, s)
	http.Redirect(w, r, "/console/", http.StatusSeeOther)
}

// checkTokens verifies the ID token and the access token and that both name the same person; it returns the
// person as the services will see them and when the session must end (when the access token does).
func (c *Console) checkTokens(ctx context.Context, p *oidc.Provider, access auth.Verifier, tok *oauth2.Token,
	nonce string) (auth.Principal, time.Time, error) {
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return auth.Principal{}, time.Time{}, errors.New("the token answer has no ID token")
	}
	id, err := p.Verifier(&oidc.Config{ClientID: c.oidc.cfg.ClientID}).Verify(ctx, rawID)
	if err != nil {
		return auth.Principal{}, time.Time{}, fmt.Errorf("ID token: %w", err)
	}
	if !sameToken(id.Nonce, nonce) {
		return auth.Principal{}, time.Time{}, errors.New("ID token: nonce is not this sign-in's")
	}
	person, err := access.Verify(ctx, tok.AccessToken)
	if err != nil {
		return auth.Principal{}, time.Time{}, fmt.Errorf("access token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(person.Subject), []byte(id.Subject)) != 1 {
		return auth.Principal{}, time.Time{}, errors.New("the access token and the ID token name different subjects")
	}
	// The session ends with the access token, which the provider says by expires_in (or, failing that, the
	// ID token's life).
	expires := tok.Expiry
	if expires.IsZero() {
		expires = id.Expiry
	}
	if !expires.After(time.Now()) {
		return auth.Principal{}, time.Time{}, errors.New("the access token has expired already")
	}
	return person, expires, nil
}

// readFlow opens this browser's sign-in in progress, if it has one that has not expired.
func (c *Console) readFlow(r *http.Request) (flow, bool) {
	ck, err := r.Cookie(flowCookie)
	if err != nil {
		return flow{}, false
	}
	plain, err := c.cookies.open(flowCookie, ck.Value)
	if err != nil {
		return flow{}, false
	}
	var f flow
	if json.Unmarshal(plain, &f) != nil || f.State == "" || time.Now().After(f.Expires) {
		return flow{}, false
	}
	return f, true
}

// signOutURL is where the browser goes after the console forgot the session: the provider's end-session
// endpoint when it has one (so the person is signed out there too), else the sign-in page.
func (c *Console) signOutURL(r *http.Request) string {
	if c.oidc == nil || c.oidc.endURL == "" {
		return "/console/sign-in"
	}
	back := origin(r)
	if u, err := url.Parse(c.oidc.cfg.RedirectURL); err == nil && u.Host != "" {
		back = u.Scheme + "://" + u.Host
	}
	q := url.Values{"client_id": {c.oidc.cfg.ClientID}, "post_logout_redirect_uri": {back + "/console/sign-in"}}
	return c.oidc.endURL + "?" + q.Encode()
}

// providerDown says the provider cannot be reached now; the cause is for the operator's log.
func (c *Console) providerDown(w http.ResponseWriter, r *http.Request, err error) {
	slog.ErrorContext(r.Context(), "console: OIDC provider unavailable", "issuer", c.oidc.cfg.Issuer, "error", err.Error())
	c.signInProblem(w, r, http.StatusServiceUnavailable, "signIn.providerDown")
}

// signInProblem shows the sign-in page again with what went wrong.
func (c *Console) signInProblem(w http.ResponseWriter, r *http.Request, status int, key string) {
	msg := c.text(r, key)
	c.showSignIn(w, r, status, signInData{Problem: &msg})
}
