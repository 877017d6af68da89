package civil

import (
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	"github.com/partnerskap/partnerskap/platform/fault"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr string
	}{
		{in: "2021-03-01", want: Date{2021, time.March, 1}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}}, // leap year
		{in: "2000-02-29", want: Date{2000, time.February, 29}}, // divisible by 400: leap
		{in: "1900-01-01", want: Date{1900, time.January, 1}},
		{in: "2200-12-31", want: Date{2200, time.December, 31}},
		{in: "2021-02-29", wantErr: "February 2021 has 28 days"},
		{in: "1900-02-29", wantErr: "February 1900 has 28 days"}, // divisible by 100, not 400: no leap day
		{in: "2021-04-31", wantErr: "April 2021 has 30 days"},
		{in: "2021-13-01", wantErr: "has no month 13"},
		{in: "2021-00-10", wantErr: "has no month 00"},
		{in: "2021-01-00", wantErr: "days start at 01"},
		{in: "1899-12-31", wantErr: "outside 1900 to 2200"},
		{in: "2201-01-01", wantErr: "outside 1900 to 2200"},
		{in: "", wantErr: "enter a date"},
		{in: "2021-3-1", wantErr: "form YYYY-MM-DD"},
		{in: "1/3/2021", wantErr: "form YYYY-MM-DD"},
		{in: "2021/03/01", wantErr: "form YYYY-MM-DD"},
		{in: " 2021-03-01", wantErr: "form YYYY-MM-DD"},
		{in: "2021-03-01T00:00:00Z", wantErr: "form YYYY-MM-DD"},
		{in: "+021-03-01", wantErr: "form YYYY-MM-DD"},
		{in: "2021--3-01", wantErr: "form YYYY-MM-DD"},
		{in: "２021-03-01", wantErr: "form YYYY-MM-DD"}, // full-width digit
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
	_, err := ParseDateField("2021-02-30", "network.cohort_start")
	var invalid *fault.Invalid
	if !errors.As(err, &invalid) || invalid.Violations[0].Field != "network.cohort_start" || !strings.Contains(invalid.Violations[0].Description, "February 2021 has 28 days") {
		t.Fatalf("got %v", err)
	}
	got, err := ParseDateField("2021-02-28", "network.cohort_start")
	if err != nil {
		t.Fatal(err)
	}
	if empty, err := ParseOptionalDateField("", "x"); err != nil || !empty.IsZero() {
		t.Fatalf("an optional empty date: %v %v", empty, err)
	}
	if got != (Date{2021, time.February, 28}) {
		t.Errorf("got %v", got)
	}
}

func TestDateOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2021-03-01T22:59:59Z", "2021-03-01"}, // winter: UTC+1
		{"2021-03-01T23:00:00Z", "2021-03-02"},
		{"2021-06-30T21:59:59Z", "2021-06-30"}, // summer: UTC+2
		{"2021-06-30T22:00:00Z", "2021-07-01"},
		{"2021-12-31T23:30:00Z", "2022-01-01"}, // a new year, and new visit counts, at Swedish midnight
		{"2021-03-02T00:30:00+05:00", "2021-03-01"},
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
	if !DateOf(time.Time{}).IsZero() {
		t.Error("DateOf(zero time) must be the zero Date")
	}
}

func TestDateTimeRoundTripAndString(t *testing.T) {
	day := Date{2024, time.February, 29}
	if got := DateFromTime(day.Time()); got != day {
		t.Errorf("DateFromTime(Time()) = %v; want %v", got, day)
	}
	if !(Date{}).Time().IsZero() || !DateFromTime(time.Time{}).IsZero() {
		t.Error("the zero Date and the zero time must map to each other")
	}
	if (Date{}).String() != "" || day.String() != "2024-02-29" {
		t.Errorf("String: %q, %q", (Date{}).String(), day.String())
	}
	for _, tt := range []struct {
		d    Date
		want bool
	}{
		{Date{2024, 2, 29}, true}, {Date{2021, 2, 29}, false}, {Date{2021, 13, 1}, false},
		{Date{2021, 0, 1}, false}, {Date{2021, 1, 0}, false}, {Date{}, false},
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
		{"2021-03-01", "2021-03-01", 0},
		{"2021-03-01", "2021-03-02", -1},
		{"2021-03-01", "2021-02-28", 1},
		{"2020-12-31", "2021-01-01", -1},
		{"2021-10-01", "2021-09-30", 1},
	}
	for _, tt := range tests {
		a, b := d(t, tt.a), d(t, tt.b)
		if a.Compare(b) != tt.want || b.Compare(a) != -tt.want {
			t.Errorf("%s.Compare(%s) = %d; want %d", a, b, a.Compare(b), tt.want)
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
		{"2021-01-31", 1, "2021-02-28"}, // month end clamps
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2021-03-31", 1, "2021-04-30"},
		{"2021-03-31", -1, "2021-02-28"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"}, // four years on from a leap day is a leap day again
		{"2021-12-15", 1, "2022-01-15"},
		{"2021-01-15", -1, "2020-12-15"},
		{"2021-01-15", -13, "2019-12-15"},
		{"2021-01-01", 48, "2025-01-01"},
		{"2021-03-01", 0, "2021-03-01"},
		{"2021-08-31", 6, "2022-02-28"},
	}
	for _, tt := range tests {
		if got := d(t, tt.from).AddMonths(tt.n).String(); got != tt.want {
			t.Errorf("%s.AddMonths(%d) = %s; want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if !(Date{}).AddMonths(5).IsZero() {
		t.Error("zero.AddMonths must stay zero")
	}
}

func TestAddDaysAndDaysBetween(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2024-02-28", 1, "2024-02-29"},
		{"2021-02-28", 1, "2021-03-01"},
		{"2021-12-31", 1, "2022-01-01"},
		{"2021-01-01", -1, "2020-12-31"},
		{"2024-01-01", 366, "2025-01-01"},
		{"2021-03-01", -31, "2021-01-29"},
		{"2021-03-15", 0, "2021-03-15"},
	}
	for _, tt := range tests {
		from := d(t, tt.from)
		got := from.AddDays(tt.n)
		if got.String() != tt.want {
			t.Errorf("%s.AddDays(%d) = %s; want %s", tt.from, tt.n, got, tt.want)
		}
		if n := DaysBetween(from, got); n != tt.n {
			t.Errorf("DaysBetween(%s, %s) = %d; want %d", from, got, n, tt.n)
		}
		if n := DaysBetween(got, from); n != -tt.n {
			t.Errorf("DaysBetween(%s, %s) = %d; want %d", got, from, n, -tt.n)
		}
	}
	if !(Date{}).AddDays(1).IsZero() {
		t.Error("zero.AddDays must stay zero")
	}
	if n := DaysBetween(d(t, "1900-01-01"), d(t, "2200-12-31")); n != 109937 {
		t.Errorf("DaysBetween over three centuries = %d", n)
	}
}

func TestMonthsBetween(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2021-03-01", "2021-03-01", 0},
		{"2021-03-01", "2021-03-31", 0},
		{"2021-03-01", "2021-04-01", 1},
		{"2021-03-15", "2021-04-14", 0},
		{"2021-03-15", "2021-04-15", 1},
		{"2021-01-31", "2021-02-27", 0},
		{"2021-01-31", "2021-02-28", 1}, // AddMonths clamps, so the end of February is a whole month on
		{"2024-01-31", "2024-02-28", 0}, // in a leap year it takes until the 29th
		{"2024-01-31", "2024-02-29", 1},
		{"2021-01-01", "2024-12-31", 47},
		{"2021-01-01", "2025-01-01", 48},
		{"2020-12-31", "2021-01-01", 0},
		{"2021-04-01", "2021-03-01", -1},
		{"2021-04-14", "2021-03-15", 0},
		{"2021-02-28", "2021-01-31", -1},
		{"2025-01-01", "2021-01-01", -48},
	}
	for _, tt := range tests {
		a, b := d(t, tt.a), d(t, tt.b)
		if got := MonthsBetween(a, b); got != tt.want {
			t.Errorf("MonthsBetween(%s, %s) = %d; want %d", a, b, got, tt.want)
		}
		if got := MonthsBetween(b, a); got != -tt.want {
			t.Errorf("MonthsBetween(%s, %s) = %d; want %d (swapping flips the sign)", b, a, got, -tt.want)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2021-03-01", "2024-02-29", "2021-02-29", "1900-01-01", "2200-12-31", "0000-00-00",
		"", "2021-3-1", "-021-03-01", "2021-1a-01", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6", "９９９９-99-99"} {
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
		// The arithmetic the rules build on must agree with itself on every date ParseDate accepts.
		if n := DaysBetween(got, got.AddDays(31)); n != 31 {
			t.Fatalf("DaysBetween(%v, +31 days) = %d", got, n)
		}
		if m := MonthsBetween(got, got.AddMonths(48)); m != 48 {
			t.Fatalf("MonthsBetween(%v, +48 months) = %d", got, m)
		}
	})
}

func d(t testing.TB, s string) Date {
	t.Helper()
	got, err := ParseDate(s)
	if err != nil {
		t.Fatalf("test date %q: %v", s, err)
	}
	return got
}

func TestProtoDates(t *testing.T) {
	d, err := FromProto("x", &date.Date{Year: 2024, Month: 2, Day: 29})
	if err != nil || d != (Date{2024, time.February, 29}) {
		t.Fatalf("FromProto(2024-02-29) = %v, %v", d, err)
	}
	if back := ToProto(d); back.GetYear() != 2024 || back.GetMonth() != 2 || back.GetDay() != 29 {
		t.Errorf("ToProto = %v", back)
	}
	for _, bad := range []*date.Date{{Year: 2025, Month: 2, Day: 29}, {Year: 2025, Month: 13, Day: 1}, {Year: 2025, Month: 1, Day: 0}, {Year: 221, Month: 1, Day: 1}, {Year: 20211, Month: 1, Day: 1}} {
		if _, err := FromProto("when", bad); err == nil {
			t.Errorf("FromProto(%v) accepted an impossible date", bad)
		}
	}
	if d, err := FromProto("x", nil); err != nil || !d.IsZero() {
		t.Errorf("nil gives %v, %v; want the zero date", d, err)
	}
	if ToProto(Date{}) != nil {
		t.Error("the zero date should be written as unset")
	}
}
