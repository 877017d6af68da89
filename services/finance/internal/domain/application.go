package domain

import (
	"fmt"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Application is what the finance service needs to know of an application in the partnership service to set
// its budget's cap and to decide who may see and change the budget. It is read once, when the budget is
// created, and copied onto the budget, so that a budget keeps the cap it was approved under.
type Application struct {
	ID            string
	PartnershipID string
	// Kind is the partnership service's word for the kind ("inception", "project", "steering_group",
	// "development", ...); only the kinds with a cap can carry a budget.
	Kind string
	// Status is the partnership service's word for the application's status ("approved", "running", ...).
	Status     string
	Start, End Date
	// CostZone is the cost zone of the partnership's cluster (CostZoneOf).
	CostZone CostZone
	// Parties is 2, or 3 with a third party.
	Parties            int
	SwedishOrgID       string
	InternationalOrgID string
}

// CapKey returns the key of the cap that applies to a budget of a.
func (a Application) CapKey() CapKey {
	return CapKey{Kind: ApplicationKind(a.Kind), CostZone: a.CostZone, Parties: a.Parties}
}

// CheckBudgetable returns nil when a budget may be created for a: the application is approved (or already
// running) and of a kind with caps. Otherwise a *fault.FailedPrecondition says why.
func CheckBudgetable(a Application) error {
	var vs []fault.PreconditionViolation
	if a.Status != "approved" && a.Status != "running" {
		vs = append(vs, fault.PreconditionViolation{Type: "APPLICATION_NOT_APPROVED", Subject: "applications/" + a.ID,
			Description: fmt.Sprintf("the application is %s; a budget belongs to an approved application", a.Status)})
	}
	switch ApplicationKind(a.Kind) {
	case KindInception, KindProject, KindSteeringGroup:
	default:
		vs = append(vs, fault.PreconditionViolation{Type: "NO_CAP_FOR_KIND", Subject: "applications/" + a.ID,
			Description: fmt.Sprintf("a %s application has no budget cap; budgets are for inception, project and steering-group applications", a.Kind)})
	}
	if len(vs) == 0 {
		return nil
	}
	return &fault.FailedPrecondition{Reason: vs[0].Type, Message: vs[0].Description, Violations: vs}
}

// CapFor returns the cap that applies to a budget of app under rules, or a *fault.FailedPrecondition when the
// rules have none for its key.
func CapFor(rules CapRules, app Application) (Cap, error) {
	c, ok := rules.Find(app.CapKey())
	if !ok {
		msg := fmt.Sprintf("the budget rules valid %s have no cap for %s; an admin must add one", rules.Period, app.CapKey())
		return Cap{}, &fault.FailedPrecondition{Reason: "NO_CAP", Message: msg,
			Violations: []fault.PreconditionViolation{{Type: "NO_CAP", Subject: "budget_rules/" + rules.ID, Description: msg}}}
	}
	return c, nil
}
