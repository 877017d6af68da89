// Package bearer is what the gateway knows of a caller's token without verifying it.
//
// The services verify every token (signature, issuer, audience, expiry); the gateway does not hold their
// keys and must not pretend to. It checks only the shape: an Authorization header of the Bearer scheme
// whose token is three dot-separated base64url segments, as every signed JWT is. A request that fails this
// can never succeed, so the gateway answers 401 before reading its body: an anonymous caller learns nothing
// about the API's message types, and costs no decoding.
//
// Claims reads the subject and organisation a token claims, unverified, for one purpose only: choosing a
// rate-limit bucket. A forged token chooses a bucket and nothing more; the service still refuses it.
package bearer

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
)

// Refusal says why a request's token can never be accepted. Reason is one of the services' own
// (auth.ReasonTokenMissing or auth.ReasonTokenMalformed), so a client sees the same reason whether the
// gateway or a service refused it.
type Refusal struct {
	Reason  string
	Message string
}

func (r *Refusal) Error() string { return r.Message }

// maxTokenBytes bounds the token the gateway decodes; the header limit of the HTTP server bounds it too.
const maxTokenBytes = 16 << 10

// FromRequest returns the bearer token of r, or the Refusal that says why r has none usable.
func FromRequest(r *http.Request) (string, *Refusal) {
	values := r.Header.Values("Authorization")
	if len(values) > 1 {
		// Which one a service would read depends on the transport; refuse rather than guess.
		return "", &Refusal{Reason: auth.ReasonTokenMalformed, Message: "send one Authorization header, not several"}
	}
	header := ""
	if len(values) == 1 {
		header = values[0]
	}
	// The services parse the header with this same function, so the gateway refuses exactly what they would.
	token, err := auth.BearerToken(header)
	if err != nil {
		var un *fault.Unauthenticated
		if errors.As(err, &un) {
			return "", &Refusal{Reason: un.Reason, Message: un.Message}
		}
		return "", &Refusal{Reason: auth.ReasonTokenMalformed, Message: "the authorization header cannot be read"}
	}
	if !wellFormed(token) {
		return "", &Refusal{Reason: auth.ReasonTokenMalformed, Message: "bearer token is not a JWT (three dot-separated base64url parts)"}
	}
	return token, nil
}

// wellFormed reports whether token is three non-empty base64url segments: header, payload, signature.
func wellFormed(token string) bool {
	if len(token) > maxTokenBytes {
		return false
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if _, ok := decodeSegment(p); !ok {
			return false
		}
	}
	return true
}

// decodeSegment decodes one base64url segment. Trailing padding is tolerated, as the services' JOSE library
// tolerates it, so the gateway is never stricter than the verifier behind it.
func decodeSegment(s string) ([]byte, bool) {
	s = strings.TrimRight(s, "=")
	if s == "" {
		return nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	return b, err == nil
}

// Claims are the identity a token claims, unverified.
type Claims struct {
	Subject string
	Org     string
}

// Unverified returns the subject and organisation claimed by a well-formed token; ok is false when the
// payload holds no subject. The result chooses a rate-limit bucket and must never decide anything else.
func Unverified(token string) (c Claims, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(token) > maxTokenBytes {
		return Claims{}, false
	}
	payload, ok := decodeSegment(parts[1])
	if !ok {
		return Claims{}, false
	}
	var claims struct {
		Sub string `json:"sub"`
		Org string `json:"org"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Sub == "" {
		return Claims{}, false
	}
	return Claims{Subject: claims.Sub, Org: claims.Org}, true
}
