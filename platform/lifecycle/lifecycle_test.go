package lifecycle

import (
	"errors"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

type status string
type step string

var door = Machine[status, step]{
	Subject: "door",
	Noun:    "a door",
	Edges: map[status][]Edge[status, step]{
		"shut":   {{Step: "open", To: "open"}, {Step: "brick", To: "walled"}},
		"open":   {{Step: "shut", To: "shut"}},
		"walled": nil,
	},
	Steps: []step{"open", "shut", "brick"},
}

func TestApply(t *testing.T) {
	cases := []struct {
		from status
		step step
		to   status
		msg  string
	}{
		{"shut", "open", "open", ""},
		{"shut", "shut", "shut", "cannot shut a door that is shut; allowed from shut: open, brick"},
		{"walled", "open", "walled", "cannot open a door that is walled; it is final and allows no further steps"},
		{"open", "kick", "open", `cannot apply unknown step "kick" to a door that is open; allowed from open: shut`},
	}
	for _, c := range cases {
		got, err := door.Apply(c.from, c.step)
		if got != c.to {
			t.Errorf("%s --%s--> %s, want %s", c.from, c.step, got, c.to)
		}
		var refused *fault.FailedPrecondition
		switch {
		case c.msg == "" && err != nil:
			t.Errorf("%s --%s--> %v", c.from, c.step, err)
		case c.msg != "" && (!errors.As(err, &refused) || refused.Message != c.msg || refused.Reason != "ILLEGAL_TRANSITION"):
			t.Errorf("%s --%s--> %v, want %q", c.from, c.step, err, c.msg)
		}
	}
	if _, err := door.Apply("ajar", "shut"); err == nil || errors.As(err, new(*fault.FailedPrecondition)) {
		t.Errorf("an unknown stored status must be a plain error, got %v", err)
	}
	if !door.Final("walled") || door.Final("open") || door.Known("ajar") || door.KnownStep("kick") {
		t.Error("Final/Known/KnownStep disagree with the table")
	}
}

// TestFinalClause: a machine's own words for a final status replace the shared ones there and nowhere else.
func TestFinalClause(t *testing.T) {
	own := door
	own.FinalClause = "it is bricked up for good"
	for _, c := range []struct {
		from status
		step step
		msg  string
	}{
		{"walled", "open", "cannot open a door that is walled; it is bricked up for good"},
		{"shut", "shut", "cannot shut a door that is shut; allowed from shut: open, brick"},
	} {
		_, err := own.Apply(c.from, c.step)
		var refused *fault.FailedPrecondition
		if !errors.As(err, &refused) || refused.Message != c.msg || refused.Violations[0].Description != c.msg {
			t.Errorf("%s --%s--> %v, want %q", c.from, c.step, err, c.msg)
		}
	}
}
