package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/json"
)

const (
	// jwksTimeout bounds one fetch, so a hung issuer cannot hold calls (or startup) for long.
	jwksTimeout = 10 * time.Second
	// jwksMinInterval is the least time between two fetches. Refetches are triggered by tokens with unknown
	// key ids, which anyone can send; without this limit bad tokens would make us hammer the issuer.
	jwksMinInterval = 30 * time.Second
	// jwksMaxAge is when a known key set is fetched again anyway, so that keys the issuer withdrew (for
	// example after a leak) stop being trusted within the hour even if no unknown kid ever shows up.
	jwksMaxAge = time.Hour
	// jwksMaxBytes bounds how much of the issuer's answer we read; real key sets are a few KiB.
	jwksMaxBytes = 1 << 20
)

// jwksCache holds the issuer's signing keys and refetches them on an unknown kid or when they grow old.
type jwksCache struct {
	url    string
	client *http.Client
	now    func() time.Time

	// fetchMu serialises fetches, so that many calls with the same new kid cause one request, not many;
	// verifications with known keys never wait for it.
	fetchMu   sync.Mutex
	attempted time.Time // last fetch attempt, successful or not; guarded by fetchMu

	mu      sync.RWMutex
	byKid   map[string][]jose.JSONWebKey
	all     []jose.JSONWebKey
	fetched time.Time // last successful fetch
}

// newJWKSCache prepares an empty cache; the caller loads it before use.
func newJWKSCache(url string) *jwksCache {
	return &jwksCache{url: url, client: &http.Client{Timeout: jwksTimeout}, now: time.Now}
}

// lookup returns the keys with this kid, or every key when the token names none. It refetches (within the
// rate limit) when the kid is unknown or the set is old; a failed refetch keeps the keys we already have.
func (c *jwksCache) lookup(ctx context.Context, kid string) []jose.JSONWebKey {
	keys, fresh := c.find(kid)
	if len(keys) > 0 && fresh {
		return keys
	}
	c.refresh(ctx)
	keys, _ = c.find(kid)
	return keys
}

// find reads the current set; fresh is false once it is older than jwksMaxAge.
func (c *jwksCache) find(kid string) (keys []jose.JSONWebKey, fresh bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	fresh = c.now().Sub(c.fetched) < jwksMaxAge
	if kid == "" {
		return c.all, fresh
	}
	return c.byKid[kid], fresh
}

// refresh fetches the set unless a fetch was attempted less than jwksMinInterval ago. Callers that waited
// for a concurrent fetch see its attempt time and simply use its result.
func (c *jwksCache) refresh(ctx context.Context) {
	c.fetchMu.Lock()
	defer c.fetchMu.Unlock()
	if !c.attempted.IsZero() && c.now().Sub(c.attempted) < jwksMinInterval {
		return
	}
	// A refetch is triggered by one call but serves all of them, so the caller's cancellation must not
	// abort it (and so waste the rate-limit slot); the timeout still bounds it.
	_ = c.load(context.WithoutCancel(ctx))
}

// load fetches and installs the key set. Errors say what is wrong with the issuer, never with a token.
func (c *jwksCache) load(ctx context.Context) error {
	c.attempted = c.now()
	ctx, cancel := context.WithTimeout(ctx, jwksTimeout)
	defer cancel()
	keys, err := c.fetch(ctx)
	if err != nil {
		return err
	}
	byKid := make(map[string][]jose.JSONWebKey, len(keys))
	for _, k := range keys {
		byKid[k.KeyID] = append(byKid[k.KeyID], k)
	}
	c.mu.Lock()
	c.byKid, c.all, c.fetched = byKid, keys, c.now()
	c.mu.Unlock()
	return nil
}

// fetch downloads the set and keeps the usable signing keys.
func (c *jwksCache) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
	if err != nil {
		return nil, fmt.Errorf("auth: JWKS URL: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("auth: fetch JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("auth: fetch JWKS: issuer answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, jwksMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("auth: read JWKS: %w", err)
	}
	if len(body) > jwksMaxBytes {
		return nil, errors.New("auth: JWKS is larger than 1 MiB")
	}
	return parseJWKS(body)
}

// parseJWKS decodes a key set one key at a time, so that a key of a type we do not know (issuers add new
// ones) does not make the whole set, and with it every login, unusable.
func parseJWKS(body []byte) ([]jose.JSONWebKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("auth: decode JWKS: %w", err)
	}
	var keys []jose.JSONWebKey
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if k.UnmarshalJSON(raw) != nil {
			continue
		}
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		// Only the public half is ever needed; an issuer that mistakenly publishes a private key must not
		// turn this service into something that could sign with it.
		k = k.Public()
		switch k.Key.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		default:
			continue
		}
		if !k.Valid() {
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("auth: JWKS holds no usable signing key")
	}
	return keys, nil
}
