package store

import (
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// PostgreSQL dates travel through pgx as time.Time at midnight UTC (civil.Date.Time and civil.DateFromTime);
// a NULL end stands for an open-ended period.

func nullableDate(d programme.Date) *time.Time {
	if d.IsZero() {
		return nil
	}
	t := d.Time()
	return &t
}

func dateOfNullable(t *time.Time) programme.Date {
	if t == nil {
		return programme.Date{}
	}
	return civil.DateFromTime(*t)
}
