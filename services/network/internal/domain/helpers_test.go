package domain

import (
	"testing"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// d parses a date the tests write out, failing the test on a typo; "" is the zero Date.
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
