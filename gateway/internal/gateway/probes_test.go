package gateway

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func TestHealthzIs503ListingTheServicesNotServing(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	got := call(t, gw, http.MethodGet, "/healthz", nil).must(t, http.StatusServiceUnavailable)
	notServing, _ := got.body["notServing"].([]any)
	if !slices.Equal(notServing, []any{"finance", "network", "notification", "reporting"}) || got.body["status"] != "NOT_SERVING" {
		t.Fatalf("want finance, network, notification and reporting listed, got %s", got.raw)
	}
	services, _ := got.body["services"].(map[string]any)
	if services["partnership"] != "SERVING" || services["network"] != "UNREACHABLE" {
		t.Fatalf("per-service states wrong: %s", got.raw)
	}
}

func TestHealthzIs200OnlyWhenEveryServiceServes(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, func(s *Settings) {
		s.NetworkAddr, s.FinanceAddr, s.ReportingAddr, s.NotificationAddr = up.addr, up.addr, up.addr, up.addr
	})

	got := call(t, gw, http.MethodGet, "/healthz", nil, "Authorization", "").must(t, http.StatusOK)
	if got.body["status"] != "SERVING" || len(got.body["services"].(map[string]any)) != 5 {
		t.Fatalf("unexpected body: %s", got.raw)
	}

	up.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	got = call(t, gw, http.MethodGet, "/healthz", nil).must(t, http.StatusServiceUnavailable)
	if notServing, _ := got.body["notServing"].([]any); len(notServing) != 5 {
		t.Fatalf("want all five listed, got %s", got.raw)
	}
}

func TestLivezIs200WhileServicesAreDown(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)
	call(t, gw, http.MethodGet, "/livez", nil).must(t, http.StatusOK)
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	for path, version := range map[string][2]string{"/openapi.json": {"openapi", "3.0.3"}, "/openapi.v2.json": {"swagger", "2.0"}} {
		got := call(t, gw, http.MethodGet, path, nil).must(t, http.StatusOK)
		var doc map[string]any
		if err := json.Unmarshal([]byte(got.raw), &doc); err != nil {
			t.Fatalf("%s: not JSON: %v", path, err)
		}
		if doc[version[0]] != version[1] {
			t.Fatalf(`%s: want %q:%q, got %v`, path, version[0], version[1], doc[version[0]])
		}
		if ct := got.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
	}
}

// The API reference page is served with the assets it names: parsed as a browser would, every script it loads
// and the document it renders answer 200 from the gateway itself (no CDN).
func TestDocsPageIsServed(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	page := call(t, gw, http.MethodGet, "/docs", nil).must(t, http.StatusOK)
	if ct := page.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type %q", ct)
	}
	doc, err := html.Parse(strings.NewReader(page.raw))
	if err != nil {
		t.Fatal(err)
	}
	var loads []string
	for n := range doc.Descendants() {
		for _, a := range n.Attr {
			if (n.Data == "script" && a.Key == "src") || (n.Data == "redoc" && a.Key == "spec-url") {
				loads = append(loads, a.Val)
			}
		}
	}
	if len(loads) != 2 {
		t.Fatalf("the page loads %v, want the Redoc script and the document", loads)
	}
	for _, path := range loads {
		if !strings.HasPrefix(path, "/") {
			t.Fatalf("the page loads %s from elsewhere", path)
		}
		got := call(t, gw, http.MethodGet, path, nil).must(t, http.StatusOK)
		if len(got.raw) < 1000 {
			t.Fatalf("%s answered %d bytes", path, len(got.raw))
		}
	}
}
