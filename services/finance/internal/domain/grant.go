package domain

import (
	"fmt"
	"sort"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// ReasonGrantExceeded refuses a budget approval that would commit more of a year than Sida granted for it.
const ReasonGrantExceeded = "GRANT_EXCEEDED"

// ReasonGrantNotRecorded refuses a budget approval that would commit money of a year for which no grant is
// recorded: nothing of it is left until an admin records Sida's grant.
const ReasonGrantNotRecorded = "GRANT_NOT_RECORDED"

// GrantPostings moves a change of a year's grant (delta, positive when it grows) into the commitments account,
// which budget approvals draw on.
func GrantPostings(delta money.Amount) []Posting {
	return []Posting{{Account: AccountGrant, Amount: money.Amount{Currency: delta.Currency, Minor: -delta.Minor}},
		{Account: AccountCommitments, Amount: delta}}
}

// CheckEnvelope refuses a budget approval that would commit more of a year than its grant. grants are the
// recorded grants by year (a year without one has nothing to commit: its approvals wait for the grant); others
// are what the other budgets' approved revisions commit per year; before and after are this budget's lines
// per year before and after the approval. A year whose commitment the approval does not raise is never
// refused, so a lowered grant does not block changes that give money back. Amounts are SEK öre. A missing
// grant is GRANT_NOT_RECORDED; a grant too small, GRANT_EXCEEDED naming what is left; both together are
// reported under the first.
func CheckEnvelope(grants, others, before, after map[int]int64) error {
	var vs []fault.PreconditionViolation
	reason := ""
	years := make([]int, 0, len(after))
	for y := range after {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		if after[y] <= before[y] {
			continue
		}
		grant, ok := grants[y]
		switch {
		case !ok:
			vs = append(vs, fault.PreconditionViolation{Type: ReasonGrantNotRecorded, Subject: fmt.Sprintf("grants/%d", y),
				Description: fmt.Sprintf("the budget would commit %s of %d, but no grant of %d is recorded; an admin records Sida's grant (POST /v1/grants) before budgets of the year are approved",
					sekOf(after[y]-before[y]), y, y)})
		case others[y]+after[y] > grant:
			left := max(grant-others[y]-before[y], 0)
			vs = append(vs, fault.PreconditionViolation{Type: ReasonGrantExceeded, Subject: fmt.Sprintf("grants/%d", y),
				Description: fmt.Sprintf("the budget would commit %s more of %d, but only %s of Sida's %d grant of %s is left",
					sekOf(after[y]-before[y]), y, sekOf(left), y, sekOf(grant))})
		default:
			continue
		}
		if reason == "" {
			reason = vs[len(vs)-1].Type
		}
	}
	if len(vs) == 0 {
		return nil
	}
	descs := make([]string, len(vs))
	for i, v := range vs {
		descs[i] = v.Description
	}
	return &fault.FailedPrecondition{Reason: reason, Message: strings.Join(descs, "; "), Violations: vs}
}

func sekOf(minor int64) money.Amount { return money.Amount{Currency: money.SEK, Minor: minor} }
