package domain

import (
	"errors"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/partnerskap/partnerskap/platform/fault"
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

// checkInvalid asserts that err is a *fault.Invalid whose violations name exactly the fields in want, each
// with a description containing want's text; an empty want means err must be nil.
func checkInvalid(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got error %v; want none", err)
		}
		return
	}
	var inv *fault.Invalid
	if !errors.As(err, &inv) {
		t.Fatalf("got %T %v; want *fault.Invalid", err, err)
	}
	if inv.Reason != ReasonInvalidArgument {
		t.Errorf("Reason = %q, want %q", inv.Reason, ReasonInvalidArgument)
	}
	got := map[string][]string{}
	for _, v := range inv.Violations {
		got[v.Field] = append(got[v.Field], v.Description)
	}
	for field, text := range want {
		descs, ok := got[field]
		if !ok {
			t.Errorf("no violation for %s (want one containing %q); got %v", field, text, inv.Violations)
			continue
		}
		if !strings.Contains(strings.Join(descs, " | "), text) {
			t.Errorf("%s: %q; want text containing %q", field, descs, text)
		}
	}
	for field, descs := range got {
		if _, ok := want[field]; !ok {
			t.Errorf("unexpected violation %s: %q", field, descs)
		}
	}
}

// checkPrecondition asserts that err is a *fault.FailedPrecondition with reason, whose message contains
// text and whose every violation has type typ, a subject, and a description the message repeats.
func checkPrecondition(t *testing.T, err error, reason, typ, text string) *fault.FailedPrecondition {
	t.Helper()
	var fp *fault.FailedPrecondition
	if !errors.As(err, &fp) {
		t.Fatalf("got %T %v; want *fault.FailedPrecondition", err, err)
	}
	if fp.Reason != reason {
		t.Errorf("Reason = %q, want %q", fp.Reason, reason)
	}
	if !strings.Contains(fp.Message, text) {
		t.Errorf("Message = %q; want it to contain %q", fp.Message, text)
	}
	if len(fp.Violations) == 0 {
		t.Errorf("no violations in %v", fp)
	}
	for _, v := range fp.Violations {
		if v.Type != typ || v.Subject == "" || !strings.Contains(fp.Message, v.Description) {
			t.Errorf("violation %+v; want Type %s, a subject and a description from the message", v, typ)
		}
	}
	return fp
}
