package config

import (
	"strings"
	"testing"
	"time"
)

type inner struct {
	Level string `env:"TEST_LEVEL" help:"log level"`
}

type settings struct {
	Addr    string        `env:"TEST_ADDR" help:"listen address"`
	Timeout time.Duration `env:"TEST_TIMEOUT" help:"how long"`
	Demo    bool          `env:"TEST_DEMO" help:"load demo data"`
	Size    int           `env:"TEST_SIZE" help:"pool size"`
	Algs    []string      `env:"TEST_ALGS" help:"algorithms"`
	Inner   inner
	//lint:ignore U1000 an unexported field Load must pass over; the test is that it does not fail on it
	ignored string
}

func TestLoadOverridesOnlySetVariables(t *testing.T) {
	t.Setenv("TEST_ADDR", ":1234")
	t.Setenv("TEST_TIMEOUT", "3s")
	t.Setenv("TEST_DEMO", "true")
	t.Setenv("TEST_ALGS", "RS256, ES256,")
	t.Setenv("TEST_LEVEL", "debug")
	s := settings{Addr: ":1", Size: 7}
	if err := Load(&s); err != nil {
		t.Fatal(err)
	}
	if s.Addr != ":1234" || s.Timeout != 3*time.Second || !s.Demo || s.Size != 7 || s.Inner.Level != "debug" {
		t.Fatalf("unexpected settings %+v", s)
	}
	if strings.Join(s.Algs, "|") != "RS256|ES256" {
		t.Fatalf("algs = %q", s.Algs)
	}
}

func TestLoadReportsEveryMalformedValue(t *testing.T) {
	t.Setenv("TEST_TIMEOUT", "soon")
	t.Setenv("TEST_SIZE", "many")
	err := Load(&settings{})
	if err == nil || !strings.Contains(err.Error(), "TEST_TIMEOUT") || !strings.Contains(err.Error(), "TEST_SIZE") {
		t.Fatalf("want both variables named, got %v", err)
	}
}

func TestDescribeUsesCurrentValuesAsDefaults(t *testing.T) {
	vars := Describe(&settings{Addr: ":9", Timeout: time.Minute})
	if len(vars) != 6 {
		t.Fatalf("want 6 variables, got %d", len(vars))
	}
	if vars[0].Name != "TEST_ADDR" || vars[0].Default != ":9" || vars[1].Default != "1m0s" {
		t.Fatalf("unexpected %+v", vars[:2])
	}
	if !strings.Contains(Table(vars), "| `TEST_LEVEL` | `(empty)` | log level |") {
		t.Fatalf("table:\n%s", Table(vars))
	}
}
