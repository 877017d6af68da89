package console

import (
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

// A member enters a claim on an approved budget: the period, the report it belongs to, and each cost with
// its day, budget line, description, amount in kronor and receipt file. The console checks the form, then
// stores each receipt through POST /v1/documents and creates the claim with POST /v1/claims naming them, as
// the person, and shows the new draft, where it can be submitted.
//
// A receipt stored for a claim the API then refuses stays a document of the partnership (documents are
// never deleted by the console). The form keeps it, by its id and hash in hidden inputs, so the corrected
// form names the same file without uploading it again.

// reportOption is one of the application's reports, for the form's choice.
type reportOption struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Year  int    `json:"year"`
	State string `json:"state"`
}

// reportKinds and reportStates are the words a report is named with in the form, for the catalogue test.
var (
	reportKinds  = enumNames(partnershipv1.ReportKind_name)
	reportStates = enumNames(partnershipv1.ReportState_name)
)

// claimNewData is the new claim page's content.
type claimNewData struct {
	B       budget
	Reports []reportOption
	Form    claimFormInput
	// Summary lists every problem with a link to its input, above the form.
	Summary []summaryItem
	// Problems are the refusals that belong to no input.
	Problems []text
	// MoreRows is the address of the same empty form with more rows; empty at the most, and once typed in.
	MoreRows       string
	IdempotencyKey string
}

// summaryItem is one problem of the form, linked to its input.
type summaryItem struct {
	ID, Label string
	Problem   *text
}

// claimRoles may create claims; other roles are not shown a form they could only be refused.
var claimRoles = []string{"admin", "member"}

// newClaimForm shows the empty form for a budget the person may see.
func (c *Console) newClaimForm(w http.ResponseWriter, r *http.Request, s *session) {
	data, ok := c.claimNewPage(w, r, s)
	if !ok {
		return
	}
	for range rowCount(r.URL.Query().Get("lines")) {
		data.Form.Rows = append(data.Form.Rows, claimRowInput{})
	}
	// More rows are offered on the empty form only: following the link would lose what was typed.
	if n := len(data.Form.Rows); n < claimFormMaxRows {
		data.MoreRows = "/console/budgets/" + url.PathEscape(data.B.ID) + "/claims/new?lines=" + strconv.Itoa(min(n+claimFormRows, claimFormMaxRows))
	}
	c.renderClaimNew(w, r, http.StatusOK, data)
}

// claimNewPage reads what the form needs (the budget, its application's reports). ok is false when a
// problem page has been shown instead.
func (c *Console) claimNewPage(w http.ResponseWriter, r *http.Request, s *session) (claimNewData, bool) {
	var data claimNewData
	if !slices.Contains(claimRoles, s.Role) {
		c.renderProblem(w, r, http.StatusForbidden, c.text(r, "reason.ROLE_NOT_ALLOWED"))
		return data, false
	}
	path := "/v1/budgets/" + url.PathEscape(r.PathValue("id"))
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: path}, &data.B); err != nil {
		c.apiProblem(w, r, err)
		return data, false
	}
	var reports struct {
		Reports []reportOption `json:"reports"`
	}
	q := url.Values{"application_id": {data.B.ApplicationID}, "page_size": {"100"}}
	reportsPath := "/v1/partnerships/" + url.PathEscape(data.B.PartnershipID) + "/reports"
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: reportsPath, query: q}, &reports); err != nil {
		c.apiProblem(w, r, err)
		return data, false
	}
	data.Reports = reports.Reports
	data.Form.Errors = map[string]*text{}
	if data.B.ApprovedRevision == 0 || data.B.State == "BUDGET_STATE_CLOSED" {
		data.Problems = []text{c.text(r, "claimNew.budgetNotOpen")}
	}
	return data, true
}

// createClaim checks the form, stores its receipts and creates the claim.
func (c *Console) createClaim(w http.ResponseWriter, r *http.Request, s *session) {
	data, ok := c.claimNewPage(w, r, s)
	if !ok {
		return
	}
	l := languageOf(r)
	form, costs, valid := readClaimForm(l, r.PostForm, chosenReceipts(r.MultipartForm), data.B)
	data.Form = form
	if !valid || len(data.Problems) > 0 {
		if len(data.Problems) == 0 {
			data.Problems = []text{{Text: translate(l, "reason.INVALID_ARGUMENT"), Lang: l}}
		}
		c.renderClaimNew(w, r, http.StatusBadRequest, data)
		return
	}
	for _, cost := range costs {
		if cost.Receipt == nil {
			continue
		}
		stored, err := c.uploadReceipt(r, s.Token, data.B.PartnershipID, cost.Receipt)
		var refusal *apiError
		if errors.As(err, &refusal) && refusal.HTTPStatus != http.StatusUnauthorized && refusal.HTTPStatus < 500 {
			msg := explainReason(l, refusal)
			if len(refusal.Fields) > 0 && refusal.Reason == "INVALID_ARGUMENT" {
				msg = explainField(l, "claimNew.receipt", refusal.Fields[0].Description)
			}
			data.Form.Rows[cost.Row].Errors["receipt"] = &msg
			c.renderClaimNew(w, r, refusal.HTTPStatus, data)
			return
		}
		if err != nil {
			c.apiProblem(w, r, err)
			return
		}
		data.Form.Rows[cost.Row].Stored = stored
	}
	var created claim
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: "/v1/claims",
		body: claimBody(data.B.ID, form, costs, data.Form.Rows), idempotencyKey: r.PostForm.Get("idempotencyKey")}, out: &created, next: func() string { return "/console/claims/" + url.PathEscape(created.ID) },
		refused: func(refusal *apiError) {
			data.Problems = append([]text{explainReason(l, refusal)}, ruleTexts(l, refusal)...)
			data.Problems = append(data.Problems, placeClaimFields(l, &data.Form, costs, refusal)...)
			c.renderClaimNew(w, r, refusal.HTTPStatus, data)
		}})
}

// chosenReceipts are the files chosen on the form's rows, by row: input receipt-<row>. A file input left
// empty sends a part without a name, which is no file.
func chosenReceipts(form *multipart.Form) map[int]*multipart.FileHeader {
	out := map[int]*multipart.FileHeader{}
	if form == nil {
		return out
	}
	for name, headers := range form.File {
		row, err := strconv.Atoi(strings.TrimPrefix(name, "receipt-"))
		if err != nil || !strings.HasPrefix(name, "receipt-") || len(headers) == 0 || headers[0].Filename == "" {
			continue
		}
		out[row] = headers[0]
	}
	return out
}

// claimBody is POST /v1/claims's body: line i is the i-th cost, with the id i+1.
func claimBody(budgetID string, form claimFormInput, costs []claimCost, rows []claimRowInput) map[string]any {
	day := func(iso string) map[string]int {
		t, _ := parseISODay(iso)
		return map[string]int{"year": t.Year(), "month": int(t.Month()), "day": t.Day()}
	}
	body := map[string]any{"budgetId": budgetID, "periodStart": day(form.PeriodStart), "periodEnd": day(form.PeriodEnd)}
	if form.ReportID != "" {
		body["reportId"] = form.ReportID
	}
	lines := make([]map[string]any, 0, len(costs))
	for i, cost := range costs {
		receipt := rows[cost.Row].Stored
		line := map[string]any{"id": strconv.Itoa(i + 1), "date": day(rows[cost.Row].Date), "category": cost.Line.Category,
			"budgetLineId": cost.Line.ID, "original": map[string]any{"currencyCode": "SEK", "amountMinor": strconv.FormatInt(cost.Ore, 10)},
			"receipt": map[string]any{"fileName": receipt.FileName, "size": receipt.Size, "sha256": receipt.SHA256, "documentId": receipt.DocumentID}}
		if cost.Describe != "" {
			line["description"] = cost.Describe
		}
		lines = append(lines, line)
	}
	body["lines"] = lines
	return body
}

// claimLineField matches a field of one line of the API's refusal, as the gateway names it in the request's
// spelling: "claim.lines[2].budgetLineId", "lines[0].receipt.sha256".
var claimLineField = regexp.MustCompile(`^(?:claim\.)?lines\[(\d+)\]\.?([A-Za-z_]*)`)

// claimLineInputs are the form's input of each field of a line, by the field's name in lower case without
// underscores.
var claimLineInputs = map[string]string{"date": "date", "budgetlineid": "line", "category": "line", "description": "description",
	"original": "amount", "cost": "amount", "rate": "amount", "ratedate": "amount", "ratesource": "amount", "receipt": "receipt"}

// claimFields are the form's inputs of the claim's own fields.
var claimFields = map[string]string{"periodstart": "periodStart", "periodend": "periodEnd", "reportid": "reportId", "final": "reportId"}

// placeClaimFields puts each field violation beside its input (line i of the request is the i-th cost)
// and answers the rest, for above the form.
func placeClaimFields(l lang, form *claimFormInput, costs []claimCost, e *apiError) []text {
	var general []text
	for _, v := range e.Fields {
		field := strings.ToLower(strings.ReplaceAll(v.Field, "_", ""))
		if m := claimLineField.FindStringSubmatch(v.Field); m != nil {
			i, _ := strconv.Atoi(m[1])
			input, known := claimLineInputs[strings.ToLower(strings.ReplaceAll(m[2], "_", ""))]
			if known && i < len(costs) {
				msg := explainField(l, "claimNew."+input, v.Description)
				form.Rows[costs[i].Row].Errors[input] = &msg
				continue
			}
		} else if input, known := claimFields[strings.TrimPrefix(field, "claim.")]; known {
			msg := explainField(l, "claimNew."+input, v.Description)
			form.Errors[input] = &msg
			continue
		}
		general = append(general, explainField(l, v.Field, v.Description))
	}
	return general
}

// claimFormInputs are the inputs whose refusals the catalogue explains (field.claimNew.<input>), and each
// has its label (input.claimNew.<input>), for the catalogue test.
var claimFormInputs = []string{"claimNew.periodStart", "claimNew.periodEnd", "claimNew.reportId", "claimNew.date", "claimNew.line",
	"claimNew.description", "claimNew.amount", "claimNew.receipt"}

// renderClaimNew shows the form with its problems summed up above it, in the form's order.
func (c *Console) renderClaimNew(w http.ResponseWriter, r *http.Request, status int, data claimNewData) {
	l := languageOf(r)
	label := func(input string) string { return translate(l, "input.claimNew."+input) }
	for _, input := range []string{"periodStart", "periodEnd", "reportId", "rows"} {
		if e := data.Form.Errors[input]; e != nil {
			id := input
			if input == "rows" {
				id = "line-0"
			}
			data.Summary = append(data.Summary, summaryItem{ID: id, Label: label(strings.Replace(input, "rows", "line", 1)), Problem: e})
		}
	}
	for i, row := range data.Form.Rows {
		data.Form.Rows[i].Number = i + 1
		for _, input := range []string{"date", "line", "description", "amount", "receipt"} {
			if e := row.Errors[input]; e != nil {
				data.Summary = append(data.Summary, summaryItem{ID: input + "-" + strconv.Itoa(i),
					Label: translate(l, "claimNew.cost") + " " + strconv.Itoa(i+1) + ": " + label(input), Problem: e})
			}
		}
	}
	data.IdempotencyKey = randomToken()
	c.render(w, r, status, "claim-new", "claims", data)
}
