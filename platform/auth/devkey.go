package auth

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Development defaults, shared by the services, `make token` and the tests so that tokens minted by one are
// accepted by the others without any configuration.
const (
	// DefaultDevKeyFile is where the development signing key lives, relative to the working directory.
	DefaultDevKeyFile = ".run/dev-signing-key.pem"
	// DefaultDevIssuer is the "iss" of development tokens.
	DefaultDevIssuer = "partnerskap-dev"
	// DefaultAudience is the "aud" every Partnerskap token must name, in both modes.
	DefaultAudience = "partnerskap"
)

// pemTypePrivateKey is the PEM block type of PKCS#8, so `openssl pkey -in .run/dev-signing-key.pem` works.
const pemTypePrivateKey = "PRIVATE KEY"

// EnsureDevKey loads the development Ed25519 signing key from path, or creates it (directory 0700, file 0600)
// when it does not exist yet.
//
// The services and `make token` may start at the same moment and each find the file missing. Creation writes
// a complete key to a temporary file and hard-links it into place, which fails when the file already exists;
// the loser then reads the winner's key. So every process ends up with the same key and no reader ever sees a
// half-written file.
func EnsureDevKey(path string) (ed25519.PrivateKey, error) {
	if path == "" {
		path = DefaultDevKeyFile
	}
	key, err := loadDevKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := createDevKey(path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return loadDevKey(path)
}

// loadDevKey reads and decodes the key file; a file that exists but is not an Ed25519 PKCS#8 key is an
// error rather than something to overwrite, since it may be a key someone put there on purpose.
func loadDevKey(path string) (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("auth: read development key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != pemTypePrivateKey {
		return nil, fmt.Errorf("auth: development key %s is not a PEM %q block", path, pemTypePrivateKey)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("auth: development key %s: %w", path, err)
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("auth: development key %s is a %T, want Ed25519", path, parsed)
	}
	return key, nil
}

// createDevKey generates a fresh key and publishes it at path atomically; it returns an error wrapping
// fs.ErrExist when another process got there first.
func createDevKey(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("auth: create directory for development key: %w", err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("auth: generate development key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("auth: encode development key: %w", err)
	}
	// CreateTemp opens with mode 0600, so the key is never readable by others, not even for a moment.
	tmp, err := os.CreateTemp(dir, ".dev-signing-key-*.tmp")
	if err != nil {
		return fmt.Errorf("auth: create development key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := pem.Encode(tmp, &pem.Block{Type: pemTypePrivateKey, Bytes: der}); err != nil {
		tmp.Close()
		return fmt.Errorf("auth: write development key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("auth: write development key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("auth: write development key: %w", err)
	}
	// Link, unlike Rename, never replaces an existing file: the first process to link wins for everyone.
	if err := os.Link(tmp.Name(), path); err != nil {
		return fmt.Errorf("auth: install development key: %w", err)
	}
	return nil
}

// devKeyID names a development key by its RFC 7638 thumbprint, so a verifier can tell a token signed with
// an older key (after .run/ was wiped) from a forged one and say so.
func devKeyID(pub ed25519.PublicKey) (string, error) {
	jwk := jose.JSONWebKey{Key: pub}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("auth: development key thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// privateClaims are the Partnerskap-specific claims next to the registered ones of jwt.Claims.
type privateClaims struct {
	Role string `json:"role,omitempty"`
	Org  string `json:"org,omitempty"`
	Name string `json:"name,omitempty"`
}

// IssueDevToken signs a development token for p that the development verifier accepts for ttl. Empty issuer
// or audience mean the development defaults. The principal is checked by the same rules the verifier
// applies, so a tool can never mint a token that every service would then refuse.
func IssueDevToken(key ed25519.PrivateKey, issuer, audience string, p Principal, ttl time.Duration) (string, error) {
	if len(key) != ed25519.PrivateKeySize {
		return "", errors.New("auth: development key is not an Ed25519 private key")
	}
	if ttl <= 0 {
		return "", errors.New("auth: token lifetime must be positive")
	}
	if p.Subject == "" {
		return "", errors.New("auth: token subject is required")
	}
	if _, ok := ParseRole(string(p.Role)); !ok {
		return "", fmt.Errorf("auth: unknown role %q", p.Role)
	}
	if p.Role.OrgScoped() && p.Org == "" {
		return "", fmt.Errorf("auth: role %s needs an organisation", p.Role)
	}
	if !p.Role.OrgScoped() && p.Org != "" {
		return "", fmt.Errorf("auth: role %s is not tied to an organisation", p.Role)
	}
	if issuer == "" {
		issuer = DefaultDevIssuer
	}
	if audience == "" {
		audience = DefaultAudience
	}
	kid, err := devKeyID(key.Public().(ed25519.PublicKey))
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"),
	)
	if err != nil {
		return "", fmt.Errorf("auth: create signer: %w", err)
	}
	now := time.Now()
	std := jwt.Claims{
		Issuer:    issuer,
		Subject:   p.Subject,
		Audience:  jwt.Audience{audience},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		Expiry:    jwt.NewNumericDate(now.Add(ttl)),
	}
	token, err := jwt.Signed(signer).
		Claims(std).
		Claims(privateClaims{Role: string(p.Role), Org: p.Org, Name: p.Name}).
		Serialize()
	if err != nil {
		return "", fmt.Errorf("auth: sign token: %w", err)
	}
	return token, nil
}
