package programme

import (
	"testing"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// d parses a date the tests write out, failing the test on a typo.
func d(t testing.TB, s string) Date {
	t.Helper()
	if s == "" {
		return Date{}
	}
	got, err := civil.ParseDate(s)
	if err != nil {
		t.Fatalf("test date %q: %v", s, err)
	}
	return got
}

// mustDate is d for package-level tables, where no testing.TB is at hand.
func mustDate(s string) Date {
	got, err := civil.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return got
}

// per builds a Period from two dates written as text; "" leaves an end open.
func per(from, to string) Period {
	p := Period{}
	if from != "" {
		p.From = mustDate(from)
	}
	if to != "" {
		p.To = mustDate(to)
	}
	return p
}
