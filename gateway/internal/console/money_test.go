package console

import (
	"math"
	"testing"
)

// Amounts are shown from integer öre in each language's own style.
func TestFormatSEK(t *testing.T) {
	for _, tc := range []struct {
		ore    int64
		sv, en string
	}{
		{123450, "1\u00a0234,50\u00a0kr", "SEK\u00a01,234.50"},
		{0, "0,00\u00a0kr", "SEK\u00a00.00"},
		{5, "0,05\u00a0kr", "SEK\u00a00.05"},
		{100000000, "1\u00a0000\u00a0000,00\u00a0kr", "SEK\u00a01,000,000.00"},
		{-1250, "-12,50\u00a0kr", "-SEK\u00a012.50"},
		{math.MinInt64, "-92\u00a0233\u00a0720\u00a0368\u00a0547\u00a0758,08\u00a0kr", "-SEK\u00a092,233,720,368,547,758.08"},
	} {
		if got := formatSEK(swedish, tc.ore); got != tc.sv {
			t.Errorf("sv %d: %q, want %q", tc.ore, got, tc.sv)
		}
		if got := formatSEK(english, tc.ore); got != tc.en {
			t.Errorf("en %d: %q, want %q", tc.ore, got, tc.en)
		}
	}
}

// What a person types in kronor is read exactly to öre, or refused; never guessed at.
func TestParseKronor(t *testing.T) {
	for in, want := range map[string]int64{
		"1234": 123400, "1234,5": 123450, "1234.50": 123450, "1 234,50": 123450, "1\u00a0234,50 kr": 123450,
		"SEK 0.10": 10, "0,01": 1, " 12500,00 ": 1250000, "0": 0, "9999999999999,99": 999999999999999,
	} {
		if got, ok := parseKronor(in); !ok || got != want {
			t.Errorf("parseKronor(%q) = %d, %t; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "1,234.50", "1,234", "12,345", "-5", "+5", "1.", ",5", "1e3", "0x10",
		"1.2.3", "99999999999999", "٣"} {
		if got, ok := parseKronor(in); ok {
			t.Errorf("parseKronor(%q) = %d, want a refusal", in, got)
		}
	}
	for _, ore := range []int64{0, 1, 99, 100, 123456789} {
		for _, l := range languages {
			if got, ok := parseKronor(formatKronorInput(l, ore)); !ok || got != ore {
				t.Errorf("%s: %d shown as %q reads back as %d", l, ore, formatKronorInput(l, ore), got)
			}
		}
	}
}

// Whatever a person types, parseKronor answers an amount it can show again exactly, or a refusal; it never
// panics and never answers a negative amount.
func FuzzParseKronor(f *testing.F) {
	for _, s := range []string{"1234", "1 234,50 kr", "SEK 0.10", "abc", "1,234.50", "-5", "9999999999999,99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ore, ok := parseKronor(s)
		if !ok {
			return
		}
		if ore < 0 {
			t.Fatalf("%q read as %d", s, ore)
		}
		if back, ok := parseKronor(formatKronorInput(english, ore)); !ok || back != ore {
			t.Fatalf("%q read as %d, shown as %q, read back as %d", s, ore, formatKronorInput(english, ore), back)
		}
	})
}
