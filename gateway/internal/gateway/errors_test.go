package gateway

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServiceErrorKeepsCodeMessageAndDetails(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	got := call(t, gw, http.MethodGet, "/v1/organizations/missing", nil).must(t, http.StatusNotFound).isStatus(t, 5)
	if got.body["message"] != "organization missing not found" || got.reason() != "NOT_FOUND" {
		t.Errorf("status not passed through: %s", got.raw)
	}
	if !strings.Contains(got.raw, `"fieldViolations"`) {
		t.Errorf("BadRequest detail lost: %s", got.raw)
	}
}

func TestUnreachableServiceAnswers503NamingOnlyTheService(t *testing.T) {
	up := startUpstream(t)
	dead := deadAddr(t)
	gw := newGateway(t, up, func(s *Settings) { s.NetworkAddr = dead })

	got := call(t, gw, http.MethodGet, "/v1/networks", nil).must(t, http.StatusServiceUnavailable).isStatus(t, 14)
	if got.body["message"] != "the network service is unavailable" || got.reason() != "SERVICE_UNAVAILABLE" {
		t.Errorf("unexpected body: %s", got.raw)
	}
	_, port, _ := strings.Cut(dead, ":")
	if strings.Contains(got.raw, "127.0.0.1") || strings.Contains(got.raw, port) || strings.Contains(got.raw, "dial") {
		t.Errorf("internal address leaked: %s", got.raw)
	}
}

func TestSlowServiceAnswers504(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, func(s *Settings) { s.UpstreamTimeout = 50 * time.Millisecond })

	got := call(t, gw, http.MethodGet, "/v1/organizations/slow", nil).must(t, http.StatusGatewayTimeout).isStatus(t, 4)
	if got.body["message"] != "the partnership service did not answer in time" {
		t.Errorf("unexpected body: %s", got.raw)
	}
}

func TestRoutingErrorsNameThePathAndMethod(t *testing.T) {
	up := startUpstream(t)
	gw := newGateway(t, up, nil)

	got := call(t, gw, http.MethodGet, "/v1/nothing-here", nil).must(t, http.StatusNotFound).isStatus(t, 5)
	if msg, _ := got.body["message"].(string); !strings.Contains(msg, "/v1/nothing-here") || got.reason() != "ROUTE_NOT_FOUND" {
		t.Errorf("404 body does not name the path: %s", got.raw)
	}
	got = call(t, gw, http.MethodDelete, "/v1/organizations", nil).must(t, http.StatusMethodNotAllowed).isStatus(t, 12)
	if msg, _ := got.body["message"].(string); !strings.Contains(msg, "DELETE") || !strings.Contains(msg, "/v1/organizations") {
		t.Errorf("405 body does not name the method and path: %s", got.raw)
	}
	if got.header.Get("X-Request-Id") == "" {
		t.Errorf("error answer without X-Request-Id")
	}
}
