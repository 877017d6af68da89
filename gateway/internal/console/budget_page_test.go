package console

import (
	"net/http"
	"strings"
	"testing"
)

const budgetID = "55555555-5555-5555-5555-555555555555"

// budgetAPI answers the budget and its application's financial report; state is the budget's.
func budgetAPI(state string, approvedRevision int) *fakeAPI {
	sek := func(ore string) map[string]any { return map[string]any{"currencyCode": "SEK", "amountMinor": ore} }
	return &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		switch r.URL.Path {
		case "/v1/budgets/" + budgetID:
			return http.StatusOK, map[string]any{"id": budgetID, "partnershipId": "p1", "applicationId": "a1", "state": state,
				"applicationKind": "APPLICATION_KIND_INCEPTION", "approvedRevision": approvedRevision, "lines": []any{
					map[string]any{"id": "travel", "category": "CATEGORY_TRAVEL", "year": 2026, "description": "Flights", "amount": sek("10000000")},
					map[string]any{"id": "hotel", "category": "CATEGORY_ACCOMMODATION", "year": 2026, "amount": sek("0")}}}
		case "/v1/partnerships/p1/applications/a1/financial-report":
			return http.StatusOK, map[string]any{"lines": []any{
				map[string]any{"budgetId": budgetID, "lineId": "travel", "category": "CATEGORY_TRAVEL", "year": 2026,
					"budgeted": sek("10000000"), "claimed": sek("12500001"), "approved": sek("9000000"), "paid": sek("4500000")},
				map[string]any{"budgetId": budgetID, "lineId": "hotel", "category": "CATEGORY_ACCOMMODATION", "year": 2026,
					"budgeted": sek("0"), "claimed": sek("0"), "approved": sek("0"), "paid": sek("0")},
				map[string]any{"budgetId": "another", "lineId": "visa", "category": "CATEGORY_VISA", "year": 2026,
					"budgeted": sek("1"), "claimed": sek("1"), "approved": sek("1"), "paid": sek("1")}}}
		}
		return http.StatusNotFound, map[string]any{"code": 5, "message": "not found"}
	}}
}

// The budget page shows each line's budgeted, claimed, approved and paid amounts from the financial report,
// exactly to öre, as a table and as an SVG chart; a line claimed over its budget says so.
func TestBudgetPageShowsEachLineAgainstItsClaims(t *testing.T) {
	api := budgetAPI("BUDGET_STATE_APPROVED", 1)
	c := newTestConsole(t, api)
	s := member()
	rec := serve(c, http.MethodGet, "/console/budgets/"+budgetID, nil, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("%d\n%s", rec.Code, body)
	}
	for _, want := range []string{"<h1>Budget för förstudie</h1>", "<strong>godkänd</strong>", `role="img"`,
		`<title id="chart-title">Budgeterat, begärt och utbetalt per budgetrad</title>`, "<caption>", `<th scope="row">travel (2026)`,
		"resor till och från partnern", "100\u00a0000,00\u00a0kr", "125\u00a0000,01\u00a0kr", "90\u00a0000,00\u00a0kr", "45\u00a0000,00\u00a0kr",
		"Mer än budgeterat", "<tfoot>", `href="/console/budgets/` + budgetID + `/claims/new"`,
		`href="/console/claims?budget=` + budgetID + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if foot := body[strings.Index(body, "<tfoot>"):]; !strings.Contains(foot, "125\u00a0000,01\u00a0kr") {
		t.Errorf("the total claimed is not the sum of the lines: %s", foot)
	}
	if strings.Contains(body, "visa") || strings.Contains(body, " style=") {
		t.Errorf("another budget's line, or a style attribute:\n%s", body)
	}
	if strings.Count(body, "Mer än budgeterat") != 1 {
		t.Errorf("the line of nothing budgeted and nothing claimed is marked as over")
	}
	for _, call := range api.calls {
		if call.Header.Get("Authorization") != "Bearer "+s.Token {
			t.Errorf("%s called without the person's token", call.URL.Path)
		}
	}
	// A coordinator is not offered a claim of their own.
	rec = serve(c, http.MethodGet, "/console/budgets/"+budgetID, nil, sessionCookieFor(t, c, coordinator()))
	if strings.Contains(rec.Body.String(), "/claims/new") {
		t.Error("a coordinator is offered a new claim")
	}
}

// A budget not yet approved shows its draft's lines, with nothing claimed, and asks for no report; one the
// API does not show is the console's not-found page.
func TestBudgetPageOfADraftAndOfAnUnknownBudget(t *testing.T) {
	api := budgetAPI("BUDGET_STATE_DRAFT", 0)
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/budgets/"+budgetID, nil, sessionCookieFor(t, c, member()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "Budgeten är inte godkänd ännu") || !strings.Contains(body, "100\u00a0000,00\u00a0kr") ||
		strings.Contains(body, "/claims/new") {
		t.Errorf("%d\n%s", rec.Code, body)
	}
	if api.count() != 1 {
		t.Errorf("%d API calls for a draft, want the budget only", api.count())
	}
	rec = serve(c, http.MethodGet, "/console/budgets/66666666-6666-6666-6666-666666666666", nil, sessionCookieFor(t, c, member()))
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "Sidan finns inte") {
		t.Errorf("an unknown budget: %d", rec.Code)
	}
}

// Every category the API can answer has its words, in both languages.
func TestCatalogueHasEveryBudgetCategory(t *testing.T) {
	if len(budgetCategories) != 13 {
		t.Fatalf("%d categories from the proto: %v", len(budgetCategories), budgetCategories)
	}
	for _, l := range languages {
		for _, cat := range budgetCategories {
			if _, ok := lookup(l, "category."+cat); !ok {
				t.Errorf("%s lacks category.%s", l, cat)
			}
		}
	}
}
