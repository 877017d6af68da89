package gateway

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestBadJSONAnswers400WithoutCallingTheService(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	cases := []struct {
		name, body, says string
	}{
		{"malformed", `{"displayName":`, "the request body is not valid JSON: it ends before its value does"},
		{"not an object", `{"displayName" "x"}`, `the request body is not valid JSON: unexpected '"' at line 1, column 16`},
		{"unknown field", `{"displayName":"X","colour":"red"}`, `unknown field "colour"; the fields are "id", "kind", "displayName"`},
		{"wrong type", `{"displayName":42}`, `field "displayName": expected a string`},
		{"wrong enum", `{"kind":"NO_SUCH_KIND"}`, `field "kind": expected one of "ORGANIZATION_KIND_MUNICIPALITY", "ORGANIZATION_KIND_REGION"`},
		{"array", `[]`, `the request body must be a JSON object {"id":..,"kind":..`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, gw, http.MethodPost, "/v1/organizations", text(tc.body)).must(t, http.StatusBadRequest).isStatus(t, 3)
			msg, _ := got.body["message"].(string)
			if !strings.Contains(msg, tc.says) {
				t.Errorf("message %q does not say %q", msg, tc.says)
			}
			if strings.Contains(msg, "proto") || strings.Contains(msg, "partnerskap.") || strings.Contains(msg, "syntax error") {
				t.Errorf("message %q speaks of internals", msg)
			}
		})
	}
	if calls, _ := up.seen(); calls != 0 {
		t.Fatalf("the service was called %d times for bad input", calls)
	}
}

func TestBadQueryParametersAnswer400NamingTheParameter(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	cases := map[string]string{
		"/v1/organizations?page_size=abc":           `query parameter "page_size": expected an integer`,
		"/v1/organizations?pageSize=1.5":            `query parameter "pageSize": expected an integer`,
		"/v1/organizations?kind=NOPE":               `query parameter "kind": expected one of "ORGANIZATION_KIND_MUNICIPALITY"`,
		"/v1/organizations?page_size=1&page_size=2": `query parameter "page_size" is given 2 times; give it once`,
		"/v1/organizations?page_size=1&pageSize=2":  `query parameters "pageSize" and "page_size" name the same field; give one`,
	}
	for path, says := range cases {
		got := call(t, gw, http.MethodGet, path, nil).must(t, http.StatusBadRequest).isStatus(t, 3)
		if msg, _ := got.body["message"].(string); !strings.Contains(msg, says) || strings.Contains(msg, "strconv") {
			t.Errorf("%s: message %q does not say %q", path, msg, says)
		}
	}
	if calls, _ := up.seen(); calls != 0 {
		t.Fatalf("the service was called %d times for bad input", calls)
	}
}

func TestBodyOverTheLimitAnswers413WithoutCallingTheService(t *testing.T) {
	up := startUpstream(t)
	const limit = 64
	gw := newGateway(t, up, func(s *Settings) { s.MaxBodyBytes = limit })

	big := `{"displayName":"` + strings.Repeat("a", 2*limit) + `"}`
	cases := []struct {
		name string
		body io.Reader
	}{
		{"with Content-Length", text(big)},
		{"chunked", chunked(big)},
		{"chunked, small JSON then a flood", chunked(`{}` + strings.Repeat(" ", 4*limit))},
		{"one byte over", chunked(`{"displayName":"` + strings.Repeat("a", limit-17) + `"}`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, gw, http.MethodPost, "/v1/organizations", tc.body).must(t, http.StatusRequestEntityTooLarge).isStatus(t, 8)
			if got.reason() != "BODY_TOO_LARGE" {
				t.Errorf("reason %q, want BODY_TOO_LARGE: %s", got.reason(), got.raw)
			}
		})
	}
	if calls, _ := up.seen(); calls != 0 {
		t.Fatalf("the service was called %d times for oversized bodies", calls)
	}

	exact := `{"displayName":"` + strings.Repeat("a", limit-18) + `"}`
	if len(exact) != limit {
		t.Fatalf("test body is %d bytes, want %d", len(exact), limit)
	}
	call(t, gw, http.MethodPost, "/v1/organizations", chunked(exact)).must(t, http.StatusCreated)
}

func TestBodyOverTheDefaultLimitAnswers413ToARealClient(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	// Like the e2e suite's case: the declared length is over 1 MiB, the answer comes before the body is read.
	big := `{"displayName":"` + strings.Repeat("a", 1<<20) + `"}`
	for _, body := range []io.Reader{text(big), chunked(big)} {
		call(t, gw, http.MethodPost, "/v1/organizations", body, "Content-Type", "application/json").
			must(t, http.StatusRequestEntityTooLarge).isStatus(t, 8)
	}
	if calls, _ := up.seen(); calls != 0 {
		t.Fatalf("the service was called %d times", calls)
	}
}
