package console

import "net/http"

// financeRoutes are the pages of money: budgets, claims, payment batches.
func (c *Console) financeRoutes(mux *http.ServeMux) {
	mux.Handle("GET /console/claims", c.page(c.listClaims))
	mux.Handle("GET /console/claims/{id}", c.page(c.showClaim))
	mux.Handle("POST /console/claims/{id}/submit", c.post(c.submitClaim))
	mux.Handle("POST /console/claims/{id}/approve", c.post(c.approveClaim))
	mux.Handle("POST /console/claims/{id}/reject", c.post(c.rejectClaim))
	mux.Handle("GET /console/budgets/{id}", c.page(c.showBudget))
}

// financeMessages are the texts of the finance area's newer pages (the first ones are in coreMessages).
var financeMessages = catalogue{
	swedish: {
		"budget.heading":       "Budget för",
		"budget.back":          "Till partnerskapet",
		"budget.claims":        "Ersättningsanspråk på budgeten",
		"budget.newClaim":      "Nytt ersättningsanspråk",
		"budget.approvedIntro": "Beloppen är den godkända budgetens. Begärt är vad inskickade och beslutade anspråk har begärt, godkänt vad ICLD har godkänt av det och utbetalt vad som har betalats ut.",
		"budget.draftIntro":    "Budgeten är inte godkänd ännu. Beloppen är utkastets, och inget kan ha begärts ännu.",
		"budget.lines":         "Budgetrader",
		"budget.caption":       "Budgeterat, begärt, godkänt och utbetalt per budgetrad",
		"budget.category":      "Kostnadsslag",
		"budget.budgeted":      "Budgeterat",
		"budget.claimed":       "Begärt",
		"budget.approved":      "Godkänt",
		"budget.paid":          "Utbetalt",
		"budget.over":          "Mer än budgeterat",
		"budget.noLines":       "Budgeten har inga rader ännu.",
		"budget.chartTitle":    "Budgeterat, begärt och utbetalt per budgetrad",
		"budget.chartSummary":  "Samma belopp står i tabellen bredvid.",
		"claims.budget":        "Se budgeten med diagram",

		"category.CATEGORY_UNSPECIFIED":                "inget angivet",
		"category.CATEGORY_TRAVEL":                     "resor till och från partnern",
		"category.CATEGORY_ACCOMMODATION":              "boende",
		"category.CATEGORY_LOCAL_TRAVEL":               "lokala resor i partnerlandet",
		"category.CATEGORY_VENUE":                      "lokalhyra",
		"category.CATEGORY_VISA":                       "visum",
		"category.CATEGORY_CLIMATE_COMPENSATION":       "klimatkompensation",
		"category.CATEGORY_INTERPRETATION_TRANSLATION": "tolkning och översättning",
		"category.CATEGORY_WORK_INPUT":                 "arbetsinsats",
		"category.CATEGORY_OTHER_APPROVED":             "andra godkända kostnader",
		"category.CATEGORY_SALARIES":                   "löner (ersätts inte)",
		"category.CATEGORY_PER_DIEMS":                  "traktamente (ersätts inte)",
		"category.CATEGORY_EXTRA_DAYS":                 "extra dagar på resan (ersätts inte)",
	},
	english: {
		"budget.heading":       "Budget for",
		"budget.back":          "To the partnership",
		"budget.claims":        "Claims on the budget",
		"budget.newClaim":      "New claim",
		"budget.approvedIntro": "The amounts are the approved budget's. Claimed is what submitted and decided claims asked, approved what ICLD approved of it, and paid what has been paid out.",
		"budget.draftIntro":    "The budget is not approved yet. The amounts are the draft's, and nothing can have been claimed yet.",
		"budget.lines":         "Budget lines",
		"budget.caption":       "Budgeted, claimed, approved and paid per budget line",
		"budget.category":      "Category",
		"budget.budgeted":      "Budgeted",
		"budget.claimed":       "Claimed",
		"budget.approved":      "Approved",
		"budget.paid":          "Paid",
		"budget.over":          "More than budgeted",
		"budget.noLines":       "The budget has no lines yet.",
		"budget.chartTitle":    "Budgeted, claimed and paid per budget line",
		"budget.chartSummary":  "The same amounts are in the table beside it.",
		"claims.budget":        "See the budget with its chart",

		"category.CATEGORY_UNSPECIFIED":                "not given",
		"category.CATEGORY_TRAVEL":                     "travel to and from the partner",
		"category.CATEGORY_ACCOMMODATION":              "accommodation",
		"category.CATEGORY_LOCAL_TRAVEL":               "local travel in the partner country",
		"category.CATEGORY_VENUE":                      "venue rent",
		"category.CATEGORY_VISA":                       "visas",
		"category.CATEGORY_CLIMATE_COMPENSATION":       "climate compensation",
		"category.CATEGORY_INTERPRETATION_TRANSLATION": "interpretation and translation",
		"category.CATEGORY_WORK_INPUT":                 "work input",
		"category.CATEGORY_OTHER_APPROVED":             "other approved costs",
		"category.CATEGORY_SALARIES":                   "salaries (not funded)",
		"category.CATEGORY_PER_DIEMS":                  "per diems (not funded)",
		"category.CATEGORY_EXTRA_DAYS":                 "extra days added to a trip (not funded)",
	},
}
