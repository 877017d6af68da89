package headers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/partnerskap/partnerskap/platform/requestid"
)

func TestIncomingForwardsOnlyTheAllowList(t *testing.T) {
	cases := map[string]string{
		"Idempotency-Key": "idempotency-key", "If-Match": "if-match", "X-Request-Id": "x-request-id",
		"Authorization": "", "Grpc-Metadata-Foo": "", "Cookie": "", "X-Forwarded-For": "", "Host": "",
	}
	for header, want := range cases {
		got, ok := Incoming(header)
		if got != want || ok != (want != "") {
			t.Errorf("Incoming(%q) = %q, %v; want %q", header, got, ok, want)
		}
	}
}

func TestOutgoingPassesOnlyRequestIDAndETag(t *testing.T) {
	for key, want := range map[string]string{"x-request-id": "X-Request-Id", "etag": "ETag", "x-http-code": "", "x-internal": "", "content-type": ""} {
		got, ok := Outgoing(key)
		if got != want || ok != (want != "") {
			t.Errorf("Outgoing(%q) = %q, %v; want %q", key, got, ok, want)
		}
	}
}

func TestETagQuoting(t *testing.T) {
	quoted := map[string]string{"v1": `"v1"`, `"v1"`: `"v1"`, `W/"v1"`: `W/"v1"`, "": "", `a"b`: "", "a b": ""}
	for in, want := range quoted {
		if got, ok := quoteETag(in); got != want || ok != (want != "") {
			t.Errorf("quoteETag(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	unquoted := map[string]string{`"v1"`: "v1", "v1": "v1", `W/"v1"`: `W/"v1"`, `"a", "b"`: `"a", "b"`, "*": "*", ` "v1" `: "v1"}
	for in, want := range unquoted {
		if got := unquoteETag(in); got != want {
			t.Errorf("unquoteETag(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestForwardResponseSetsStatusAndQuotedETag(t *testing.T) {
	w := httptest.NewRecorder()
	w.Header().Add("ETag", "v1") // as the outgoing matcher copied it
	ctx := runtime.NewServerMetadataContext(requestid.With(context.Background(), "req-1"), runtime.ServerMetadata{
		HeaderMD: metadata.Pairs("x-http-code", "201", "etag", "v1"),
	})
	if err := ForwardResponse(ctx, w, nil); err != nil {
		t.Fatal(err)
	}
	if w.Code != http.StatusCreated || w.Header().Values("ETag")[0] != `"v1"` || len(w.Header().Values("ETag")) != 1 {
		t.Fatalf("got %d, ETag %q", w.Code, w.Header().Values("ETag"))
	}
	if w.Header().Get("X-Request-Id") != "req-1" {
		t.Fatalf("X-Request-Id %q", w.Header().Get("X-Request-Id"))
	}
}

func TestForwardResponseIgnoresNonSuccessCodes(t *testing.T) {
	for _, code := range []string{"500", "302", "abc", "200"} {
		w := httptest.NewRecorder()
		ctx := runtime.NewServerMetadataContext(context.Background(), runtime.ServerMetadata{HeaderMD: metadata.Pairs("x-http-code", code)})
		_ = ForwardResponse(ctx, w, nil)
		if w.Code != http.StatusOK {
			t.Errorf("x-http-code %s gave %d", code, w.Code)
		}
	}
}

func TestFilterDropsMetadataOffTheAllowList(t *testing.T) {
	ctx := metadata.NewOutgoingContext(context.Background(), metadata.Pairs(
		"authorization", "Bearer t", "x-forwarded-for", "10.0.0.1", "x-forwarded-host", "gw", "if-match", "v1"))
	var sent metadata.MD
	invoker := func(ctx context.Context, _ string, _, _ any, _ *grpc.ClientConn, _ ...grpc.CallOption) error {
		sent, _ = metadata.FromOutgoingContext(ctx)
		return nil
	}
	if err := Filter(ctx, "/m", nil, nil, nil, invoker); err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 || sent.Get("authorization")[0] != "Bearer t" || sent.Get("if-match")[0] != "v1" {
		t.Fatalf("sent %v", sent)
	}
}

func FuzzETag(f *testing.F) {
	for _, s := range []string{"v1", `"v1"`, `W/"x"`, `"`, `""`, "W/", `W/"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tag, ok := quoteETag(s); ok {
			if got := unquoteETag(tag); got != s && tag != s {
				t.Fatalf("quoteETag(%q) = %q unquotes to %q", s, tag, got)
			}
		}
		_ = unquoteETag(s)
	})
}
