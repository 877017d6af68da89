package programme

import (
	"errors"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// TestApplyStepEveryPair tries every step from every status against the lifecycle written out in full,
// rather than derived from the table under test.
func TestApplyStepEveryPair(t *testing.T) {
	legal := map[ApplicationStatus]map[ApplicationStep]ApplicationStatus{
		StatusDraft:     {StepSubmit: StatusSubmitted},
		StatusSubmitted: {StepApprove: StatusApproved, StepReturn: StatusReturned, StepReject: StatusRejected},
		StatusReturned:  {StepSubmit: StatusSubmitted},
		StatusApproved:  {StepStart: StatusRunning},
		StatusRunning:   {StepClose: StatusClosed},
	}
	for _, from := range ApplicationStatuses() {
		for _, s := range ApplicationSteps() {
			got, err := ApplyStep(from, s)
			if want, ok := legal[from][s]; ok {
				if err != nil || got != want {
					t.Errorf("ApplyStep(%s, %s) = %s, %v; want %s", from, s, got, err, want)
				}
				continue
			}
			if got != from {
				t.Errorf("ApplyStep(%s, %s) moved to %s on error", from, s, got)
			}
			faulttest.Precondition(t, err, ReasonIllegalTransition, TypeState, "cannot "+string(s)+" an application that is "+string(from))
		}
	}
}

func TestApplyStepMessages(t *testing.T) {
	tests := []struct {
		from ApplicationStatus
		s    ApplicationStep
		want string
	}{
		{StatusDraft, StepApprove, "cannot approve an application that is draft; allowed from draft: submit"},
		{StatusSubmitted, StepClose, "allowed from submitted: approve, return, reject"},
		{StatusClosed, StepStart, "cannot start an application that is closed; it is final and allows no further steps"},
		{StatusRejected, StepSubmit, "it is final"},
		{StatusDraft, "withdraw", `cannot apply unknown step "withdraw" to an application that is draft`},
	}
	for _, tt := range tests {
		_, err := ApplyStep(tt.from, tt.s)
		faulttest.Precondition(t, err, ReasonIllegalTransition, TypeState, tt.want)
	}
}

func TestApplyStepUnknownStatus(t *testing.T) {
	_, err := ApplyStep("paused", StepSubmit)
	if err == nil {
		t.Fatal("an unknown stored status must be an error")
	}
	// Stored data gone wrong is the server's fault, not the client's: no fault type that maps to a 4xx.
	var fp *fault.FailedPrecondition
	var inv *fault.Invalid
	if errors.As(err, &fp) || errors.As(err, &inv) {
		t.Errorf("want a plain error, got %T", err)
	}
}

func TestStatusesAndSteps(t *testing.T) {
	for _, s := range ApplicationStatuses() {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
		if s.Final() != (s == StatusRejected || s == StatusClosed) {
			t.Errorf("%s.Final() = %v", s, s.Final())
		}
	}
	for _, s := range ApplicationSteps() {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
	}
	if ApplicationStatus("paused").Valid() || ApplicationStep("pause").Valid() {
		t.Error("unknown values must not be valid")
	}
	if got := AllowedSteps(StatusSubmitted); len(got) != 3 || got[0] != StepApprove {
		t.Errorf("AllowedSteps(submitted) = %v; want approve first", got)
	}
	if got := AllowedSteps("paused"); len(got) != 0 {
		t.Errorf("AllowedSteps(unknown) = %v", got)
	}
}
