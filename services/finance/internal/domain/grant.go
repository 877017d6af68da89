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

// GrantPostings moves a change of a year's grant (delta, positive when it grows) into the commitments account,
// which budget approvals draw on.
func GrantPostings(delta money.Amount) []Posting {
	return []Posting{{Account: AccountGrant, Amount: money.Amount{Currency: delta.Currency, Minor: -delta.Minor}},
		{Account: AccountCommitments, Amount: delta}}
}

// CheckEnvelope refuses a budget approval that would commit more of a year than its grant. grants are the
// recorded grants by year (a year without one has no envelope); others are what the other budgets' approved
// revisions commit per year; before and after are this budget's lines per year before and after the approval.
// A year whose commitment the approval does not raise is never refused, so a lowered grant does not block
// changes that give money back. Amounts are SEK öre.
func CheckEnvelope(grants, others, before, after map[int]int64) error {
	var vs []fault.PreconditionViolation
	years := make([]int, 0, len(after))
	for y := range after {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		grant, ok := grants[y]
		if !ok || after[y] <= before[y] {
			continue
		}
		if total := others[y] + after[y]; total > grant {
			left := max(grant-others[y]-before[y], 0)
			vs = append(vs, fault.PreconditionViolation{Type: ReasonGrantExceeded, Subject: fmt.Sprintf("grants/%d", y),
				Description: fmt.Sprintf("the budget would commit %s more of %d, but only %s of Sida's %d grant of %s is left",
					sekOf(after[y]-before[y]), y, sekOf(left), y, sekOf(grant))})
		}
	}
	if len(vs) == 0 {
		return nil
	}
	descs := make([]string, len(vs))
	for i, v := range vs {
		descs[i] = v.Description
	}
	return &fault.FailedPrecondition{Reason: ReasonGrantExceeded, Message: strings.Join(descs, "; "), Violations: vs}
}

func sekOf(minor int64) money.Amount { return money.Amount{Currency: money.SEK, Minor: minor} }
