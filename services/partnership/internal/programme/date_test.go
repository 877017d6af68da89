package programme

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr string
	}{
		{in: "2025-03-01", want: Date{2025, time.March, 1}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}}, // leap year
		{in: "2000-02-29", want: Date{2000, time.February, 29}}, // divisible by 400: leap
		{in: "1900-01-01", want: Date{1900, time.January, 1}},
		{in: "2200-12-31", want: Date{2200, time.December, 31}},
		{in: "2025-02-29", wantErr: "February 2025 has 28 days"},
		{in: "1900-02-29", wantErr: "February 1900 has 28 days"}, // divisible by 100, not 400: no leap day
		{in: "2025-02-30", wantErr: "is not a date"},
		{in: "2025-04-31", wantErr: "April 2025 has 30 days"},
		{in: "2025-13-01", wantErr: "has no month 13"},
		{in: "2025-00-10", wantErr: "has no month 00"},
		{in: "2025-01-00", wantErr: "days start at 01"},
		{in: "1899-12-31", wantErr: "outside 1900 to 2200"},
		{in: "2201-01-01", wantErr: "outside 1900 to 2200"},
		{in: "0225-01-01", wantErr: "outside 1900 to 2200"},
		{in: "", wantErr: "enter a date"},
		{in: "2025-3-1", wantErr: "form YYYY-MM-DD"},
		{in: "1/3/2025", wantErr: "form YYYY-MM-DD"},
		{in: "2025/03/01", wantErr: "form YYYY-MM-DD"},
		{in: " 2025-03-01", wantErr: "form YYYY-MM-DD"},
		{in: "2025-03-01T00:00:00Z", wantErr: "form YYYY-MM-DD"},
		{in: "+025-03-01", wantErr: "form YYYY-MM-DD"},
		{in: "2025-+3-01", wantErr: "form YYYY-MM-DD"},
		{in: "２025-03-01", wantErr: "form YYYY-MM-DD"}, // full-width digit
		{in: strings.Repeat("x", 500), wantErr: "…"},   // long input is cut short in the message
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !got.IsZero() {
				t.Errorf("ParseDate(%q) = %v, %v; want zero and error containing %q", tt.in, got, err, tt.wantErr)
			}
			if err != nil && len(err.Error()) > 200 {
				t.Errorf("ParseDate(%q) error is %d bytes long", tt.in, len(err.Error()))
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDateField(t *testing.T) {
	_, err := ParseDateField("2025-02-30", "visit.start_date")
	checkInvalid(t, err, map[string]string{"visit.start_date": "February 2025 has 28 days"})
	got, err := ParseDateField("2025-02-28", "visit.start_date")
	checkInvalid(t, err, nil)
	if got != (Date{2025, time.February, 28}) {
		t.Errorf("got %v", got)
	}
	got, err = ParseOptionalDateField("", "period.valid_to")
	if err != nil || !got.IsZero() {
		t.Errorf("ParseOptionalDateField(\"\") = %v, %v; want zero, nil", got, err)
	}
	_, err = ParseOptionalDateField("31-12-2025", "period.valid_to")
	checkInvalid(t, err, map[string]string{"period.valid_to": "form YYYY-MM-DD"})
}

func TestDateOf(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2025-03-01T22:59:59Z", "2025-03-01"}, // winter: UTC+1
		{"2025-03-01T23:00:00Z", "2025-03-02"},
		{"2025-06-30T21:59:59Z", "2025-06-30"}, // summer: UTC+2
		{"2025-06-30T22:00:00Z", "2025-07-01"},
		{"2025-12-31T23:30:00Z", "2026-01-01"},
		{"2025-03-02T00:30:00+05:00", "2025-03-01"}, // an offset elsewhere is converted, not read literally
	}
	for _, tt := range tests {
		ts, err := time.Parse(time.RFC3339, tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := DateOf(ts).String(); got != tt.want {
			t.Errorf("DateOf(%s) = %s; want %s", tt.in, got, tt.want)
		}
	}
	if got := DateOf(time.Time{}); !got.IsZero() {
		t.Errorf("DateOf(zero) = %v; want the zero Date", got)
	}
}

func TestDateFromTimeAndTime(t *testing.T) {
	day := Date{2024, time.February, 29}
	if got := DateFromTime(day.Time()); got != day {
		t.Errorf("DateFromTime(Time()) = %v; want %v", got, day)
	}
	if !day.Time().Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time() = %v", day.Time())
	}
	if !(Date{}).Time().IsZero() || !DateFromTime(time.Time{}).IsZero() {
		t.Error("zero Date and zero time must map to each other")
	}
}

func TestDateStringAndValid(t *testing.T) {
	if got := (Date{}).String(); got != "" {
		t.Errorf("zero Date String = %q; want empty", got)
	}
	if got := (Date{2025, time.March, 1}).String(); got != "2025-03-01" {
		t.Errorf("String = %q", got)
	}
	for _, tt := range []struct {
		d    Date
		want bool
	}{
		{Date{2024, 2, 29}, true},
		{Date{2025, 2, 29}, false},
		{Date{2025, 13, 1}, false},
		{Date{2025, 0, 1}, false},
		{Date{2025, 1, 0}, false},
		{Date{}, false},
	} {
		if got := tt.d.Valid(); got != tt.want {
			t.Errorf("%+v.Valid() = %v; want %v", tt.d, got, tt.want)
		}
	}
}

func TestDateCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2025-03-01", "2025-03-01", 0},
		{"2025-03-01", "2025-03-02", -1},
		{"2025-03-01", "2025-02-28", 1},
		{"2024-12-31", "2025-01-01", -1},
		{"2025-10-01", "2025-09-30", 1},
	}
	for _, tt := range tests {
		a, b := d(t, tt.a), d(t, tt.b)
		if got := a.Compare(b); got != tt.want {
			t.Errorf("%s.Compare(%s) = %d; want %d", a, b, got, tt.want)
		}
		if got := b.Compare(a); got != -tt.want {
			t.Errorf("%s.Compare(%s) = %d; want %d", b, a, got, -tt.want)
		}
		if a.Before(b) != (tt.want < 0) || a.After(b) != (tt.want > 0) {
			t.Errorf("Before/After disagree with Compare for %s, %s", a, b)
		}
	}
	if !(Date{}).Before(d(t, "1900-01-01")) {
		t.Error("the zero Date must sort before every real date")
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2025-01-31", 1, "2025-02-28"}, // month end clamps
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2025-03-31", 1, "2025-04-30"},
		{"2025-03-31", -1, "2025-02-28"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2025-12-15", 1, "2026-01-15"},
		{"2025-01-15", -1, "2024-12-15"},
		{"2025-01-15", -13, "2023-12-15"},
		{"2025-03-01", 12, "2026-03-01"},
		{"2025-03-01", 36, "2028-03-01"},
		{"2025-03-01", 0, "2025-03-01"},
		{"2025-08-31", 6, "2026-02-28"},
	}
	for _, tt := range tests {
		if got := d(t, tt.from).AddMonths(tt.n).String(); got != tt.want {
			t.Errorf("%s.AddMonths(%d) = %s; want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if got := (Date{}).AddMonths(5); !got.IsZero() {
		t.Errorf("zero.AddMonths = %v; want zero", got)
	}
}

func TestAddDays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2024-02-28", 1, "2024-02-29"},
		{"2025-02-28", 1, "2025-03-01"},
		{"2025-12-31", 1, "2026-01-01"},
		{"2025-01-01", -1, "2024-12-31"},
		{"2024-01-01", 366, "2025-01-01"},
		{"2025-03-15", 0, "2025-03-15"},
	}
	for _, tt := range tests {
		if got := d(t, tt.from).AddDays(tt.n).String(); got != tt.want {
			t.Errorf("%s.AddDays(%d) = %s; want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if got := (Date{}).AddDays(1); !got.IsZero() {
		t.Errorf("zero.AddDays = %v; want zero", got)
	}
	if n := d(t, "1900-01-01").daysFrom(d(t, "2200-12-31")); n != 109937 {
		t.Errorf("daysFrom over three centuries = %d", n)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-03-01", "2024-02-29", "2025-02-29", "1900-01-01", "2200-12-31", "0000-00-00",
		"", "2025-3-1", "-025-03-01", "2025-1a-01", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6", "９９９９-99-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s)
		if err != nil {
			if !got.IsZero() || err.Error() == "" {
				t.Fatalf("ParseDate(%q) = %v, %v: an error must come with the zero Date and a message", s, got, err)
			}
			return
		}
		if !got.Valid() || got.Year < MinYear || got.Year > MaxYear {
			t.Fatalf("ParseDate(%q) = %+v: not a calendar date in range", s, got)
		}
		if got.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q: does not round-trip", s, got.String())
		}
		if back := DateFromTime(got.Time()); back != got {
			t.Fatalf("%v via time.Time = %v", got, back)
		}
	})
}
