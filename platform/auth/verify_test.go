package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// claims returns a valid claim set for the development defaults; tests change or delete entries from it.
func claims(role Role, org string) map[string]any {
	now := time.Now()
	c := map[string]any{
		"iss":  DefaultDevIssuer,
		"aud":  []string{DefaultAudience},
		"sub":  "user-1",
		"role": string(role),
		"iat":  now.Unix(),
		"nbf":  now.Unix(),
		"exp":  now.Add(time.Hour).Unix(),
	}
	if org != "" {
		c["org"] = org
	}
	return c
}

// sign makes a compact JWT with any algorithm and key go-jose can sign with, so tests can build the tokens
// IssueDevToken refuses to make.
func sign(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, c map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(signer).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// unsigned hand-crafts an "alg": "none" token, which no library will produce on request.
func unsigned(t *testing.T, c map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + "."
}

// without returns c minus the named claims.
func without(c map[string]any, names ...string) map[string]any {
	for _, n := range names {
		delete(c, n)
	}
	return c
}

// with returns c with one claim set.
func with(c map[string]any, name string, value any) map[string]any {
	c[name] = value
	return c
}

// newDevVerifier builds a development-mode verifier on a fresh key file and returns that key too.
func newDevVerifier(t testing.TB) (Verifier, ed25519.PrivateKey) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dev-signing-key.pem")
	v, err := NewVerifier(context.Background(), Config{Mode: ModeDevelopment, DevKeyFile: path})
	if err != nil {
		t.Fatal(err)
	}
	key, err := EnsureDevKey(path)
	if err != nil {
		t.Fatal(err)
	}
	return v, key
}

func TestDevTokenForEachRole(t *testing.T) {
	v, key := newDevVerifier(t)
	for _, role := range Roles() {
		t.Run(string(role), func(t *testing.T) {
			want := Principal{Issuer: DefaultDevIssuer, Subject: "dev-" + string(role), Role: role, Name: "Dev User"}
			if role.OrgScoped() {
				want.Org = "org-42"
			}
			tok, err := IssueDevToken(key, "", "", want, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.Verify(context.Background(), tok)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("Verify = %+v, want %+v", got, want)
			}
		})
	}
}

func TestVerifyDevelopment(t *testing.T) {
	v, key := newDevVerifier(t)
	kid, err := devKeyID(key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	otherKid, _ := devKeyID(otherKey.Public().(ed25519.PublicKey))
	past := time.Now().Add(-2 * time.Hour)
	future := time.Now().Add(time.Hour)
	tests := []struct {
		name   string
		token  string
		reason string
		want   Principal
	}{
		{name: "valid with kid", token: sign(t, jose.EdDSA, key, kid, claims(RoleCoordinator, "")),
			want: Principal{Subject: "user-1", Role: RoleCoordinator}},
		{name: "valid without kid", token: sign(t, jose.EdDSA, key, "", claims(RoleAuditor, "")),
			want: Principal{Subject: "user-1", Role: RoleAuditor}},
		{name: "audience as a string", token: sign(t, jose.EdDSA, key, kid, with(claims(RoleAdmin, ""), "aud", DefaultAudience)),
			want: Principal{Subject: "user-1", Role: RoleAdmin}},
		{name: "audience among others", token: sign(t, jose.EdDSA, key, kid, with(claims(RoleAdmin, ""), "aud", []string{"x", DefaultAudience})),
			want: Principal{Subject: "user-1", Role: RoleAdmin}},
		{name: "org dropped for admin", token: sign(t, jose.EdDSA, key, kid, claims(RoleAdmin, "org-1")),
			want: Principal{Subject: "user-1", Role: RoleAdmin}},
		{name: "expired within leeway", token: sign(t, jose.EdDSA, key, kid, with(claims(RolePartner, "o"), "exp", time.Now().Add(-10*time.Second).Unix())),
			want: Principal{Subject: "user-1", Role: RolePartner, Org: "o"}},
		{name: "empty", token: "", reason: ReasonTokenMissing},
		{name: "garbage", token: "this is not a token", reason: ReasonTokenMalformed},
		{name: "two parts", token: "eyJhbGciOiJFZERTQSJ9.e30", reason: ReasonTokenMalformed},
		{name: "bad base64", token: "!!!.???.***", reason: ReasonTokenMalformed},
		{name: "too long", token: strings.Repeat("a", maxTokenBytes+1), reason: ReasonTokenMalformed},
		{name: "payload not json", token: signRaw(t, key, kid, []byte("not json")), reason: ReasonTokenMalformed},
		{name: "exp not a number", token: sign(t, jose.EdDSA, key, kid, with(claims(RoleAdmin, ""), "exp", "tomorrow")), reason: ReasonTokenMalformed},
		{name: "alg none", token: unsigned(t, claims(RoleAdmin, "")), reason: ReasonTokenSignatureInvalid},
		{name: "HS256 with a secret", token: sign(t, jose.HS256, []byte(strings.Repeat("s", 32)), "", claims(RoleAdmin, "")), reason: ReasonTokenSignatureInvalid},
		{name: "HS256 keyed with the public key", token: sign(t, jose.HS256, []byte(key.Public().(ed25519.PublicKey)), kid, claims(RoleAdmin, "")), reason: ReasonTokenSignatureInvalid},
		{name: "wrong key", token: sign(t, jose.EdDSA, otherKey, "", claims(RoleAdmin, "")), reason: ReasonTokenSignatureInvalid},
		{name: "wrong key claiming our kid", token: sign(t, jose.EdDSA, otherKey, kid, claims(RoleAdmin, "")), reason: ReasonTokenSignatureInvalid},
		{name: "old development key", token: sign(t, jose.EdDSA, otherKey, otherKid, claims(RoleAdmin, "")), reason: ReasonTokenSignatureInvalid},
		{name: "tampered payload", token: tamper(t, sign(t, jose.EdDSA, key, kid, claims(RoleAuditor, ""))), reason: ReasonTokenSignatureInvalid},
		{name: "wrong audience", token: sign(t, jose.EdDSA, key, kid, with(claims(RoleAdmin, ""), "aud", "someone-else")), reason: ReasonTokenAudienceInvalid},
		{name: "no audience", token: sign(t, jose.EdDSA, key, kid, without(claims(RoleAdmin, ""), "aud")), reason: ReasonTokenAudienceInvalid},
		{name: "wrong issuer", token: sign(t, jose.EdDSA, key, kid, with(claims(RoleAdmin, ""), "iss", "https://evil.example")), reason: ReasonTokenIssuerInvalid},
		{name: "no issuer", token: sign(t, jose.EdDSA, key, kid, without(claims(RoleAdmin, ""), "iss")), reason: ReasonTokenIssuerInvalid},
		{name: "expired", token: sign(t, jose.EdDSA, key, kid, with(claims(RoleAdmin, ""), "exp", past.Unix())), reason: ReasonTokenExpired},
		{name: "missing exp", token: sign(t, jose.EdDSA, key, kid, without(claims(RoleAdmin, ""), "exp")), reason: ReasonTokenClaimsInvalid},
		{name: "not yet valid", token: sign(t, jose.EdDSA, key, kid, with(claims(RoleAdmin, ""), "nbf", future.Unix())), reason: ReasonTokenClaimsInvalid},
		{name: "issued in the future", token: sign(t, jose.EdDSA, key, kid, with(claims(RoleAdmin, ""), "iat", future.Unix())), reason: ReasonTokenClaimsInvalid},
		{name: "missing sub", token: sign(t, jose.EdDSA, key, kid, without(claims(RoleAdmin, ""), "sub")), reason: ReasonTokenClaimsInvalid},
		{name: "missing role", token: sign(t, jose.EdDSA, key, kid, without(claims(RoleAdmin, ""), "role")), reason: ReasonTokenClaimsInvalid},
		{name: "unknown role", token: sign(t, jose.EdDSA, key, kid, claims("superuser", "")), reason: ReasonTokenClaimsInvalid},
		{name: "role in upper case", token: sign(t, jose.EdDSA, key, kid, claims("ADMIN", "")), reason: ReasonTokenClaimsInvalid},
		{name: "member without org", token: sign(t, jose.EdDSA, key, kid, claims(RoleMember, "")), reason: ReasonTokenClaimsInvalid},
		{name: "partner without org", token: sign(t, jose.EdDSA, key, kid, claims(RolePartner, "")), reason: ReasonTokenClaimsInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(context.Background(), tt.token)
			wantReason(t, err, tt.reason)
			if err == nil {
				tt.want.Issuer = DefaultDevIssuer // every valid token here is the development issuer's
			}
			if got != tt.want {
				t.Fatalf("Verify = %+v, want %+v", got, tt.want)
			}
			if err != nil && tt.token != "" && strings.Contains(err.Error(), tt.token) {
				t.Fatal("error message echoes the token")
			}
		})
	}
}

// signRaw signs an arbitrary payload, for claims that are not JSON at all.
func signRaw(t *testing.T, key ed25519.PrivateKey, kid string, payload []byte) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// tamper swaps the payload of a signed token for one that grants admin, keeping the original signature.
func tamper(t *testing.T, tok string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	payload, err := json.Marshal(claims(RoleAdmin, ""))
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

func TestNewVerifierRefusesBadConfig(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no mode", Config{}},
		{"unknown mode", Config{Mode: "production"}},
		{"development with RS256", Config{Mode: ModeDevelopment, DevKeyFile: keyFile, Algorithms: []string{"RS256"}}},
		{"oidc without issuer", Config{Mode: ModeOIDC, JWKSURL: "http://127.0.0.1:1/jwks"}},
		{"oidc without JWKS URL", Config{Mode: ModeOIDC, Issuer: "https://id.example"}},
		{"oidc with HS256", Config{Mode: ModeOIDC, Issuer: "https://id.example", JWKSURL: "http://127.0.0.1:1/", Algorithms: []string{"HS256"}}},
		{"oidc with none", Config{Mode: ModeOIDC, Issuer: "https://id.example", JWKSURL: "http://127.0.0.1:1/", Algorithms: []string{"none"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewVerifier(context.Background(), tt.cfg); err == nil {
				t.Fatal("NewVerifier accepted the configuration")
			}
		})
	}
}
