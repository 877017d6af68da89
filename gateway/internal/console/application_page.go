package console

import (
	"net/http"
	"net/url"
)

// applicationData is the application page's content, with the steps the person's role may take now.
type applicationData struct {
	A         application
	Lifecycle []string
	// May says, per step (submit, approve, return, reject, start, close), whether the page offers it, and
	// "edit" whether it links the edit form.
	May map[string]bool
	// Forward are the steps along the lifecycle the page offers, each a button of its own.
	Forward []string
	// ReturnReason and ReturnError are the return form's input as typed and its problem.
	ReturnReason string
	ReturnError  *text
	// Problems are the refusals that belong to no input.
	Problems []text
	// IdempotencyKey is sent with every step, so a double click takes it once.
	IdempotencyKey string
}

// showApplication shows one application with the results it promises and the steps the person may take.
// One the person may not see is not found, exactly as the API says.
func (c *Console) showApplication(w http.ResponseWriter, r *http.Request, s *session) {
	a, err := c.getApplication(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	c.renderApplication(w, r, http.StatusOK, newApplicationData(s, a))
}

func (c *Console) getApplication(r *http.Request, s *session) (application, error) {
	var a application
	path := "/v1/partnerships/" + url.PathEscape(r.PathValue("id")) + "/applications/" + url.PathEscape(r.PathValue("aid"))
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: path}, &a)
	return a, err
}

func newApplicationData(s *session, a application) applicationData {
	data := applicationData{A: a, Lifecycle: applicationLifecycle, May: map[string]bool{}}
	for step := range stepRoles {
		data.May[step] = mayTake(s.Role, a.State, step)
	}
	// Not a step: whether the page links the form that changes the application's content.
	data.May["edit"] = mayEditApplication(s.Role, a.State)
	for _, step := range []string{"submit", "approve", "start", "close"} {
		if data.May[step] {
			data.Forward = append(data.Forward, step)
		}
	}
	return data
}

func (c *Console) renderApplication(w http.ResponseWriter, r *http.Request, status int, data applicationData) {
	// A fresh key each time the page is shown: a double click sends one step twice (taken once), while the
	// form sent again after a correction is a new request.
	data.IdempotencyKey = randomToken()
	c.render(w, r, status, "application", "partnerships", data)
}

// applicationStep is the handler of one step of an application: it posts the etag the page showed, so a
// step on an application that changed meanwhile is refused (409) and changes nothing.
func (c *Console) applicationStep(step string) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		body := map[string]any{"etag": r.PostForm.Get("etag")}
		reason := r.PostForm.Get("returnReason")
		if step == "return" {
			body["reason"] = reason
		}
		pid, aid := r.PathValue("id"), r.PathValue("aid")
		c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost,
			path: "/v1/partnerships/" + url.PathEscape(pid) + "/applications/" + url.PathEscape(aid) + ":" + step,
			body: body, idempotencyKey: r.PostForm.Get("idempotencyKey")}, next: func() string { return applicationPath(pid, aid) },
			refused: func(refusal *apiError) {
				// The application as it now is: after a stale etag the person sees what changed before acting again.
				a, err := c.getApplication(r, s)
				if err != nil {
					c.apiProblem(w, r, err)
					return
				}
				l := languageOf(r)
				data := newApplicationData(s, a)
				if step == "return" {
					data.ReturnReason = reason
				}
				data.Problems = []text{explainApplicationReason(l, refusal)}
				data.Problems = append(data.Problems, stepRules(l, refusal)...)
				for _, v := range refusal.Fields {
					if v.Field == "reason" && step == "return" {
						msg := explainAreaField(l, "application.returnReason", v.Description)
						data.ReturnError = &msg
						continue
					}
					data.Problems = append(data.Problems, explainAreaField(l, "application."+v.Field, v.Description))
				}
				c.renderApplication(w, r, refusal.HTTPStatus, data)
			}})
	}
}

// ruleListReasons are refusals whose broken rules are the substance (which team member, which section is
// missing): their rules are shown in the API's English words in both languages, since the catalogue's
// sentence alone would not say what to do.
var ruleListReasons = map[string]bool{"TEAM_INCOMPLETE": true, "STEERING_GROUP_UNBALANCED": true,
	"APPLICATION_INCOMPLETE": true, "REPORT_INCOMPLETE": true}

// stepRules are the broken rules of a refused step to show under its reason.
func stepRules(l lang, e *apiError) []text {
	if !ruleListReasons[e.Reason] {
		return ruleTexts(l, e)
	}
	out := make([]text, 0, len(e.Rules))
	for _, rule := range e.Rules {
		out = append(out, text{Text: rule, Lang: english})
	}
	return out
}
