package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/json"
	"github.com/go-jose/go-jose/v4/jwt"
)

// The two ways a deployment can trust tokens.
const (
	// ModeDevelopment verifies tokens signed with the local development key (see EnsureDevKey).
	ModeDevelopment = "development"
	// ModeOIDC verifies tokens against an OpenID Connect issuer's JSON Web Key Set.
	ModeOIDC = "oidc"
)

const (
	// clockLeeway absorbs clock skew between the issuer and the services; it is short because a token
	// must stop working soon after it expires.
	clockLeeway = 30 * time.Second
	// maxTokenBytes bounds the work an anonymous caller can make a service do; real tokens are < 4 KiB.
	maxTokenBytes = 16 << 10
)

// Config says which tokens to trust. Every field has a default except JWKSURL and, in oidc mode, Issuer.
type Config struct {
	// Mode is "development" or "oidc".
	Mode string
	// DevKeyFile is, in development mode, the path of the Ed25519 private key PEM (PKCS#8); default
	// ".run/dev-signing-key.pem". It is created when missing.
	DevKeyFile string
	// Issuer is the expected "iss"; development default "partnerskap-dev", required in oidc mode.
	Issuer string
	// Audience is the value "aud" must contain; default "partnerskap".
	Audience string
	// JWKSURL is, in oidc mode, where the issuer's JSON Web Key Set is served.
	JWKSURL string
	// Algorithms is the allow-list of "alg" values; development allows EdDSA only, oidc defaults to RS256,
	// ES256 and EdDSA. Symmetric algorithms and "none" are refused: a public key set cannot vouch for them.
	Algorithms []string
}

// Verifier turns a raw bearer token into the Principal it vouches for.
type Verifier interface {
	// Verify checks signature, issuer, audience, lifetime and the Partnerskap claims. Every error it
	// returns is a *fault.Unauthenticated whose message never contains any part of the token.
	Verify(ctx context.Context, rawToken string) (Principal, error)
}

// keySource finds the public keys that may have signed a token; the development key and the OIDC key set
// differ only here.
type keySource interface {
	// lookup returns the candidate keys for a "kid" header value (possibly empty).
	lookup(ctx context.Context, kid string) []jose.JSONWebKey
}

// verifier is the one Verifier implementation; now is a field so tests control the clock without sleeping.
type verifier struct {
	issuer   string
	audience string
	algs     []jose.SignatureAlgorithm
	keys     keySource
	now      func() time.Time
	memory   *memory
}

// NewVerifier builds the Verifier for cfg. In development mode it loads (or creates) the signing key; in
// oidc mode it fetches the key set once, so a wrong URL fails at startup rather than on the first call.
func NewVerifier(ctx context.Context, cfg Config) (Verifier, error) {
	v := &verifier{issuer: cfg.Issuer, audience: cfg.Audience, now: time.Now, memory: newMemory()}
	if v.audience == "" {
		v.audience = DefaultAudience
	}
	switch cfg.Mode {
	case ModeDevelopment:
		if v.issuer == "" {
			v.issuer = DefaultDevIssuer
		}
		for _, a := range cfg.Algorithms {
			if a != string(jose.EdDSA) {
				return nil, fmt.Errorf("auth: development mode signs with EdDSA only, not %q", a)
			}
		}
		v.algs = []jose.SignatureAlgorithm{jose.EdDSA}
		key, err := EnsureDevKey(cfg.DevKeyFile)
		if err != nil {
			return nil, err
		}
		src, err := newDevKeys(key.Public().(ed25519.PublicKey))
		if err != nil {
			return nil, err
		}
		v.keys = src
	case ModeOIDC:
		if v.issuer == "" {
			return nil, errors.New("auth: oidc mode needs the issuer")
		}
		if cfg.JWKSURL == "" {
			return nil, errors.New("auth: oidc mode needs the JWKS URL")
		}
		algs, err := allowList(cfg.Algorithms)
		if err != nil {
			return nil, err
		}
		v.algs = algs
		cache := newJWKSCache(cfg.JWKSURL)
		if err := cache.load(ctx); err != nil {
			return nil, err
		}
		v.keys = cache
	default:
		return nil, fmt.Errorf("auth: mode must be %q or %q, not %q", ModeDevelopment, ModeOIDC, cfg.Mode)
	}
	return v, nil
}

// allowList checks the configured oidc algorithms. Only asymmetric signatures make sense with a published
// key set; accepting HS256 would let anyone who knows a public key forge tokens with it.
func allowList(names []string) ([]jose.SignatureAlgorithm, error) {
	if len(names) == 0 {
		return []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.EdDSA}, nil
	}
	asymmetric := []jose.SignatureAlgorithm{
		jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
		jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
	}
	var algs []jose.SignatureAlgorithm
	for _, n := range names {
		a := jose.SignatureAlgorithm(strings.TrimSpace(n))
		found := false
		for _, ok := range asymmetric {
			found = found || a == ok
		}
		if !found {
			return nil, fmt.Errorf("auth: signature algorithm %q is not allowed", n)
		}
		algs = append(algs, a)
	}
	return algs, nil
}

// Verify implements Verifier.
func (v *verifier) Verify(ctx context.Context, rawToken string) (Principal, error) {
	if strings.TrimSpace(rawToken) == "" {
		return Principal{}, unauthenticated(ReasonTokenMissing, "bearer token is missing")
	}
	if len(rawToken) > maxTokenBytes {
		return Principal{}, unauthenticated(ReasonTokenMalformed, "bearer token is too long")
	}
	key := sha256.Sum256([]byte(rawToken))
	if p, ok := v.memory.recall(key, v.now()); ok {
		return p, nil
	}
	p, expiry, err := v.verify(ctx, rawToken)
	if err != nil {
		return Principal{}, err
	}
	v.memory.keep(key, p, expiry, v.now())
	return p, nil
}

// verify checks a token in full and returns its principal and expiry.
func (v *verifier) verify(ctx context.Context, rawToken string) (Principal, time.Time, error) {
	// The allow-list is enforced while parsing, before any key is touched, so "none", HS256 and friends
	// never reach signature verification.
	sig, err := jose.ParseSignedCompact(rawToken, v.algs)
	if err != nil {
		var unexpected *jose.ErrUnexpectedSignatureAlgorithm
		if errors.As(err, &unexpected) {
			return Principal{}, time.Time{}, unauthenticated(ReasonTokenSignatureInvalid, "token signing algorithm is not accepted")
		}
		return Principal{}, time.Time{}, unauthenticated(ReasonTokenMalformed, "bearer token is not a signed JWT")
	}
	if len(sig.Signatures) != 1 {
		return Principal{}, time.Time{}, unauthenticated(ReasonTokenMalformed, "bearer token must carry exactly one signature")
	}
	header := sig.Signatures[0].Header
	payload, err := v.verifySignature(ctx, sig, header)
	if err != nil {
		return Principal{}, time.Time{}, err
	}
	var std jwt.Claims
	var own privateClaims
	// go-jose's json matches claim names case-sensitively, so "ROLE" cannot stand in for "role".
	if json.Unmarshal(payload, &std) != nil || json.Unmarshal(payload, &own) != nil {
		return Principal{}, time.Time{}, unauthenticated(ReasonTokenMalformed, "token claims are not valid")
	}
	p, err := v.check(std, own)
	if err != nil {
		return Principal{}, time.Time{}, err
	}
	return p, std.Expiry.Time(), nil
}

// verifySignature finds the keys for the token's kid and alg and returns the payload signed by one of them.
func (v *verifier) verifySignature(ctx context.Context, sig *jose.JSONWebSignature, header jose.Header) ([]byte, error) {
	var tried bool
	for _, key := range v.keys.lookup(ctx, header.KeyID) {
		// A key published for one algorithm must not verify another (RFC 7517 §4.4).
		if key.Algorithm != "" && key.Algorithm != header.Algorithm {
			continue
		}
		tried = true
		if payload, err := sig.Verify(key); err == nil {
			return payload, nil
		}
	}
	if !tried {
		return nil, unauthenticated(ReasonTokenSignatureInvalid, "token was signed by an unknown key")
	}
	return nil, unauthenticated(ReasonTokenSignatureInvalid, "token signature is not valid")
}

// check applies the claim rules to a token whose signature is already verified.
func (v *verifier) check(std jwt.Claims, own privateClaims) (Principal, error) {
	if std.Issuer != v.issuer {
		return Principal{}, unauthenticated(ReasonTokenIssuerInvalid, "token was issued by an untrusted issuer")
	}
	if !std.Audience.Contains(v.audience) {
		return Principal{}, unauthenticated(ReasonTokenAudienceInvalid, "token is not meant for this service")
	}
	// go-jose treats a missing exp as "never expires"; a bearer token that lives forever is not acceptable.
	if std.Expiry == nil {
		return Principal{}, unauthenticated(ReasonTokenClaimsInvalid, "token has no expiry time")
	}
	switch err := std.ValidateWithLeeway(jwt.Expected{Time: v.now()}, clockLeeway); {
	case err == nil:
	case errors.Is(err, jwt.ErrExpired):
		return Principal{}, unauthenticated(ReasonTokenExpired, "token has expired")
	case errors.Is(err, jwt.ErrNotValidYet):
		return Principal{}, unauthenticated(ReasonTokenClaimsInvalid, "token is not valid yet")
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return Principal{}, unauthenticated(ReasonTokenClaimsInvalid, "token was issued in the future")
	default:
		return Principal{}, unauthenticated(ReasonTokenClaimsInvalid, "token times are not valid")
	}
	if std.Subject == "" {
		return Principal{}, unauthenticated(ReasonTokenClaimsInvalid, "token has no subject")
	}
	role, ok := ParseRole(own.Role)
	if !ok {
		return Principal{}, unauthenticated(ReasonTokenClaimsInvalid, "token has no valid role")
	}
	p := Principal{Issuer: std.Issuer, Subject: std.Subject, Role: role, Name: own.Name}
	if role.OrgScoped() {
		if own.Org == "" {
			return Principal{}, unauthenticated(ReasonTokenClaimsInvalid, "token has no organisation for its role")
		}
		p.Org = own.Org
	}
	return p, nil
}

// devKeys is the development key source: one Ed25519 public key.
type devKeys struct {
	key jose.JSONWebKey
}

// newDevKeys names the key by the same thumbprint IssueDevToken puts in "kid".
func newDevKeys(pub ed25519.PublicKey) (*devKeys, error) {
	kid, err := devKeyID(pub)
	if err != nil {
		return nil, err
	}
	return &devKeys{key: jose.JSONWebKey{Key: pub, KeyID: kid, Algorithm: string(jose.EdDSA), Use: "sig"}}, nil
}

// lookup offers the key for a matching or absent kid; a different kid means a token from another (e.g.
// deleted) development key, which is then reported as signed by an unknown key.
func (d *devKeys) lookup(_ context.Context, kid string) []jose.JSONWebKey {
	if kid != "" && kid != d.key.KeyID {
		return nil
	}
	return []jose.JSONWebKey{d.key}
}
