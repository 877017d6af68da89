package gateway

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// newGateway serves the gateway in front of up (the partnership service); the other three services are
// dead unless change points them elsewhere.
func newGateway(t *testing.T, up *fakeUpstream, change func(*Settings)) *httptest.Server {
	t.Helper()
	s := DefaultSettings()
	s.PartnershipAddr, s.NetworkAddr, s.FinanceAddr, s.ReportingAddr, s.NotificationAddr = up.addr, deadAddr(t), deadAddr(t), deadAddr(t), deadAddr(t)
	if change != nil {
		change(&s)
	}
	h, closeConns, err := NewHandler(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		closeConns()
	})
	return srv
}

// answer is one HTTP response with its body read.
type answer struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// testToken has the shape of a signed JWT (header, payload with sub and org, signature), which is all the
// gateway checks; the fake services do not verify it.
var testToken = jwtShaped(`{"sub":"tester","org":"org-1"}`)

// jwtShaped returns a token of three base64url parts with the given claims, unsigned in fact.
func jwtShaped(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"EdDSA","typ":"JWT"}`)) + "." + enc([]byte(claims)) + "." + enc([]byte("not a signature"))
}

// call sends one request; headers are name, value pairs. A request that names no Authorization header
// carries testToken; one that names it (even empty) carries exactly what it names.
func call(t *testing.T, srv *httptest.Server, method, path string, body io.Reader, headers ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	if _, named := req.Header["Authorization"]; !named {
		req.Header.Set("Authorization", "Bearer "+testToken)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

func text(s string) io.Reader { return strings.NewReader(s) }

// chunked hides the length of s, so the request goes without Content-Length.
func chunked(s string) io.Reader { return io.MultiReader(strings.NewReader(s)) }

// must fails the test unless the answer has the wanted status.
func (a answer) must(t *testing.T, status int) answer {
	t.Helper()
	if a.status != status {
		t.Fatalf("want HTTP %d, got %d: %.400s", status, a.status, a.raw)
	}
	return a
}

// isStatus fails the test unless the body is a google.rpc.Status with the wanted code.
func (a answer) isStatus(t *testing.T, code float64) answer {
	t.Helper()
	if a.body["code"] != code || a.body["message"] == "" || a.body["message"] == nil {
		t.Fatalf("want a google.rpc.Status with code %v, got %.400s", code, a.raw)
	}
	if _, ok := a.body["details"].([]any); !ok {
		t.Fatalf("status without details: %.400s", a.raw)
	}
	return a
}

// reason is the ErrorInfo reason in a status body.
func (a answer) reason() string {
	details, _ := a.body["details"].([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		if t, _ := m["@type"].(string); strings.HasSuffix(t, "google.rpc.ErrorInfo") {
			r, _ := m["reason"].(string)
			return r
		}
	}
	return ""
}
