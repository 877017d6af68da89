package domain

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// TestApplyEveryPair tries every transition from every state against the lifecycle as the programme
// describes it, written out in full rather than derived from the table under test.
func TestApplyEveryPair(t *testing.T) {
	legal := map[State]map[Transition]State{
		StateDraft:     {TransitionSubmit: StateSubmitted, TransitionTerminate: StateTerminated},
		StateSubmitted: {TransitionApprove: StateInception, TransitionTerminate: StateTerminated},
		StateInception: {TransitionActivate: StateActive, TransitionTerminate: StateTerminated},
		StateActive:    {TransitionComplete: StateCompleted, TransitionTerminate: StateTerminated},
	}
	for _, from := range States() {
		for _, tr := range Transitions() {
			got, err := Apply(from, tr)
			want, ok := legal[from][tr]
			if ok {
				if err != nil || got != want {
					t.Errorf("Apply(%s, %s) = %s, %v; want %s", from, tr, got, err, want)
				}
				continue
			}
			if got != from {
				t.Errorf("Apply(%s, %s) moved to %s on error", from, tr, got)
			}
			checkIllegal(t, err, "cannot "+string(tr)+" a partnership that is "+string(from))
		}
	}
}

func checkIllegal(t *testing.T, err error, wantMsg string) {
	t.Helper()
	var fp *fault.FailedPrecondition
	if !errors.As(err, &fp) {
		t.Fatalf("error %T %v; want *fault.FailedPrecondition", err, err)
	}
	if fp.Reason != "ILLEGAL_TRANSITION" {
		t.Errorf("Reason = %q", fp.Reason)
	}
	if !strings.Contains(fp.Message, wantMsg) {
		t.Errorf("Message = %q; want it to contain %q", fp.Message, wantMsg)
	}
	want := []fault.PreconditionViolation{{Type: "STATE", Subject: "partnership", Description: fp.Message}}
	if !slices.Equal(fp.Violations, want) {
		t.Errorf("Violations = %+v; want %+v", fp.Violations, want)
	}
}

func TestApplyMessages(t *testing.T) {
	tests := []struct {
		from State
		t    Transition
		want string
	}{
		{StateDraft, TransitionApprove, "cannot approve a partnership that is draft; allowed from draft: submit, terminate"},
		{StateSubmitted, TransitionSubmit, "cannot submit a partnership that is submitted; allowed from submitted: approve, terminate"},
		{StateActive, TransitionActivate, "cannot activate a partnership that is active; allowed from active: complete, terminate"},
		{StateCompleted, TransitionTerminate, "cannot terminate a partnership that is completed; it is final and allows no transitions"},
		{StateTerminated, TransitionTerminate, "cannot terminate a partnership that is terminated; it is final"},
		// Each RPC names its own transition, so an unknown one is a programming error; it reads as in every
		// other lifecycle.
		{StateDraft, "reopen", `cannot apply unknown step "reopen" to a partnership that is draft; allowed from draft: submit, terminate`},
		{StateDraft, "", `unknown step ""`},
	}
	for _, tt := range tests {
		_, err := Apply(tt.from, tt.t)
		checkIllegal(t, err, tt.want)
	}
}

func TestApplyUnknownState(t *testing.T) {
	_, err := Apply("archived", TransitionSubmit)
	var fp *fault.FailedPrecondition
	if err == nil || errors.As(err, &fp) || !strings.Contains(err.Error(), `unknown status "archived"`) {
		t.Fatalf("Apply from unknown state: %v; want a plain error naming the state", err)
	}
}

func TestAllowed(t *testing.T) {
	tests := []struct {
		from State
		want []Transition
	}{
		{StateDraft, []Transition{TransitionSubmit, TransitionTerminate}},
		{StateSubmitted, []Transition{TransitionApprove, TransitionTerminate}},
		{StateInception, []Transition{TransitionActivate, TransitionTerminate}},
		{StateActive, []Transition{TransitionComplete, TransitionTerminate}},
		{StateCompleted, []Transition{}},
		{StateTerminated, []Transition{}},
		{"archived", []Transition{}},
	}
	for _, tt := range tests {
		got := Allowed(tt.from)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Allowed(%s) = %v, want %v", tt.from, got, tt.want)
		}
		// Every allowed step must succeed, and the answer must be the caller's to change.
		for _, tr := range got {
			if _, err := Apply(tt.from, tr); err != nil {
				t.Errorf("Allowed(%s) lists %s but Apply fails: %v", tt.from, tr, err)
			}
		}
		if len(got) > 0 {
			got[0] = "mutated"
			if Allowed(tt.from)[0] == "mutated" {
				t.Errorf("Allowed(%s) shares its slice", tt.from)
			}
		}
	}
}

func TestStateAndTransitionPredicates(t *testing.T) {
	tests := []struct {
		s            State
		valid, final bool
	}{
		{StateDraft, true, false}, {StateSubmitted, true, false}, {StateInception, true, false},
		{StateActive, true, false}, {StateCompleted, true, true}, {StateTerminated, true, true},
		{"", false, false}, {"archived", false, false},
	}
	for _, tt := range tests {
		if tt.s.Valid() != tt.valid || tt.s.Final() != tt.final {
			t.Errorf("%q: Valid %v Final %v", tt.s, tt.s.Valid(), tt.s.Final())
		}
	}
	for _, tr := range Transitions() {
		if !tr.Valid() {
			t.Errorf("%s not valid", tr)
		}
	}
	if Transition("reopen").Valid() || Transition("").Valid() {
		t.Error("unknown transitions reported valid")
	}
}

func TestValidateReason(t *testing.T) {
	tests := []struct {
		name   string
		t      Transition
		reason string
		want   string // "" means valid
	}{
		{"terminate with reason", TransitionTerminate, "The partner municipality was dissolved.", ""},
		{"terminate without reason", TransitionTerminate, "", "say why the partnership is terminated"},
		{"terminate with blank reason", TransitionTerminate, " \n\t", "say why"},
		{"submit without reason", TransitionSubmit, "", ""},
		{"approve with note", TransitionApprove, "Approved by the board.\nSee minutes.", ""},
		{"reason at the limit", TransitionTerminate, strings.Repeat("ö", MaxReasonLen), ""},
		{"reason too long", TransitionTerminate, strings.Repeat("x", MaxReasonLen+1), "at most 2000"},
		{"control character", TransitionTerminate, "ended\x07", "control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want map[string]string
			if tt.want != "" {
				want = map[string]string{"reason": tt.want}
			}
			faulttest.Invalid(t, ValidateReason(tt.t, tt.reason), want)
		})
	}
}
