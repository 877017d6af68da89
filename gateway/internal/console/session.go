package console

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// sessionCookie holds the sealed session.
const sessionCookie = "partnerskap_session"

// anonymousTTL is how long a session without a token lasts: long enough to fill in the sign-in form.
const anonymousTTL = 2 * time.Hour

// session is what the console remembers of a visitor between requests. Before sign-in it holds only the CSRF
// token, so the sign-in and language forms are protected too.
type session struct {
	// Token is the bearer token the API is called with; empty before sign-in.
	Token string `json:"tok,omitempty"`
	// Role, Org and OrgName say who is signed in, for the page header only: the services decide from Token.
	Role    string `json:"role,omitempty"`
	Org     string `json:"org,omitempty"`
	OrgName string `json:"orgName,omitempty"`
	// CSRF is the token every POST form must send back.
	CSRF string `json:"csrf"`
	// Expires ends the session (a signed-in one when its token does).
	Expires time.Time `json:"exp"`
}

func (s *session) signedIn() bool { return s != nil && s.Token != "" }

// SeesProgramme says whether the person works for the programme as a whole (ICLD's staff, admins, auditors)
// rather than for one organisation: only they are offered the payment batches and the IATI export in the
// navigation. It hides links, nothing more; the services decide what anyone may read.
func (s *session) SeesProgramme() bool {
	return s != nil && s.Role != "" && s.Role != "member" && s.Role != "partner"
}

// newSession starts a session with a fresh CSRF token, so a token seen before sign-in is useless after it.
func newSession(ttl time.Duration) *session {
	return &session{CSRF: randomToken(), Expires: time.Now().Add(ttl)}
}

// randomToken returns 32 random bytes, base64url.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// readSession returns the visitor's session, or nil when there is none, it expired, or its cookie was not
// sealed by this console (tampered, forged, or from before a restart).
func (c *Console) readSession(r *http.Request) *session {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	plain, err := c.cookies.open(sessionCookie, ck.Value)
	if err != nil {
		return nil
	}
	var s session
	if json.Unmarshal(plain, &s) != nil || s.CSRF == "" || time.Now().After(s.Expires) {
		return nil
	}
	return &s
}

// ensureSession returns the visitor's session, starting an anonymous one (and setting its cookie) if needed.
func (c *Console) ensureSession(w http.ResponseWriter, r *http.Request) *session {
	if s := c.readSession(r); s != nil {
		return s
	}
	s := newSession(anonymousTTL)
	c.writeSession(w, r, s)
	return s
}

// writeSession seals s into the session cookie.
func (c *Console) writeSession(w http.ResponseWriter, r *http.Request, s *session) {
	plain, err := json.Marshal(s)
	if err != nil {
		panic(err) // a session of strings and a time always encodes
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: c.cookies.seal(sessionCookie, plain), Path: "/",
		Expires: s.Expires, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: overTLS(r),
	})
}

// clearSession removes the session cookie.
func clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: overTLS(r)})
}

// overTLS reports whether the browser reached us over HTTPS: directly, or through a proxy that terminated
// TLS and says so. A forged X-Forwarded-Proto only makes the forger's own cookie Secure.
func overTLS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// sealer encrypts and authenticates cookie values with AES-GCM, so a visitor can neither read the token in
// the cookie nor change anything in it.
// The first key seals; every key opens, so an operator replaces a key by putting the new one first and
// removing the old one once the sessions it sealed have ended.
type sealer struct{ aeads []cipher.AEAD }

func newSealer(keys ...[]byte) (*sealer, error) {
	if len(keys) == 0 {
		return nil, errors.New("console: no session key")
	}
	s := &sealer{}
	for i, key := range keys {
		if len(key) != 32 {
			return nil, fmt.Errorf("console: session key %d must be 32 bytes, got %d", i+1, len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("console: session key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("console: session key %d: %w", i+1, err)
		}
		s.aeads = append(s.aeads, aead)
	}
	return s, nil
}

// seal returns base64url(nonce | ciphertext). The cookie's name is authenticated too, so one cookie's value
// cannot be replayed as another's.
func (s *sealer) seal(name string, plain []byte) string {
	aead := s.aeads[0]
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, []byte(name)))
}

// errUnsealed is every reason a cookie value is refused; which one does not matter to anyone.
var errUnsealed = errors.New("console: cookie was not sealed by this console")

// open reverses seal, refusing any value that was changed or sealed under another key or name.
func (s *sealer) open(name, value string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return nil, errUnsealed
	}
	for _, aead := range s.aeads {
		if len(raw) < aead.NonceSize() {
			continue
		}
		nonce, sealed := raw[:aead.NonceSize()], raw[aead.NonceSize():]
		if plain, err := aead.Open(nil, nonce, sealed, []byte(name)); err == nil {
			return plain, nil
		}
	}
	return nil, errUnsealed
}
