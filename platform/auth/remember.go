package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Verifying a signature costs far more than the rest of a typical call (an Ed25519 verification is about
// 50 µs, an RSA one more), and a client sends the same token with every call until it expires. So a verifier
// remembers the tokens it has verified, by their SHA-256 (never the token itself), for a short while.
const (
	// rememberFor bounds how long a verified token is taken on trust. It is short so that a signing key
	// withdrawn from the issuer's key set stops working within a minute, as it would with a fresh fetch.
	rememberFor = time.Minute
	// rememberMost bounds the memory: about 150 bytes per token, so 10 000 tokens cost about 1.5 MB.
	rememberMost = 10_000
)

// remembered is a verified token's outcome and how long it may be reused.
type remembered struct {
	principal Principal
	until     time.Time
}

// memory holds recently verified tokens. It is safe for concurrent use.
type memory struct {
	mu     sync.RWMutex
	tokens map[[sha256.Size]byte]remembered
}

func newMemory() *memory {
	return &memory{tokens: make(map[[sha256.Size]byte]remembered)}
}

// recall returns the principal of a token verified before, unless that was too long ago or the token has
// expired since.
func (m *memory) recall(key [sha256.Size]byte, now time.Time) (Principal, bool) {
	m.mu.RLock()
	r, ok := m.tokens[key]
	m.mu.RUnlock()
	if !ok || !now.Before(r.until) {
		return Principal{}, false
	}
	return r.principal, true
}

// keep remembers a verified token until the earlier of its expiry (with the same leeway the verifier gives)
// and rememberFor from now. When full, it forgets expired entries first, and then any: a forgotten token is
// only verified again.
func (m *memory) keep(key [sha256.Size]byte, p Principal, expiry, now time.Time) {
	until := now.Add(rememberFor)
	if end := expiry.Add(clockLeeway); end.Before(until) {
		until = end
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.tokens) >= rememberMost {
		for k, r := range m.tokens {
			if !now.Before(r.until) {
				delete(m.tokens, k)
			}
		}
		for k := range m.tokens {
			if len(m.tokens) < rememberMost {
				break
			}
			delete(m.tokens, k)
		}
	}
	m.tokens[key] = remembered{principal: p, until: until}
}
