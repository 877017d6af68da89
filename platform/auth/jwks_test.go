package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

const testIssuer = "https://id.example.org/realms/partnerskap"

// fakeClock lets tests move time past the refetch limit without sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// issuerServer is an OIDC issuer's JWKS endpoint whose keys the test can rotate and whose hits it counts.
type issuerServer struct {
	*httptest.Server
	hits atomic.Int64
	mu   sync.Mutex
	body []byte
}

func newIssuerServer(t *testing.T, keys ...jose.JSONWebKey) *issuerServer {
	t.Helper()
	s := &issuerServer{}
	s.publish(t, keys...)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		body := s.body
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

// publish replaces the served key set with the public halves of keys.
func (s *issuerServer) publish(t *testing.T, keys ...jose.JSONWebKey) {
	t.Helper()
	set := jose.JSONWebKeySet{}
	for _, k := range keys {
		set.Keys = append(set.Keys, k.Public())
	}
	body, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.body = body
	s.mu.Unlock()
}

func ecKey(t *testing.T, kid string) jose.JSONWebKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return jose.JSONWebKey{Key: k, KeyID: kid, Algorithm: string(jose.ES256), Use: "sig"}
}

// oidcClaims is claims() for the test issuer.
func oidcClaims(role Role, org string) map[string]any {
	return with(claims(role, org), "iss", testIssuer)
}

// newOIDCVerifier connects a verifier to s and puts both its clocks on a fake one, started after the first
// fetch so that advancing it by the limit always allows the next fetch.
func newOIDCVerifier(t *testing.T, s *issuerServer) (*verifier, *fakeClock) {
	t.Helper()
	v, err := NewVerifier(context.Background(), Config{Mode: ModeOIDC, Issuer: testIssuer, JWKSURL: s.URL})
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Now()}
	ver := v.(*verifier)
	ver.now = clock.Now
	ver.keys.(*jwksCache).now = clock.Now
	return ver, clock
}

func TestOIDCVerify(t *testing.T) {
	rsaPriv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey := jose.JSONWebKey{Key: rsaPriv, KeyID: "rsa-1", Algorithm: string(jose.RS256), Use: "sig"}
	ec := ecKey(t, "ec-1")
	s := newIssuerServer(t, rsaKey, ec)
	v, _ := newOIDCVerifier(t, s)
	tests := []struct {
		name   string
		token  string
		reason string
	}{
		{"RS256", sign(t, jose.RS256, rsaPriv, "rsa-1", oidcClaims(RoleCoordinator, "")), ""},
		{"ES256", sign(t, jose.ES256, ec.Key, "ec-1", oidcClaims(RoleCoordinator, "")), ""},
		{"RS256 without kid", sign(t, jose.RS256, rsaPriv, "", oidcClaims(RoleCoordinator, "")), ""},
		{"PS256 not in the allow-list", sign(t, jose.PS256, rsaPriv, "rsa-1", oidcClaims(RoleCoordinator, "")), ReasonTokenSignatureInvalid},
		{"RS256 with a key published for ES256", sign(t, jose.RS256, rsaPriv, "ec-1", oidcClaims(RoleCoordinator, "")), ReasonTokenSignatureInvalid},
		{"HS256", sign(t, jose.HS256, make([]byte, 32), "rsa-1", oidcClaims(RoleCoordinator, "")), ReasonTokenSignatureInvalid},
		{"alg none", unsigned(t, oidcClaims(RoleAdmin, "")), ReasonTokenSignatureInvalid},
		{"development issuer", sign(t, jose.RS256, rsaPriv, "rsa-1", claims(RoleAdmin, "")), ReasonTokenIssuerInvalid},
		{"wrong audience", sign(t, jose.ES256, ec.Key, "ec-1", with(oidcClaims(RoleAdmin, ""), "aud", "account")), ReasonTokenAudienceInvalid},
		{"missing exp", sign(t, jose.ES256, ec.Key, "ec-1", without(oidcClaims(RoleAdmin, ""), "exp")), ReasonTokenClaimsInvalid},
		{"member without org", sign(t, jose.ES256, ec.Key, "ec-1", oidcClaims(RoleMember, "")), ReasonTokenClaimsInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), tt.token)
			wantReason(t, err, tt.reason)
		})
	}
	if got := s.hits.Load(); got != 1 {
		t.Errorf("issuer was asked %d times, want once (keys are cached)", got)
	}
}

func TestOIDCKeyRotation(t *testing.T) {
	oldKey, newKey := ecKey(t, "2025"), ecKey(t, "2026")
	s := newIssuerServer(t, oldKey)
	v, clock := newOIDCVerifier(t, s)
	ctx := context.Background()
	if _, err := v.Verify(ctx, sign(t, jose.ES256, oldKey.Key, "2025", oidcClaims(RoleAdmin, ""))); err != nil {
		t.Fatal(err)
	}

	// The issuer rotates; the first token with the new kid after the rate-limit window makes one refetch.
	s.publish(t, newKey)
	clock.Advance(jwksMinInterval + time.Second)
	fresh := sign(t, jose.ES256, newKey.Key, "2026", oidcClaims(RolePartner, "org-9"))
	p, err := v.Verify(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if p.Role != RolePartner || p.Org != "org-9" {
		t.Fatalf("Verify = %+v", p)
	}
	if got := s.hits.Load(); got != 2 {
		t.Fatalf("issuer asked %d times, want 2", got)
	}
	// The known new key is served from the cache; the withdrawn one is gone with the refetch.
	if _, err := v.Verify(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(ctx, sign(t, jose.ES256, oldKey.Key, "2025", oidcClaims(RoleAdmin, "")))
	wantReason(t, err, ReasonTokenSignatureInvalid)
	if got := s.hits.Load(); got != 2 {
		t.Fatalf("issuer asked %d times, want still 2 (rate limit)", got)
	}
}

func TestOIDCRefetchRateLimit(t *testing.T) {
	known, rotated := ecKey(t, "known"), ecKey(t, "rotated")
	s := newIssuerServer(t, known)
	v, clock := newOIDCVerifier(t, s)
	ctx := context.Background()
	bogus := ecKey(t, "bogus")
	bad := sign(t, jose.ES256, bogus.Key, "bogus", oidcClaims(RoleAdmin, ""))

	// Right after the initial fetch, unknown kids do not reach the issuer at all.
	for range 5 {
		_, err := v.Verify(ctx, bad)
		wantReason(t, err, ReasonTokenSignatureInvalid)
	}
	if got := s.hits.Load(); got != 1 {
		t.Fatalf("issuer asked %d times within the limit, want 1", got)
	}

	// Once the window has passed, a burst of concurrent bad tokens makes exactly one request.
	clock.Advance(jwksMinInterval)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, err := v.Verify(ctx, bad)
			wantReason(t, err, ReasonTokenSignatureInvalid)
		})
	}
	wg.Wait()
	if got := s.hits.Load(); got != 2 {
		t.Fatalf("issuer asked %d times after the window, want 2", got)
	}

	// A real rotation inside the window waits for the window to end: until then the new kid is unknown.
	s.publish(t, known, rotated)
	good := sign(t, jose.ES256, rotated.Key, "rotated", oidcClaims(RoleAuditor, ""))
	clock.Advance(jwksMinInterval - time.Second)
	_, err := v.Verify(ctx, good)
	wantReason(t, err, ReasonTokenSignatureInvalid)
	clock.Advance(time.Second)
	if _, err := v.Verify(ctx, good); err != nil {
		t.Fatal(err)
	}
	if got := s.hits.Load(); got != 3 {
		t.Fatalf("issuer asked %d times, want 3", got)
	}
}

// TestOIDCStaleKeysRefetched checks that a withdrawn key stops working after jwksMaxAge even though its
// kid is still in the cache.
func TestOIDCStaleKeysRefetched(t *testing.T) {
	leaked, replacement := ecKey(t, "leaked"), ecKey(t, "replacement")
	s := newIssuerServer(t, leaked)
	v, clock := newOIDCVerifier(t, s)
	s.publish(t, replacement)
	clock.Advance(jwksMaxAge)
	tok := sign(t, jose.ES256, leaked.Key, "leaked", with(oidcClaims(RoleAdmin, ""), "exp", clock.Now().Add(time.Hour).Unix()))
	_, err := v.Verify(context.Background(), tok)
	wantReason(t, err, ReasonTokenSignatureInvalid)
	if got := s.hits.Load(); got != 2 {
		t.Fatalf("issuer asked %d times, want 2", got)
	}
}

func TestParseJWKSSkipsUnusableKeys(t *testing.T) {
	good := ecKey(t, "good")
	pub, err := json.Marshal(good.Public())
	if err != nil {
		t.Fatal(err)
	}
	enc := ecKey(t, "enc")
	enc.Use = "enc"
	encJSON, _ := json.Marshal(enc.Public())
	private, _ := json.Marshal(ecKey(t, "private")) // a mistakenly published private key: keep only its public half
	body := `{"keys":[{"kty":"XYZ","kid":"future"},{"kty":"oct","kid":"hmac","k":"c2VjcmV0"},` +
		string(encJSON) + `,` + string(private) + `,` + string(pub) + `]}`
	keys, err := parseJWKS([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range keys {
		if !k.IsPublic() {
			t.Errorf("key %s kept its private half", k.KeyID)
		}
		kids = append(kids, k.KeyID)
	}
	if len(kids) != 2 || kids[0] != "private" || kids[1] != "good" {
		t.Fatalf("kept keys %v, want [private good]", kids)
	}
	for _, body := range []string{``, `{"keys":[]}`, `{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`, `[1,2]`} {
		if _, err := parseJWKS([]byte(body)); err == nil {
			t.Errorf("parseJWKS(%q) succeeded", body)
		}
	}
}

func TestNewVerifierFailsWhenIssuerDown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	_, err := NewVerifier(context.Background(), Config{Mode: ModeOIDC, Issuer: testIssuer, JWKSURL: srv.URL})
	if err == nil {
		t.Fatal("NewVerifier succeeded without keys")
	}
}
