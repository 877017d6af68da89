package console

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSealedCookieRoundTripsAndRefusesTampering(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	s, err := newSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	value := s.seal(sessionCookie, []byte(`{"tok":"secret token"}`))
	if strings.Contains(value, "secret") {
		t.Fatal("the sealed value shows its content")
	}
	if plain, err := s.open(sessionCookie, value); err != nil || string(plain) != `{"tok":"secret token"}` {
		t.Fatalf("open = %q, %v", plain, err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(value)
	for i := range raw {
		flipped := bytes.Clone(raw)
		flipped[i] ^= 1
		if _, err := s.open(sessionCookie, base64.RawURLEncoding.EncodeToString(flipped)); err == nil {
			t.Fatalf("a value with byte %d changed was accepted", i)
		}
	}
	other, _ := newSealer(bytes.Repeat([]byte{8}, 32))
	for name, bad := range map[string]func() error{
		"another key":    func() error { _, err := other.open(sessionCookie, value); return err },
		"another cookie": func() error { _, err := s.open("lang", value); return err },
		"truncated":      func() error { _, err := s.open(sessionCookie, value[:10]); return err },
		"not base64":     func() error { _, err := s.open(sessionCookie, "!!!"); return err },
		"empty":          func() error { _, err := s.open(sessionCookie, ""); return err },
		"unsealed plain": func() error {
			_, err := s.open(sessionCookie, base64.RawURLEncoding.EncodeToString([]byte(`{"tok":"x"}`)))
			return err
		},
	} {
		if bad() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := newSealer([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
}

// The session cookie is HttpOnly and SameSite=Lax, Secure over TLS; a tampered or expired one is no session.
func TestSessionCookie(t *testing.T) {
	c := newTestConsole(t, &fakeAPI{})
	ck := sessionCookieFor(t, c, member())
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
		t.Errorf("cookie %+v", ck)
	}
	if rec := serve(c, http.MethodGet, "/console/partnerships", nil, ck); rec.Code != http.StatusOK {
		t.Fatalf("signed in: %d %s", rec.Code, rec.Body)
	}
	tampered := *ck
	tampered.Value = ck.Value[:len(ck.Value)-2] + "AA"
	expired := member()
	expired.Expires = time.Now().Add(-time.Minute)
	for name, bad := range map[string]*http.Cookie{"tampered": &tampered, "expired": sessionCookieFor(t, c, expired)} {
		rec := serve(c, http.MethodGet, "/console/partnerships", nil, bad)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/sign-in" {
			t.Errorf("%s cookie: %d to %q, want 303 to sign-in", name, rec.Code, rec.Header().Get("Location"))
		}
	}
	r := serve(c, http.MethodGet, "/console/sign-in", nil)
	if !strings.Contains(r.Header().Get("Set-Cookie"), "HttpOnly") || strings.Contains(r.Header().Get("Set-Cookie"), "Secure") {
		t.Errorf("plain HTTP: %q", r.Header().Get("Set-Cookie"))
	}
}

// A part of a page htmx asks for after the session ended makes the whole page go to sign-in.
func TestHTMXRequestWithoutSessionIsToldToSignIn(t *testing.T) {
	c := newTestConsole(t, &fakeAPI{})
	r := httptest.NewRequest(http.MethodGet, "/console/partnerships?state=PARTNERSHIP_STATE_DRAFT", nil)
	r.Header.Set("HX-Request", "true")
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK || rec.Header().Get("HX-Redirect") != "/console/sign-in" {
		t.Errorf("%d, HX-Redirect %q", rec.Code, rec.Header().Get("HX-Redirect"))
	}
}
