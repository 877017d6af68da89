package domain

import (
	"fmt"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// ClaimDeadline is a submitted claim's decision, due waitDays after its submission: for ICLD to decide.
type ClaimDeadline struct {
	ID, Title, PartnershipID, Resource string
	Due                                Date
}

// DecisionDue is when ICLD is to decide a claim submitted at submitted (a day in Sweden).
func DecisionDue(submitted time.Time, waitDays int) Date {
	return civil.DateOf(submitted).AddDays(waitDays)
}

// DecisionDeadline is the deadline of a claim waiting for ICLD's decision, its total in the title.
func DecisionDeadline(claimID, partnershipID string, total fmt.Stringer, submitted time.Time, waitDays int) ClaimDeadline {
	return ClaimDeadline{ID: "claim-decision/" + claimID, Title: fmt.Sprintf("Decide the claim of %s", total),
		PartnershipID: partnershipID, Resource: "/v1/claims/" + claimID, Due: DecisionDue(submitted, waitDays)}
}
