package gateway

import (
	"context"
	"net"
	"net/http"
	"os"
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
	s.RateLimitWritesBurst, s.TrustedProxies = 0, []string{"proxy.example"}
	_, _, err := NewHandler(context.Background(), s)
	for _, name := range []string{"MAX_BODY_BYTES", "UPSTREAM_TIMEOUT", "RATE_LIMIT_", "writes burst", "TRUSTED_PROXIES"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Fatalf("want every problem reported, %s among them, got %v", name, err)
		}
	}
}

func TestSettingsComeFromTheEnvironment(t *testing.T) {
	t.Setenv("HTTP_ADDR", "0.0.0.0:9999")
	t.Setenv("MAX_BODY_BYTES", "2048")
	t.Setenv("UPSTREAM_TIMEOUT", "5s")
	t.Setenv("RATE_LIMIT_WRITES", "0")
	t.Setenv("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")
	s := DefaultSettings()
	if err := config.Load(&s); err != nil {
		t.Fatal(err)
	}
	if s.HTTPAddr != "0.0.0.0:9999" || s.MaxBodyBytes != 2048 || s.UpstreamTimeout != 5*time.Second || s.NetworkAddr != "127.0.0.1:9092" ||
		s.RateLimitWrites != 0 || s.RateLimitReads != 50 || len(s.TrustedProxies) != 2 {
		t.Fatalf("unexpected settings %+v", s)
	}
	table := config.Table(config.Describe(&s))
	for _, name := range []string{"HTTP_ADDR", "PARTNERSHIP_ADDR", "NETWORK_ADDR", "FINANCE_ADDR", "REPORTING_ADDR", "LOG_LEVEL", "MAX_BODY_BYTES", "UPSTREAM_TIMEOUT", "SHUTDOWN_TIMEOUT", "RATE_LIMIT_READS", "TRUSTED_PROXIES"} {
		if !strings.Contains(table, "`"+name+"`") {
			t.Errorf("env table lacks %s", name)
		}
	}
}

// TestREADMEListsEverySetting keeps the README's gateway table honest: every variable the gateway reads is
// there, with its default as `gateway env` prints it.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	for _, row := range strings.Split(config.Table(config.Describe(&s)), "\n")[2:] {
		name, def, _ := strings.Cut(strings.TrimPrefix(row, "| "), " | ")
		def, _, _ = strings.Cut(def, " | ")
		if row != "" && !strings.Contains(string(readme), "| "+name+" | "+def+" |") {
			t.Errorf("README.md does not list %s with the default %s (run `gateway env` for the table)", name, def)
		}
	}
}
