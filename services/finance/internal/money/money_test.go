package money

import (
	"errors"
	"math"
	"testing"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
)

func TestAddSubBoundaries(t *testing.T) {
	max, min := SEKOre(math.MaxInt64), SEKOre(math.MinInt64)
	tests := []struct {
		name    string
		op      func() (Amount, error)
		want    int64
		wantErr error
	}{
		{"add small", func() (Amount, error) { return SEKOre(150).Add(SEKOre(-50)) }, 100, nil},
		{"add to max", func() (Amount, error) { return SEKOre(math.MaxInt64 - 1).Add(SEKOre(1)) }, math.MaxInt64, nil},
		{"add past max", func() (Amount, error) { return max.Add(SEKOre(1)) }, 0, ErrOverflow},
		{"add past min", func() (Amount, error) { return min.Add(SEKOre(-1)) }, 0, ErrOverflow},
		{"add max and min", func() (Amount, error) { return max.Add(min) }, -1, nil},
		{"sub to min", func() (Amount, error) { return SEKOre(-1).Sub(max) }, math.MinInt64, nil},
		{"sub past min", func() (Amount, error) { return SEKOre(-2).Sub(max) }, 0, ErrOverflow},
		{"sub past max", func() (Amount, error) { return SEKOre(0).Sub(min) }, 0, ErrOverflow},
		{"sub min from min", func() (Amount, error) { return min.Sub(min) }, 0, nil},
		{"mixed currencies", func() (Amount, error) { return SEKOre(1).Add(Amount{1, "EUR"}) }, 0, ErrCurrencyMismatch},
		{"neg min", func() (Amount, error) { return min.Neg() }, 0, ErrOverflow},
		{"neg max", func() (Amount, error) { return max.Neg() }, -math.MaxInt64, nil},
		{"mul", func() (Amount, error) { return SEKOre(45000).Mul(12) }, 540000, nil},
		{"mul past max", func() (Amount, error) { return SEKOre(math.MaxInt64/2 + 1).Mul(2) }, 0, ErrOverflow},
		{"mul min by -1", func() (Amount, error) { return min.Mul(-1) }, 0, ErrOverflow},
		{"mul -1 by min", func() (Amount, error) { return SEKOre(-1).Mul(math.MinInt64) }, 0, ErrOverflow},
		{"sum", func() (Amount, error) { return Sum(SEK, SEKOre(1), SEKOre(2), SEKOre(3)) }, 6, nil},
		{"sum empty", func() (Amount, error) { return Sum(SEK) }, 0, nil},
		{"sum overflow", func() (Amount, error) { return Sum(SEK, max, SEKOre(1), SEKOre(-5)) }, 0, ErrOverflow},
		{"sum stray currency", func() (Amount, error) { return Sum(SEK, SEKOre(1), Amount{1, "USD"}) }, 0, ErrCurrencyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.op()
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Minor != tt.want {
				t.Fatalf("got %d, %v; want %d", got.Minor, err, tt.want)
			}
		})
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in, cur string
		sign    Sign
		want    int64
		reason  string
	}{
		{"1234.50", "SEK", Positive, 123450, ""},
		{"1234.5", "SEK", Positive, 123450, ""},
		{"1234", "SEK", Positive, 123400, ""},
		{"0.01", "SEK", Positive, 1, ""},
		{"007.10", "EUR", Positive, 710, ""},
		{"1000", "UGX", Positive, 1000, ""},
		{"1000.5", "UGX", Positive, 0, ReasonBadAmount},
		{"1234.505", "SEK", Positive, 0, ReasonBadAmount},
		{"0", "SEK", Positive, 0, ReasonBadAmount},
		{"0.00", "SEK", NonNegative, 0, ""},
		{"-5", "SEK", NonNegative, 0, ReasonBadAmount},
		{"-5.25", "SEK", AnySign, -525, ""},
		{"92233720368547758.07", "SEK", Positive, math.MaxInt64, ""},
		{"92233720368547758.08", "SEK", Positive, 0, ReasonOverflow},
		{"-92233720368547758.08", "SEK", AnySign, math.MinInt64, ""},
		{"-92233720368547758.09", "SEK", AnySign, 0, ReasonOverflow},
		{"99999999999999999999999", "SEK", Positive, 0, ReasonOverflow},
		{"1 234,50", "SEK", Positive, 0, ReasonBadAmount},
		{"+1", "SEK", Positive, 0, ReasonBadAmount},
		{"1e3", "SEK", Positive, 0, ReasonBadAmount},
		{"1.", "SEK", Positive, 0, ReasonBadAmount},
		{".5", "SEK", Positive, 0, ReasonBadAmount},
		{"", "SEK", Positive, 0, ReasonBadAmount},
		{"-", "SEK", AnySign, 0, ReasonBadAmount},
		{"10", "XXX", Positive, 0, ReasonUnknownCurrency},
		{"10", "sek", Positive, 0, ReasonUnknownCurrency},
	}
	for _, tt := range tests {
		got, err := ParseDecimal(tt.in, tt.cur, tt.sign)
		if tt.reason != "" {
			var e *Error
			if !errors.As(err, &e) || e.Reason != tt.reason {
				t.Errorf("ParseDecimal(%q, %s) err = %v, want reason %s", tt.in, tt.cur, err, tt.reason)
			}
			continue
		}
		if err != nil || got != (Amount{tt.want, tt.cur}) {
			t.Errorf("ParseDecimal(%q, %s) = %v, %v; want %d", tt.in, tt.cur, got, err, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		a    Amount
		want string
	}{
		{SEKOre(123450), "1 234,50 SEK"},
		{SEKOre(5), "0,05 SEK"},
		{SEKOre(0), "0,00 SEK"},
		{SEKOre(-100000000), "-1 000 000,00 SEK"},
		{Amount{1000, "UGX"}, "1 000 UGX"},
		{Amount{12, "EUR"}, "0,12 EUR"},
		{SEKOre(math.MinInt64), "-92 233 720 368 547 758,08 SEK"},
	}
	for _, tt := range tests {
		if got := tt.a.Format(); got != tt.want {
			t.Errorf("Format(%d %s) = %q, want %q", tt.a.Minor, tt.a.Currency, got, tt.want)
		}
	}
	if got := SEKOre(-5).Decimal(); got != "-0.05" {
		t.Errorf("Decimal = %q", got)
	}
}

func TestToSEK(t *testing.T) {
	day := civil.Date{Year: 2026, Month: 3, Day: 2}
	tests := []struct {
		orig   Amount
		rate   string
		want   int64
		reason string
	}{
		{Amount{10000, "EUR"}, "11.2345", 112345, ""},          // 100 EUR
		{Amount{1, "EUR"}, "11.235", 11, ""},                   // 0.11235 SEK → 11.235 öre → 11
		{Amount{1, "EUR"}, "11.5", 12, ""},                     // exactly half: away from zero
		{Amount{-1, "EUR"}, "11.5", -12, ""},                   // and symmetric for refunds
		{Amount{1, "EUR"}, "11.499999", 11, ""},                // just below half
		{Amount{50000, "UGX"}, "0.002913", 14565, ""},          // 50 000 UGX → 145.65 SEK
		{Amount{1, "UGX"}, "0.000001", 0, ""},                  // rounds to nothing
		{Amount{1, "UGX"}, "0.005", 1, ""},                     // half an öre
		{SEKOre(999), "1", 999, ""},                            // SEK to itself
		{SEKOre(999), "1.1", 0, ReasonBadRate},                 // SEK only at 1
		{Amount{math.MaxInt64, "EUR"}, "2", 0, ReasonOverflow}, // past int64
		{Amount{math.MaxInt64, "EUR"}, "1", math.MaxInt64, ""}, // exactly at the edge
		{Amount{1, "XXX"}, "1", 0, ReasonUnknownCurrency},      // unknown currency
		{Amount{100, "USD"}, "999999.999999", 100000000, ""},   // the largest rate, 0.9999 öre short of a million
		{Amount{math.MinInt64 + 1, "EUR"}, "1", math.MinInt64 + 1, ""},
	}
	for _, tt := range tests {
		r, err := ParseRate(tt.rate)
		if err != nil {
			t.Fatalf("ParseRate(%q): %v", tt.rate, err)
		}
		c, err := ToSEK(tt.orig, r, day, "Riksbanken")
		if tt.reason != "" {
			var e *Error
			if !errors.As(err, &e) || e.Reason != tt.reason {
				t.Errorf("ToSEK(%v at %s) err = %v, want %s", tt.orig, tt.rate, err, tt.reason)
			}
			continue
		}
		if err != nil || c.SEK != SEKOre(tt.want) || c.Original != tt.orig || c.Source != "Riksbanken" || c.RateDate != day {
			t.Errorf("ToSEK(%v at %s) = %+v, %v; want %d öre", tt.orig, tt.rate, c, err, tt.want)
		}
	}
	r, _ := ParseRate("10")
	if _, err := ToSEK(Amount{1, "EUR"}, r, civil.Date{}, "ECB"); !errors.Is(err, ErrBadRate) {
		t.Errorf("missing date: %v", err)
	}
	if _, err := ToSEK(Amount{1, "EUR"}, r, day, " "); !errors.Is(err, ErrBadRate) {
		t.Errorf("missing source: %v", err)
	}
	if _, err := ToSEK(Amount{1, "EUR"}, Rate{}, day, "ECB"); !errors.Is(err, ErrBadRate) {
		t.Errorf("zero rate: %v", err)
	}
}

func TestParseRate(t *testing.T) {
	good := map[string]int64{"11.2345": 11234500, "0.000001": 1, "1": 1000000, "999999.999999": 999999999999, "0012.5": 12500000}
	for in, want := range good {
		r, err := ParseRate(in)
		if err != nil || r.Micros() != want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", in, r.Micros(), err, want)
		}
		back, err := ParseRate(r.String())
		if err != nil || back != r {
			t.Errorf("ParseRate(String()) of %q = %v, %v", in, back, err)
		}
	}
	for _, in := range []string{"0", "0.000000", "-1", "1.0000001", "1000000", "", ".5", "1.", "1,5", "1e2", "+1"} {
		if _, err := ParseRate(in); !errors.Is(err, ErrBadRate) {
			t.Errorf("ParseRate(%q) err = %v, want a bad rate", in, err)
		}
	}
	if _, err := RateFromMicros(0); err == nil {
		t.Error("RateFromMicros(0) accepted")
	}
}

func TestInvalidNamesField(t *testing.T) {
	_, err := ParseDecimal("abc", SEK, Positive)
	var inv *fault.Invalid
	if !errors.As(Invalid(err, "lines[0].amount"), &inv) || inv.Violations[0].Field != "lines[0].amount" || inv.Reason != ReasonBadAmount {
		t.Fatalf("Invalid = %#v", inv)
	}
	if Invalid(nil, "x") != nil {
		t.Fatal("Invalid(nil) is not nil")
	}
}
