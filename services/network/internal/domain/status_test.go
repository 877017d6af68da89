package domain

import (
	"errors"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// TestApplyStepEveryPair tries every step from every status against the lifecycle written out in full,
// rather than derived from the table under test.
func TestApplyStepEveryPair(t *testing.T) {
	legal := map[Status]map[Step]Status{
		StatusPlanned:    {StepOpen: StatusRecruiting, StepClose: StatusClosed},
		StatusRecruiting: {StepStart: StatusRunning, StepClose: StatusClosed},
		StatusRunning:    {StepClose: StatusClosed},
	}
	for _, from := range Statuses() {
		for _, s := range Steps() {
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
			faulttest.Precondition(t, err, ReasonIllegalTransition, TypeState, "cannot "+string(s)+" a network that is "+string(from))
		}
	}
}

func TestApplyStepMessages(t *testing.T) {
	tests := []struct {
		from Status
		s    Step
		want string
	}{
		{StatusPlanned, StepStart, "cannot start a network that is planned; allowed from planned: open, close"},
		{StatusRecruiting, StepOpen, "allowed from recruiting: start, close"},
		{StatusRunning, StepOpen, "cannot open a network that is running; allowed from running: close"},
		{StatusRunning, StepStart, "allowed from running: close"},
		{StatusClosed, StepClose, "cannot close a network that is closed; it is final and allows no further steps"},
		{StatusClosed, StepOpen, "it is final"},
		{StatusPlanned, "pause", `cannot apply unknown step "pause" to a network that is planned`},
		{StatusRecruiting, "", `cannot apply unknown step "" to a network that is recruiting`},
	}
	for _, tt := range tests {
		_, err := ApplyStep(tt.from, tt.s)
		faulttest.Precondition(t, err, ReasonIllegalTransition, TypeState, tt.want)
	}
}

func TestApplyStepUnknownStatus(t *testing.T) {
	for _, from := range []Status{"", "paused", "Running"} {
		got, err := ApplyStep(from, StepClose)
		if err == nil || got != from {
			t.Fatalf("ApplyStep(%q) = %q, %v; an unknown stored status must be an error", from, got, err)
		}
		// Stored data gone wrong is the server's fault, not the client's: no fault type that maps to a 4xx.
		var fp *fault.FailedPrecondition
		var inv *fault.Invalid
		if errors.As(err, &fp) || errors.As(err, &inv) {
			t.Errorf("want a plain error, got %T", err)
		}
	}
}

func TestStatusesAndSteps(t *testing.T) {
	for _, s := range Statuses() {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
		if s.Final() != (s == StatusClosed) {
			t.Errorf("%s.Final() = %v", s, s.Final())
		}
	}
	for _, s := range Steps() {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
	}
	for _, bad := range []Status{"", "open", "PLANNED"} {
		if bad.Valid() || bad.Final() {
			t.Errorf("%q must be neither valid nor final", bad)
		}
	}
	if Step("opening").Valid() || len(AllowedSteps("paused")) != 0 || len(AllowedSteps(StatusClosed)) != 0 {
		t.Error("unknown steps and statuses must allow nothing")
	}
	// Every status is reachable from planned, and the close step ends every status that is not final.
	for _, s := range Statuses() {
		if s.Final() {
			continue
		}
		if to, err := ApplyStep(s, StepClose); err != nil || to != StatusClosed {
			t.Errorf("close from %s = %s, %v", s, to, err)
		}
	}
}

func TestClusters(t *testing.T) {
	want := map[Cluster]string{
		"europe": "Europe", "latin_america": "Latin America", "east_africa": "East Africa",
		"southern_africa": "Southern Africa", "asia": "Asia",
	}
	if len(Clusters()) != len(want) {
		t.Fatalf("Clusters() = %v", Clusters())
	}
	for _, c := range Clusters() {
		if !c.Valid() || c.Label() != want[c] {
			t.Errorf("%s: Valid %v, Label %q; want %q", c, c.Valid(), c.Label(), want[c])
		}
	}
	for _, bad := range []Cluster{"", "africa", "East Africa", "EUROPE"} {
		if bad.Valid() {
			t.Errorf("%q must not be a cluster", bad)
		}
	}
	if Cluster("oceania").Label() != "oceania" {
		t.Error("an unknown cluster's label is its code")
	}
}
