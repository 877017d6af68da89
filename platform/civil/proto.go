package civil

import (
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// FromProto reads a google.type.Date request field; unset (nil or all zeros) is the zero Date. A date that is
// not on the calendar (2025-02-30, month 13), or whose year is outside MinYear to MaxYear as ParseDate's are,
// is refused as a *fault.Invalid on field.
func FromProto(field string, d *date.Date) (Date, error) {
	if d == nil || (d.Year == 0 && d.Month == 0 && d.Day == 0) {
		return Date{}, nil
	}
	out := Date{Year: int(d.Year), Month: time.Month(d.Month), Day: int(d.Day)}
	if !out.Valid() {
		return Date{}, fault.InvalidField(field, fmt.Sprintf("%04d-%02d-%02d is not a calendar date", d.Year, d.Month, d.Day))
	}
	if out.Year < MinYear || out.Year > MaxYear {
		return Date{}, fault.InvalidField(field, fmt.Sprintf("the year %d in %s is outside %d to %d", out.Year, out, MinYear, MaxYear))
	}
	return out, nil
}

// ToProto writes d as a google.type.Date; the zero Date is nil, so an unset date stays unset on the wire.
func ToProto(d Date) *date.Date {
	if d.IsZero() {
		return nil
	}
	return &date.Date{Year: int32(d.Year), Month: int32(d.Month), Day: int32(d.Day)}
}

// MaxSpanDays is the longest span of days SpanFromProto accepts: two years, as a request of deadlines may ask.
const MaxSpanDays = 2*366 + 1

// SpanFromProto reads a request's span of days, fields "from" and "to": both given, the last not before the
// first, at most MaxSpanDays apart. A fault names the field.
func SpanFromProto(from, to *date.Date) (Date, Date, error) {
	first, err := FromProto("from", from)
	if err != nil {
		return Date{}, Date{}, err
	}
	last, err := FromProto("to", to)
	if err != nil {
		return Date{}, Date{}, err
	}
	switch {
	case first.IsZero():
		return Date{}, Date{}, fault.InvalidField("from", "give the first day, as YYYY-MM-DD")
	case last.IsZero():
		return Date{}, Date{}, fault.InvalidField("to", "give the last day, as YYYY-MM-DD")
	case last.Before(first):
		return Date{}, Date{}, fault.InvalidField("to", fmt.Sprintf("%s is before %s", last, first))
	case DaysBetween(first, last) > MaxSpanDays:
		return Date{}, Date{}, fault.InvalidField("to", "ask for at most two years at a time")
	}
	return first, last, nil
}
