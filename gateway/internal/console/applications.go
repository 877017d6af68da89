package console

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// applicationsData is the applications list's content, with the form that starts a new draft.
type applicationsData struct {
	P            partnership
	Applications []application
	Next         string
	// CanApply says whether the person's role may start a draft; the API decides whose partnership.
	CanApply bool
	Form     applicationForm
	Phases   []string
	// Errors holds the problem beside each input of the form; Problems those that belong to no input.
	Errors   map[string]*text
	Problems []text
}

// applicationForm is the new draft's form as it was filled in, kept to show it again after a refusal.
type applicationForm struct {
	Kind, StartDate, EndDate string
	IdempotencyKey           string
}

// applicationInputs are the form's inputs, named as the API names the fields (lowerCamelCase), so a field
// violation "application.startDate" finds its input.
var applicationInputs = []string{"kind", "startDate", "endDate"}

// applicationReasonInputs are refusals without a field violation that are still about one input.
var applicationReasonInputs = map[string]string{
	"INCEPTION_EXISTS":     "kind",
	"INCEPTION_NOT_CLOSED": "kind",
	"NO_RULES_IN_FORCE":    "startDate",
}

// listApplications shows a partnership's applications, oldest first, and to those who may apply the form
// of a new draft. A partnership the person may not see is not found, exactly as the API says.
func (c *Console) listApplications(w http.ResponseWriter, r *http.Request, s *session) {
	c.showApplications(w, r, s, http.StatusOK, applicationForm{}, nil)
}

func (c *Console) showApplications(w http.ResponseWriter, r *http.Request, s *session, status int, form applicationForm, refusal *apiError) {
	id := r.PathValue("id")
	data := applicationsData{CanApply: mayApply(s.Role), Form: form, Phases: applicationPhases, Errors: map[string]*text{}}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet,
		path: "/v1/partnerships/" + url.PathEscape(id)}, &data.P); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	in := r.URL.Query()
	var answer struct {
		Applications  []application `json:"applications"`
		NextPageToken string        `json:"nextPageToken"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet,
		path: "/v1/partnerships/" + url.PathEscape(id) + "/applications", query: listQuery(in)}, &answer); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data.Applications = answer.Applications
	data.Next = nextPage("/console/partnerships/"+url.PathEscape(id)+"/applications", in, answer.NextPageToken)
	// A fresh key each time the form is shown: a double click creates one draft, a corrected form another.
	data.Form.IdempotencyKey = randomToken()
	if refusal != nil {
		data.Errors, data.Problems = areaRefusal("application", applicationInputs, applicationReasonInputs,
			explainApplicationReason).place(languageOf(r), refusal)
	}
	c.render(w, r, status, "applications", "partnerships", data)
}

// createApplication sends the new draft to POST /v1/partnerships/{id}/applications: its kind and its first
// and last day, all a draft needs (its content is written later). Dates go as the person typed them; the API
// reads ISO 8601 and says what is wrong beside the input.
func (c *Console) createApplication(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	form := applicationForm{Kind: r.PostForm.Get("kind"), StartDate: strings.TrimSpace(r.PostForm.Get("startDate")),
		EndDate: strings.TrimSpace(r.PostForm.Get("endDate")), IdempotencyKey: r.PostForm.Get("idempotencyKey")}
	// An empty input is left out, so the API names the missing field rather than failing to read "" as a
	// kind or a date; a date the API could not read at all (a browser without a date picker lets anything
	// be typed) is marked here, as the API would mark it, and nothing is sent.
	body := map[string]any{}
	unreadable := &apiError{HTTPStatus: http.StatusBadRequest, Reason: "INVALID_ARGUMENT"}
	for name, value := range map[string]string{"kind": form.Kind, "startDate": form.StartDate, "endDate": form.EndDate} {
		switch {
		case value == "":
		case name != "kind" && !isoDay.MatchString(value):
			unreadable.Fields = append(unreadable.Fields, fieldViolation{Field: "application." + name})
		default:
			body[name] = value
		}
	}
	if len(unreadable.Fields) > 0 {
		c.showApplications(w, r, s, http.StatusBadRequest, form, unreadable)
		return
	}
	var created application
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost,
		path: "/v1/partnerships/" + url.PathEscape(id) + "/applications", body: body, idempotencyKey: form.IdempotencyKey}, out: &created, next: func() string { return applicationPath(id, created.ID) },
		refused: func(refusal *apiError) { c.showApplications(w, r, s, refusal.HTTPStatus, form, refusal) }})
}

// isoDay is a date as the API reads it in a body: year-month-day.
var isoDay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// applicationPath is the console's address of one application.
func applicationPath(partnershipID, id string) string {
	return "/console/partnerships/" + url.PathEscape(partnershipID) + "/applications/" + url.PathEscape(id)
}

// areaRefusal places a refusal of a form of the applications and reports area: field paths under the
// resource prefix (as the API names them), their sentences under "applications.field.<prefix>.", a reason
// about one input beside it, and a body the API could not read said so.
func areaRefusal(prefix string, inputs []string, reasonInputs map[string]string, reason func(lang, *apiError) text) refusalPlacement {
	return refusalPlacement{inputs: inputs, input: underResource(prefix), reason: reason, reasonInputs: reasonInputs, unreadBody: true,
		field: func(l lang, input, description string) text {
			return explainAreaField(l, prefix+"."+input, description)
		}}
}

// explainAreaField is explainField for this area's inputs, whose sentences are under "applications.field."
// (the catalogue's "field." keys belong to the partnership form).
func explainAreaField(l lang, key, description string) text {
	if l == english && description != "" {
		return text{Text: description, Lang: english}
	}
	if msg, ok := lookup(l, "applications.field."+key); ok {
		return text{Text: msg, Lang: l, Detail: description}
	}
	if description != "" {
		return text{Text: description, Lang: english}
	}
	return text{Text: translate(l, "problem.badRequest"), Lang: l}
}

// explainApplicationReason says why the API refused a step of an application: this area's sentence when it
// has one (the shared "reason." sentences speak of claims), else the console's general one.
func explainApplicationReason(l lang, e *apiError) text {
	if msg, ok := lookup(l, "applications.reason."+e.Reason); ok {
		return text{Text: msg, Lang: l}
	}
	return explainReason(l, e)
}
