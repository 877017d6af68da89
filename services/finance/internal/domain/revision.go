package domain

import (
	"fmt"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// Revision is one version of a budget's lines. Revisions are never changed once approved: a change is a new
// revision, so the history of what was approved, and when, stays readable.
type Revision struct {
	// Number counts from 1.
	Number int
	Status Status
	Lines  []Line
}

// Revise starts the next revision of an approved budget from lines, in draft. Only an approved revision may be
// revised: a draft is simply edited, and a closed budget takes no more changes.
func Revise(current Revision, lines []Line, subject string) (Revision, error) {
	if current.Status != StatusApproved {
		msg := fmt.Sprintf("only an approved budget can be revised; this one is %s", current.Status)
		return Revision{}, &fault.FailedPrecondition{Reason: ReasonBadState, Message: msg,
			Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: subject, Description: msg}}}
	}
	return Revision{Number: current.Number + 1, Status: StatusDraft, Lines: append([]Line(nil), lines...)}, nil
}

// ChangeKind says how a line differs between two revisions.
type ChangeKind string

// The kinds of line change.
const (
	LineAdded   ChangeKind = "added"
	LineRemoved ChangeKind = "removed"
	LineChanged ChangeKind = "changed"
)

// LineChange is one difference between two revisions, matched by line ID.
type LineChange struct {
	Kind   ChangeKind
	LineID string
	// Old is the line in the earlier revision; zero for an added line.
	Old Line
	// New is the line in the later revision; zero for a removed line.
	New Line
	// Delta is New.Amount − Old.Amount in SEK (negative when the line shrank or went).
	Delta money.Amount
}

// DiffLines returns how the lines changed from old to new: lines are matched by ID; changes come in the
// order of old's lines, then the added ones in the order of new. Unchanged lines are left out. Lines without
// an ID cannot be matched and are refused, as are sums past the int64 range.
func DiffLines(old, new []Line) ([]LineChange, error) {
	for i, l := range append(append([]Line(nil), old...), new...) {
		if l.ID == "" {
			side, j := "old", i
			if i >= len(old) {
				side, j = "new", i-len(old)
			}
			return nil, fault.InvalidField(fmt.Sprintf("%s.lines[%d].id", side, j), "every line needs an id to compare revisions")
		}
	}
	newByID := make(map[string]Line, len(new))
	for _, l := range new {
		newByID[l.ID] = l
	}
	oldIDs := make(map[string]bool, len(old))
	var out []LineChange
	zero := money.Zero(money.SEK)
	for _, o := range old {
		oldIDs[o.ID] = true
		n, kept := newByID[o.ID]
		switch {
		case !kept:
			d, err := zero.Sub(o.Amount)
			if err != nil {
				return nil, money.Invalid(err, "old.lines.amount")
			}
			out = append(out, LineChange{Kind: LineRemoved, LineID: o.ID, Old: o, Delta: d})
		case n != o:
			d, err := n.Amount.Sub(o.Amount)
			if err != nil {
				return nil, money.Invalid(err, "new.lines.amount")
			}
			out = append(out, LineChange{Kind: LineChanged, LineID: o.ID, Old: o, New: n, Delta: d})
		}
	}
	for _, n := range new {
		if !oldIDs[n.ID] {
			out = append(out, LineChange{Kind: LineAdded, LineID: n.ID, New: n, Delta: n.Amount})
		}
	}
	return out, nil
}
