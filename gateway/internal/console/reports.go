package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// reportsData is the reports list's content, with the form that starts a report.
type reportsData struct {
	P       partnership
	Reports []partnerReport
	Next    string
	// Application is the filter as chosen (a report list reached from an application's page).
	Application string
	// Applications are the partnership's applications by id, to name each report's; Reportable those a
	// report may be started on (approved, running or closed).
	Applications map[string]application
	Reportable   []application
	CanReport    bool
	Form         reportForm
	Kinds        []string
	Errors       map[string]*text
	Problems     []text
}

// reportForm is the new report's form as it was filled in.
type reportForm struct {
	ApplicationID, Kind, Year string
	IdempotencyKey            string
}

// reportInputs are the form's inputs under the API's names (report.applicationId, report.kind, report.year).
var reportInputs = []string{"applicationId", "kind", "year"}

// reportReasonInputs are refusals of a new report that concern one input.
var reportReasonInputs = map[string]string{
	"APPLICATION_NOT_APPROVED": "applicationId",
	"REPORT_EXISTS":            "year",
}

// reportFilters is the list's one filter: the application reported on.
var reportFilters = []filter{{"application", "application_id"}}

// listReports shows a partnership's reports, oldest first, optionally those of one application.
func (c *Console) listReports(w http.ResponseWriter, r *http.Request, s *session) {
	c.showReports(w, r, s, http.StatusOK, reportForm{Kind: "REPORT_KIND_PARTIAL"}, nil)
}

func (c *Console) showReports(w http.ResponseWriter, r *http.Request, s *session, status int, form reportForm, refusal *apiError) {
	id := r.PathValue("id")
	in := r.URL.Query()
	data := reportsData{Application: in.Get("application"), CanReport: mayApply(s.Role), Form: form, Kinds: partnerReportKinds,
		Applications: map[string]application{}, Errors: map[string]*text{}}
	base := "/v1/partnerships/" + url.PathEscape(id)
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: base}, &data.P); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	var answer struct {
		Reports       []partnerReport `json:"reports"`
		NextPageToken string          `json:"nextPageToken"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: base + "/reports",
		query: listQuery(in, reportFilters...)}, &answer); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data.Reports = answer.Reports
	data.Next = nextPage("/console/partnerships/"+url.PathEscape(id)+"/reports", in, answer.NextPageToken, reportFilters...)
	apps, err := c.allApplications(r, s, id)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	for _, a := range apps {
		data.Applications[a.ID] = a
		if reportableApplication(a.State) {
			data.Reportable = append(data.Reportable, a)
		}
	}
	if data.Form.ApplicationID == "" && data.Application != "" {
		data.Form.ApplicationID = data.Application
	}
	data.Form.IdempotencyKey = randomToken()
	if refusal != nil {
		data.Errors, data.Problems = areaRefusal("report", reportInputs, reportReasonInputs, explainReportReason).place(languageOf(r), refusal)
	}
	c.render(w, r, status, "reports", "partnerships", data)
}

// maxApplicationPages bounds the pages of applications read to name reports: a partnership has a handful
// (one inception, a project or two, a steering group a year), far below 500 a page.
const maxApplicationPages = 4

// allApplications reads a partnership's applications, page by page.
func (c *Console) allApplications(r *http.Request, s *session, partnershipID string) ([]application, error) {
	var all []application
	token := ""
	for range maxApplicationPages {
		q := url.Values{"page_size": {"500"}}
		if token != "" {
			q.Set("page_token", token)
		}
		var answer struct {
			Applications  []application `json:"applications"`
			NextPageToken string        `json:"nextPageToken"`
		}
		if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet,
			path: "/v1/partnerships/" + url.PathEscape(partnershipID) + "/applications", query: q}, &answer); err != nil {
			return nil, err
		}
		all = append(all, answer.Applications...)
		if token = answer.NextPageToken; token == "" {
			break
		}
	}
	return all, nil
}

// createReport starts a report: the application, partial or final, and for a partial report its year (a
// final report's is the application's last, which the service fills in). A year that is not a number is
// marked beside its input and nothing is sent.
func (c *Console) createReport(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	form := reportForm{ApplicationID: r.PostForm.Get("applicationId"), Kind: r.PostForm.Get("kind"),
		Year: strings.TrimSpace(r.PostForm.Get("year")), IdempotencyKey: r.PostForm.Get("idempotencyKey")}
	body := map[string]any{"applicationId": form.ApplicationID, "kind": form.Kind}
	if form.Year != "" {
		year, err := strconv.Atoi(form.Year)
		if err != nil || year < 0 {
			// Marked as the API marks a bad field, with the catalogue's sentence for the year.
			c.showReports(w, r, s, http.StatusBadRequest, form, &apiError{HTTPStatus: http.StatusBadRequest, Reason: "INVALID_ARGUMENT",
				Fields: []fieldViolation{{Field: "report.year"}}})
			return
		}
		body["year"] = year
	}
	var created partnerReport
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost,
		path: "/v1/partnerships/" + url.PathEscape(id) + "/reports", body: body, idempotencyKey: form.IdempotencyKey}, out: &created, next: func() string { return reportPath(id, created.ID) },
		refused: func(refusal *apiError) { c.showReports(w, r, s, refusal.HTTPStatus, form, refusal) }})
}

// reportPath is the console's address of one report.
func reportPath(partnershipID, id string) string {
	return "/console/partnerships/" + url.PathEscape(partnershipID) + "/reports/" + url.PathEscape(id)
}

// explainReportReason says why the API refused a report or a step of one: this area's sentence for
// reports, else the applications' (the partnership's rules are the same), else the console's general one.
func explainReportReason(l lang, e *apiError) text {
	if msg, ok := lookup(l, "partnerReports.reason."+e.Reason); ok {
		return text{Text: msg, Lang: l}
	}
	return explainApplicationReason(l, e)
}
