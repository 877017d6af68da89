package console

import (
	"net/http"
	"net/url"
	"regexp"
)

// reportData is the report page's content: the report beside the framework of the application it reports
// on, so each promised result is shown with what the report says of it.
type reportData struct {
	R partnerReport
	A application
	// May says, per step (submit, approve, return, and edit for writing the text), whether the page offers it.
	May map[string]bool
	// Sections are the return form's choices; Section, ReturnReason the form as typed, with their problems.
	Sections                  []string
	Section, ReturnReason     string
	SectionError, ReturnError *text
	Problems                  []text
	IdempotencyKey            string
}

// showReport shows one report against its application's framework, and the steps the person may take.
func (c *Console) showReport(w http.ResponseWriter, r *http.Request, s *session) {
	data, err := c.loadReport(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	c.renderReport(w, r, http.StatusOK, data)
}

// loadReport reads the report and the application it reports on; either one the person may not see is
// not found, as the API says.
func (c *Console) loadReport(r *http.Request, s *session) (reportData, error) {
	pid := r.PathValue("id")
	var rep partnerReport
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet,
		path: "/v1/partnerships/" + url.PathEscape(pid) + "/reports/" + url.PathEscape(r.PathValue("rid"))}, &rep); err != nil {
		return reportData{}, err
	}
	var a application
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet,
		path: "/v1/partnerships/" + url.PathEscape(pid) + "/applications/" + url.PathEscape(rep.ApplicationID)}, &a); err != nil {
		return reportData{}, err
	}
	data := reportData{R: rep, A: a, May: map[string]bool{}, Sections: reportSections, Section: reportSections[0]}
	for step := range reportStepRoles {
		data.May[step] = mayTakeReportStep(s.Role, rep.State, step)
	}
	// The text is written while the report is a draft or returned, by those who may submit it.
	data.May["edit"] = mayTakeReportStep(s.Role, rep.State, "submit")
	return data, nil
}

func (c *Console) renderReport(w http.ResponseWriter, r *http.Request, status int, data reportData) {
	// A fresh key each time the page is shown, as on the application's page.
	data.IdempotencyKey = randomToken()
	c.render(w, r, status, "report", "partnerships", data)
}

// returnField matches the API's name for a field of the one return reason the form sends.
var returnField = regexp.MustCompile(`^reasons\[0\]\.(section|reason)$`)

// reportStep is the handler of one step of a report, sent with the etag the page showed. Returning sends
// the one section and reason the coordinator wrote.
func (c *Console) reportStep(step string) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		body := map[string]any{"etag": r.PostForm.Get("etag")}
		section, reason := r.PostForm.Get("section"), r.PostForm.Get("returnReason")
		if step == "return" {
			body["reasons"] = []map[string]string{{"section": section, "reason": reason}}
		}
		pid, rid := r.PathValue("id"), r.PathValue("rid")
		c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost,
			path: "/v1/partnerships/" + url.PathEscape(pid) + "/reports/" + url.PathEscape(rid) + ":" + step,
			body: body, idempotencyKey: r.PostForm.Get("idempotencyKey")}, next: func() string { return reportPath(pid, rid) },
			refused: func(refusal *apiError) {
				data, err := c.loadReport(r, s)
				if err != nil {
					c.apiProblem(w, r, err)
					return
				}
				l := languageOf(r)
				if step == "return" {
					data.Section, data.ReturnReason = section, reason
				}
				data.Problems = append([]text{explainReportReason(l, refusal)}, stepRules(l, refusal)...)
				for _, v := range refusal.Fields {
					m := returnField.FindStringSubmatch(v.Field)
					switch {
					case step == "return" && m != nil && m[1] == "section":
						msg := explainAreaField(l, "report.section", v.Description)
						data.SectionError = &msg
					case step == "return" && m != nil:
						msg := explainAreaField(l, "report.returnReason", v.Description)
						data.ReturnError = &msg
					default:
						data.Problems = append(data.Problems, explainAreaField(l, "report."+v.Field, v.Description))
					}
				}
				c.renderReport(w, r, refusal.HTTPStatus, data)
			}})
	}
}
