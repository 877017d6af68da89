package service

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/config"
)

// TestREADMEListsEverySetting keeps the README's settings table honest: every variable a service reads must
// be documented there with its default.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	settings := DefaultSettings(Spec{Name: "partnership", GRPCPort: 9091})
	for _, v := range config.Describe(&settings) {
		row := "| `" + v.Name + "` | `"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md does not list %s (run `partnership env` for the table)", v.Name)
		}
	}
}

func TestAuthSettingsKeepDevelopmentToEdDSA(t *testing.T) {
	if cfg := DefaultAuthSettings().Config(); cfg.Mode != "development" || cfg.Algorithms != nil {
		t.Fatalf("development config %+v", cfg)
	}
	oidc := DefaultAuthSettings()
	oidc.Mode = "oidc"
	if cfg := oidc.Config(); len(cfg.Algorithms) != 3 {
		t.Fatalf("oidc algorithms %v", cfg.Algorithms)
	}
}

func TestSettingsThatWouldLoseIdempotencyAreRefused(t *testing.T) {
	s := DefaultSettings(Spec{Name: "partnership", GRPCPort: 9091})
	if err := s.validate(); err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
	for _, ttl := range []time.Duration{0, -time.Hour, time.Minute} {
		s.IdempotencyTTL = ttl
		if err := s.validate(); err == nil || !strings.Contains(err.Error(), "IDEMPOTENCY_KEY_TTL") {
			t.Errorf("IDEMPOTENCY_KEY_TTL=%v: %v, want a refusal naming it", ttl, err)
		}
	}
}
