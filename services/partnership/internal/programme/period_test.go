package programme

import (
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

func TestPeriodContains(t *testing.T) {
	closed := per("2025-02-15", "2025-03-15")
	open := per("2010-01-01", "")
	tests := []struct {
		p    Period
		on   string
		want bool
	}{
		{closed, "2025-02-15", true}, // first day
		{closed, "2025-03-15", true}, // last day
		{closed, "2025-03-01", true},
		{closed, "2025-02-14", false},
		{closed, "2025-03-16", false}, // the day after
		{open, "2009-12-31", false},
		{open, "2010-01-01", true},
		{open, "2200-12-31", true},
		{per("2025-05-01", "2025-05-01"), "2025-05-01", true}, // a one-day period
	}
	for _, tt := range tests {
		if got := tt.p.Contains(d(t, tt.on)); got != tt.want {
			t.Errorf("%s Contains %s = %v; want %v", tt.p, tt.on, got, tt.want)
		}
	}
	if open.Contains(Date{}) {
		t.Error("no period contains the zero Date")
	}
}

func TestPeriodOverlaps(t *testing.T) {
	tests := []struct {
		name string
		a, b Period
		want bool
	}{
		{"touching: To == other From", per("2025-01-01", "2025-06-30"), per("2025-06-30", "2025-12-31"), true},
		{"consecutive days", per("2025-01-01", "2025-06-30"), per("2025-07-01", "2025-12-31"), false},
		{"apart", per("2025-01-01", "2025-01-31"), per("2025-03-01", "2025-03-31"), false},
		{"one inside the other", per("2025-01-01", "2025-12-31"), per("2025-03-01", "2025-03-31"), true},
		{"identical", per("2025-01-01", "2025-12-31"), per("2025-01-01", "2025-12-31"), true},
		{"one-day periods, same day", per("2025-05-01", "2025-05-01"), per("2025-05-01", "2025-05-01"), true},
		{"one-day periods, next day", per("2025-05-01", "2025-05-01"), per("2025-05-02", "2025-05-02"), false},
		{"both open-ended", per("2010-01-01", ""), per("2030-01-01", ""), true},
		{"open-ended after a closed one", per("2010-01-01", "2022-12-31"), per("2023-01-01", ""), false},
		{"open-ended touching a closed one", per("2010-01-01", "2022-12-31"), per("2022-12-31", ""), true},
		{"open-ended starting before a closed one", per("2000-01-01", ""), per("2010-01-01", "2011-01-01"), true},
		{"closed one before an open-ended one", per("2000-01-01", "2009-12-31"), per("2010-01-01", ""), false},
	}
	for _, tt := range tests {
		if got := tt.a.Overlaps(tt.b); got != tt.want {
			t.Errorf("%s: %s Overlaps %s = %v; want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
		if got := tt.b.Overlaps(tt.a); got != tt.want {
			t.Errorf("%s (swapped): %s Overlaps %s = %v; want %v", tt.name, tt.b, tt.a, got, tt.want)
		}
	}
}

func TestPeriodString(t *testing.T) {
	for _, tt := range []struct {
		p    Period
		want string
	}{
		{per("2025-02-15", "2025-03-15"), "2025-02-15 to 2025-03-15"},
		{per("2010-01-01", ""), "from 2010-01-01"},
		{Period{}, ""},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String = %q; want %q", got, tt.want)
		}
	}
}

func TestPeriodValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Period
		want map[string]string
	}{
		{"closed", per("2025-01-01", "2025-12-31"), nil},
		{"open-ended", per("2025-01-01", ""), nil},
		{"one day", per("2025-01-01", "2025-01-01"), nil},
		{"no start", per("", "2025-12-31"), map[string]string{"from": "enter the first day"}},
		{"ends before it starts", per("2025-02-01", "2025-01-31"),
			map[string]string{"to": "the last day 2025-01-31 is before the first day 2025-02-01"}},
		{"not calendar dates", Period{From: Date{Year: 2025, Month: 2, Day: 30}, To: Date{Year: 2025, Month: 13, Day: 1}},
			map[string]string{"from": "2025-02-30 is not a calendar date", "to": "2025-13-01 is not a calendar date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { faulttest.Invalid(t, tt.p.Validate("from", "to"), tt.want) })
	}
}
