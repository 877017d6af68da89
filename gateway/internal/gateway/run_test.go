package gateway

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/config"
)

func TestServeShutsDownCleanlyWhenTheContextEnds(t *testing.T) {
	up := startUpstream(t)
	s := DefaultSettings()
	s.PartnershipAddr = up.addr
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, s) }()

	// The listener is open before Serve starts, so this request waits in its backlog instead of failing.
	resp, err := http.Get("http://" + ln.Addr().String() + "/livez")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/livez answered %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
}

func TestBadSettingsAreRefused(t *testing.T) {
	s := DefaultSettings()
	s.MaxBodyBytes, s.UpstreamTimeout = 0, -time.Second
	_, _, err := NewHandler(context.Background(), s)
	if err == nil || !strings.Contains(err.Error(), "MAX_BODY_BYTES") || !strings.Contains(err.Error(), "UPSTREAM_TIMEOUT") {
		t.Fatalf("want both problems reported, got %v", err)
	}
}

func TestSettingsComeFromTheEnvironment(t *testing.T) {
	t.Setenv("HTTP_ADDR", "0.0.0.0:9999")
	t.Setenv("MAX_BODY_BYTES", "2048")
	t.Setenv("UPSTREAM_TIMEOUT", "5s")
	s := DefaultSettings()
	if err := config.Load(&s); err != nil {
		t.Fatal(err)
	}
	if s.HTTPAddr != "0.0.0.0:9999" || s.MaxBodyBytes != 2048 || s.UpstreamTimeout != 5*time.Second || s.NetworkAddr != "127.0.0.1:9092" {
		t.Fatalf("unexpected settings %+v", s)
	}
	table := config.Table(config.Describe(&s))
	for _, name := range []string{"HTTP_ADDR", "PARTNERSHIP_ADDR", "NETWORK_ADDR", "FINANCE_ADDR", "REPORTING_ADDR", "LOG_LEVEL", "MAX_BODY_BYTES", "UPSTREAM_TIMEOUT", "SHUTDOWN_TIMEOUT"} {
		if !strings.Contains(table, "`"+name+"`") {
			t.Errorf("env table lacks %s", name)
		}
	}
}
