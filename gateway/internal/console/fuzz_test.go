package console

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A session cookie is outside input: no value may panic, and only what this console sealed opens.
func FuzzSessionCookie(f *testing.F) {
	c, err := New(Config{API: &fakeAPI{}, SessionKeys: [][]byte{bytes.Repeat([]byte{1}, 32)}})
	if err != nil {
		f.Fatal(err)
	}
	s := member()
	rec := httptest.NewRecorder()
	c.writeSession(rec, httptest.NewRequest(http.MethodGet, "/", nil), s)
	sealed := rec.Result().Cookies()[0].Value
	f.Add(sealed)
	f.Add("")
	f.Add(sealed[:len(sealed)-1] + "A")
	f.Add(strings.Repeat("A", 64))
	f.Fuzz(func(t *testing.T, value string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Cookie", sessionCookie+"="+value)
		got := c.readSession(r)
		if got == nil {
			return
		}
		// Each fuzzing process seals its own seed (a fresh nonce), so the property is what opens, not how:
		// nothing but a session this test sealed, with its token.
		if _, err := base64.RawURLEncoding.DecodeString(value); err != nil || got.Token != s.Token {
			t.Fatalf("opened %q as %+v, which the console did not seal", value, got)
		}
	})
}

// A form's return address is outside input: whatever it says, the redirect stays on this site.
func FuzzLocalPath(f *testing.F) {
	for _, seed := range []string{"/console/partnerships?x=1", "//evil.example", "/\\evil", "https://evil.example", "", "/\r\nLocation: x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := localPath(p)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n") {
			t.Fatalf("localPath(%q) = %q", p, got)
		}
	})
}
