package money

import (
	"strings"
	"testing"
)

// FuzzParseDecimal checks that whatever is typed, the parser either refuses it or returns an amount whose
// decimal form parses back to the same amount.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1234.50", "0", "-0.01", "92233720368547758.07", "-92233720368547758.08", "1.234", "", "-", "1e9", "000.10"} {
		f.Add(s, "SEK")
	}
	f.Add("1000", "UGX")
	f.Fuzz(func(t *testing.T, s, cur string) {
		a, err := ParseDecimal(s, cur, AnySign)
		if err != nil {
			return
		}
		back, err := ParseDecimal(a.Decimal(), cur, AnySign)
		if err != nil || back != a {
			t.Fatalf("%q → %v → %q → %v, %v", s, a, a.Decimal(), back, err)
		}
		if strings.Contains(a.Format(), ".") {
			t.Fatalf("Format %q has a point", a.Format())
		}
	})
}

// FuzzParseRate checks that an accepted rate is above nought and survives its own String form.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"11.2345", "0.000001", "999999.999999", "0", "1.0000001", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if r.Micros() <= 0 {
			t.Fatalf("%q accepted as %d", s, r.Micros())
		}
		back, err := ParseRate(r.String())
		if err != nil || back != r {
			t.Fatalf("%q → %s → %v, %v", s, r, back, err)
		}
	})
}
