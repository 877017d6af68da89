package console

import "net/http"

// financeRoutes are the pages of money: budgets, claims, payment batches.
func (c *Console) financeRoutes(mux *http.ServeMux) {
	mux.Handle("GET /console/claims", c.page(c.listClaims))
	mux.Handle("GET /console/claims/{id}", c.page(c.showClaim))
	mux.Handle("POST /console/claims/{id}/submit", c.post(c.submitClaim))
	mux.Handle("POST /console/claims/{id}/approve", c.post(c.approveClaim))
	mux.Handle("POST /console/claims/{id}/reject", c.post(c.rejectClaim))
}

// financeMessages are the texts of the finance area's newer pages (the first ones are in coreMessages).
var financeMessages = catalogue{
	swedish: {},
	english: {},
}
