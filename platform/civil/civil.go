// Package civil is the calendar date every Partnerskap service uses for days in Swedish administration:
// cohort starts, eligibility periods, application windows, visits. A day carries no clock, so dates compare
// without time-zone surprises; "today" is the day it is in Sweden.
package civil

import (
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // DateOf must know Swedish time even on a host without a zoneinfo database.

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Years ParseDate accepts. The programme began long after 1900 and plans nothing for 2200; outside this range
// a date is a typing mistake (0221, 20211), not a plan.
const (
	MinYear = 1900
	MaxYear = 2200
)

// Date is a calendar date (no time zone). The zero Date stands for "no date": an open end of a period, a
// missing field.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// stockholm is where ICLD decides, so "today" is the date in Sweden. The tzdata import makes LoadLocation
// succeed everywhere; UTC is only a last resort that keeps DateOf total.
var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// ParseDate reads a date written as YYYY-MM-DD, nothing else: other forms (1/3/2021, 2021-3-1) mean different
// days to different readers. It accepts only real calendar dates with years MinYear..MaxYear. Errors are
// sentences for the person who typed the date; the caller names the field (see ParseDateField).
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, errors.New("enter a date as YYYY-MM-DD, e.g. 2021-03-01")
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%s is not a date in the form YYYY-MM-DD, e.g. 2021-03-01", prose.Quote(s))
	}
	y, okY := digits(s[0:4])
	m, okM := digits(s[5:7])
	d, okD := digits(s[8:10])
	if !okY || !okM || !okD {
		return Date{}, fmt.Errorf("%s is not a date in the form YYYY-MM-DD, e.g. 2021-03-01", prose.Quote(s))
	}
	switch {
	case y < MinYear || y > MaxYear:
		return Date{}, fmt.Errorf("the year %d in %s is outside %d to %d", y, s, MinYear, MaxYear)
	case m < 1 || m > 12:
		return Date{}, fmt.Errorf("%s has no month %02d; months run from 01 to 12", s, m)
	case d < 1:
		return Date{}, fmt.Errorf("%s is not a date: days start at 01", s)
	case d > daysIn(y, time.Month(m)):
		return Date{}, fmt.Errorf("%s is not a date: %s %d has %d days", s, time.Month(m), y, daysIn(y, time.Month(m)))
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, nil
}

// ParseDateField is ParseDate for a request field: a failure is a *fault.Invalid naming field, ready to
// return to the client.
func ParseDateField(s, field string) (Date, error) {
	d, err := ParseDate(s)
	if err != nil {
		return Date{}, fault.InvalidField(field, err.Error())
	}
	return d, nil
}

// ParseOptionalDateField is ParseDateField for a date that may be left out, such as the end of an
// open-ended period: an empty string is the zero Date and no error.
func ParseOptionalDateField(s, field string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	return ParseDateField(s, field)
}

// digits reads a fixed-width run of ASCII digits; strconv.Atoi would also take signs, letting "+1" or "-1"
// pass as a month.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn returns the number of days in a month, leap years included: day 0 of the next month is the last day
// of this one.
func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// DateOf returns the date of t in Europe/Stockholm: the day it was in Sweden, where ICLD takes its decisions,
// so "visits this year" and "months since start" turn over at Swedish midnight. The zero time gives the zero
// Date.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	return DateFromTime(t.In(stockholm))
}

// DateFromTime returns the calendar date t carries in its own location, without converting it: the right
// reading for values of SQL DATE columns, which drivers return as midnight UTC.
func DateFromTime(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Time returns midnight UTC at the start of d, for storing d in a DATE column; the zero Date gives the zero
// time.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// String writes d as YYYY-MM-DD, the form ParseDate reads; the zero Date is "" so that a missing date prints
// as nothing rather than as 0000-00-00.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date, which stands for "no date".
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date. Dates from ParseDate always are; Dates built by hand or
// read from storage are checked with it by the Validate methods.
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// Compare returns -1 if d is before o, 0 if they are the same day and +1 if d is after o. The zero Date sorts
// before every real date.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return sign(d.Year - o.Year)
	case d.Month != o.Month:
		return sign(int(d.Month) - int(o.Month))
	}
	return sign(d.Day - o.Day)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// AddMonths moves d by n calendar months, keeping the day of the month where it exists and otherwise taking
// the month's last day (2021-01-31 + 1 month = 2021-02-28), which is how people count "one month later".
// time.AddDate would roll over into March instead. The zero Date stays zero.
func (d Date) AddMonths(n int) Date {
	if d.IsZero() {
		return d
	}
	total := d.Year*12 + int(d.Month-1) + n
	y, m := total/12, total%12
	if m < 0 { // Go's % keeps the dividend's sign; months before year 0 still need a month 0..11.
		y, m = y-1, m+12
	}
	month := time.Month(m + 1)
	return Date{Year: y, Month: month, Day: min(d.Day, daysIn(y, month))}
}

// AddDays moves d by n days (negative n moves back). The zero Date stays zero.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return DateFromTime(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
}

// DaysBetween returns the number of days from a to b: positive when b is later, negative when it is earlier,
// 0 on the same day. It counts through Unix seconds rather than time.Duration, which overflows after 292
// years. Both dates must be real dates; the zero Date has no place on the calendar.
func DaysBetween(a, b Date) int {
	return int((b.Time().Unix() - a.Time().Unix()) / 86400)
}

// MonthsBetween returns the whole calendar months from a to b: the largest n with a.AddMonths(n) not after
// b, so 2021-01-31 to 2021-02-28 is one month (AddMonths clamps to the month's end) and 2021-03-01 to
// 2021-03-31 is none. When b is before a the answer is -MonthsBetween(b, a), so swapping the dates only
// flips the sign. Both dates must be real dates.
func MonthsBetween(a, b Date) int {
	if b.Before(a) {
		return -MonthsBetween(b, a)
	}
	n := (b.Year-a.Year)*12 + int(b.Month) - int(a.Month)
	if a.AddMonths(n).After(b) { // b's day of the month comes before a's: the last month is not whole yet.
		n--
	}
	return n
}
