package gateway

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// grpcTransportKeys are added to incoming metadata by grpc-go itself, not by the gateway.
var grpcTransportKeys = []string{":authority", "content-type", "user-agent", "grpc-accept-encoding"}

func TestOnlyAllowedHeadersReachTheService(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	got := call(t, gw, http.MethodPost, "/v1/organizations", text(`{"displayName":"Malmö stad"}`),
		"Authorization", "Bearer "+testToken,
		"Idempotency-Key", "key-1",
		"If-Match", "v0",
		"X-Request-Id", "req-1",
		"Grpc-Metadata-Foo", "forged",
		"Grpc-Metadata-Authorization", "Bearer forged",
		"X-Custom", "nope",
		"Cookie", "session=1",
		"X-Forwarded-For", "203.0.113.9",
	).must(t, http.StatusCreated)

	_, md := up.seen()
	want := map[string]string{"authorization": "Bearer " + testToken, "idempotency-key": "key-1", "if-match": "v0", "x-request-id": "req-1"}
	for k, v := range want {
		if got := md.Get(k); len(got) != 1 || got[0] != v {
			t.Errorf("metadata %s = %q, want exactly [%q]", k, got, v)
		}
	}
	for k := range md {
		if _, ok := want[k]; !ok && !slices.Contains(grpcTransportKeys, k) {
			t.Errorf("metadata %s = %q reached the service", k, md[k])
		}
	}
	if got.body["displayName"] != "Malmö stad" {
		t.Errorf("answer not forwarded in lowerCamelCase JSON: %s", got.raw)
	}
}

func TestCreateAnswers201WithETagAndNoInternalHeaders(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	got := call(t, gw, http.MethodPost, "/v1/organizations", text(`{"display_name":"Malmö stad"}`),
		"X-Request-Id", "req-2", "TE", "trailers").must(t, http.StatusCreated)

	if tag := got.header.Get("ETag"); tag != `"v1"` {
		t.Errorf("ETag = %q, want %q", tag, `"v1"`)
	}
	if ids := got.header.Values("X-Request-Id"); len(ids) != 1 || ids[0] != "req-2" {
		t.Errorf("X-Request-Id = %q, want exactly [req-2]", ids)
	}
	for name := range got.header {
		if strings.HasPrefix(name, "Grpc-") || strings.Contains(strings.ToLower(name), "internal") || name == "X-Http-Code" {
			t.Errorf("internal header %s leaked: %q", name, got.header[name])
		}
	}
	if strings.Contains(got.raw, "10.1.2.3") {
		t.Errorf("internal address leaked into the body: %s", got.raw)
	}
}

func TestRequestIDIsMadeWhenMissingOrMalformed(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	for _, sent := range []string{"", "bad id with spaces", strings.Repeat("x", 200)} {
		var hdr []string
		if sent != "" {
			hdr = []string{"X-Request-Id", sent}
		}
		got := call(t, gw, http.MethodPost, "/v1/organizations", text(`{}`), hdr...).must(t, http.StatusCreated)
		id := got.header.Get("X-Request-Id")
		_, md := up.seen()
		if id == "" || id == sent || first(md.Get("x-request-id")) != id {
			t.Errorf("sent %q: answer id %q, service saw %q", sent, id, md.Get("x-request-id"))
		}
	}
}

func TestIfMatchReachesTheServiceUnquoted(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	got := call(t, gw, http.MethodPatch, "/v1/organizations/org-1", text(`{"displayName":"Malmö"}`),
		"If-Match", `"v1"`).must(t, http.StatusOK)

	_, md := up.seen()
	if v := md.Get("if-match"); len(v) != 1 || v[0] != "v1" {
		t.Errorf("if-match = %q, want [v1]", v)
	}
	if tag := got.header.Get("ETag"); tag != `"v2"` {
		t.Errorf("ETag = %q, want %q", tag, `"v2"`)
	}
}
