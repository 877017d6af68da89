package domain

import (
	"errors"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// checkViolations asserts that err is a *fault.Invalid whose violations name exactly the fields in want,
// each with a description containing want's text; want == nil means err must be nil.
func checkViolations(t *testing.T, err error, want map[string]string) []fault.FieldViolation {
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
	return inv.Violations
}
