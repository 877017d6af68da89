package store

import (
	"time"

	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// PostgreSQL dates travel through pgx as time.Time at midnight UTC; these convert them to and from the
// domain's calendar dates, with a NULL end standing for an open-ended period.

func dateValue(d programme.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func dateOf(t time.Time) programme.Date {
	return programme.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

func nullableDate(d programme.Date) *time.Time {
	if d.IsZero() {
		return nil
	}
	t := dateValue(d)
	return &t
}

func dateOfNullable(t *time.Time) programme.Date {
	if t == nil {
		return programme.Date{}
	}
	return dateOf(*t)
}
