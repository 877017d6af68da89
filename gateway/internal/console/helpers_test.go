package console

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPI stands in for the gateway's REST handler: it records every call and answers from answer.
type fakeAPI struct {
	mu     sync.Mutex
	calls  []*http.Request
	bodies []string
	answer func(r *http.Request, body string) (int, any)
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.calls, f.bodies = append(f.calls, r), append(f.bodies, string(raw))
	f.mu.Unlock()
	status, out := http.StatusOK, any(map[string]any{})
	if f.answer != nil {
		status, out = f.answer(r, string(raw))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(out)
}

func (f *fakeAPI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// newTestConsole is a console in development mode, with a signing key of the test's own, in front of api.
func newTestConsole(t *testing.T, api http.Handler) *Console {
	t.Helper()
	c, err := New(Config{API: api, DevSignIn: &DevSignIn{KeyFile: filepath.Join(t.TempDir(), "key.pem"), TTL: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sessionCookieFor seals s as the console would set it.
func sessionCookieFor(t *testing.T, c *Console, s *session) *http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	c.writeSession(rec, httptest.NewRequest(http.MethodGet, "/", nil), s)
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == sessionCookie {
			return ck
		}
	}
	t.Fatal("no session cookie set")
	return nil
}

// member is a signed-in member's session.
func member() *session {
	s := newSession(time.Hour)
	s.Token, s.Role, s.Org, s.OrgName = "header.payload.signature", "member", "11111111-1111-1111-1111-111111111111", "Malmö stad"
	return s
}

// serve sends one request to the console with the cookies given and returns the recorded answer.
func serve(c *Console, method, target string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, ck := range cookies {
		r.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, r)
	return rec
}
