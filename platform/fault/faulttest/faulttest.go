// Package faulttest checks the faults of package fault in tests, so that every domain's tests hold a refusal
// to the same standard: the fields it names, the reason, and words a person can act on.
package faulttest

import (
	"errors"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Invalid asserts that err is a *fault.Invalid with the reason INVALID_ARGUMENT whose violations name exactly
// the fields in want, each with a description containing want's text, and returns the violations for further
// checks; an empty want means err must be nil.
func Invalid(t testing.TB, err error, want map[string]string) []fault.FieldViolation {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got error %v; want none", err)
		}
		return nil
	}
	var inv *fault.Invalid
	if !errors.As(err, &inv) {
		t.Fatalf("got %T %v; want *fault.Invalid", err, err)
	}
	if inv.Reason != "INVALID_ARGUMENT" {
		t.Errorf("Reason = %q, want INVALID_ARGUMENT", inv.Reason)
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
	return inv.Violations
}

// Precondition asserts that err is a *fault.FailedPrecondition with reason, whose message contains text and
// whose every violation has type typ, a subject, and a description the message repeats.
func Precondition(t testing.TB, err error, reason, typ, text string) *fault.FailedPrecondition {
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
