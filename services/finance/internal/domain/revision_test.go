package domain

import (
	"errors"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

func TestBudgetLifecycle(t *testing.T) {
	s := StatusDraft
	for _, step := range []Step{StepSubmit, StepApprove, StepClose} {
		var err error
		if s, err = NextBudgetStatus(s, step, "budgets/1"); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	if s != StatusClosed {
		t.Fatalf("ended %s", s)
	}
	var fp *fault.FailedPrecondition
	if _, err := NextBudgetStatus(StatusDraft, StepApprove, "budgets/1"); !errors.As(err, &fp) || fp.Violations[0].Subject != "budgets/1" {
		t.Fatalf("approving a draft: %v", err)
	}
	if _, err := NextBudgetStatus(StatusClosed, StepSubmit, "b"); err == nil {
		t.Fatal("closed budget submitted")
	}
	// An unknown stored status is data gone wrong, not a client's mistake: a plain (internal) error.
	if _, err := NextBudgetStatus("nonsense", StepSubmit, "b"); err == nil || errors.As(err, &fp) {
		t.Fatalf("unknown status: %v", err)
	}
}

func TestReviseAndDiff(t *testing.T) {
	r1 := Revision{Number: 1, Status: StatusSubmitted, Lines: []Line{line("a", CategoryTravel, 2026, 100), line("b", CategoryVisa, 2026, 50)}}
	if _, err := Revise(r1, nil, "budgets/1"); err == nil {
		t.Fatal("revised a budget that is not approved")
	}
	r1.Status = StatusApproved
	next := []Line{line("a", CategoryTravel, 2026, 80), line("c", CategoryVenue, 2026, 30)}
	r2, err := Revise(r1, next, "budgets/1")
	if err != nil || r2.Number != 2 || r2.Status != StatusDraft {
		t.Fatalf("Revise = %+v, %v", r2, err)
	}
	changes, err := DiffLines(r1.Lines, r2.Lines)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind  ChangeKind
		id    string
		delta int64
	}{{LineChanged, "a", -20}, {LineRemoved, "b", -50}, {LineAdded, "c", 30}}
	if len(changes) != len(want) {
		t.Fatalf("changes = %+v", changes)
	}
	for i, w := range want {
		if c := changes[i]; c.Kind != w.kind || c.LineID != w.id || c.Delta != money.Kronor(w.delta) {
			t.Errorf("change %d = %+v, want %+v", i, c, w)
		}
	}
	if _, err := DiffLines([]Line{{Category: CategoryTravel}}, nil); err == nil {
		t.Fatal("line without id compared")
	}
	if same, _ := DiffLines(r1.Lines, r1.Lines); len(same) != 0 {
		t.Fatalf("identical revisions differ: %+v", same)
	}
}

func TestPayableStatuses(t *testing.T) {
	if got := PayableStatuses(); len(got) != 2 || got[0] != StatusApproved || got[1] != StatusPartlyApproved {
		t.Errorf("PayableStatuses = %v, want approved and partly_approved", got)
	}
}
