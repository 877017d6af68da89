package console

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Changing a draft or returned application's content on its own page: the dates, purpose, problem, the
// results framework (objectives, their results, the results' indicators with baseline and target), the
// planned activities, risks and the gender, inclusion and anti-corruption considerations. Sending it
// changes only the fields the person changed (PATCH with an update mask), under the etag the form was read
// with; a change someone made meanwhile is refused by the API and shown beside what was typed.

// applicationEditData is the edit page's content.
type applicationEditData struct {
	A    application
	Form appForm
	// Errors are the problems beside inputs, by input name; Problems those that belong to no input.
	Errors   map[string]*text
	Problems []text
	// Current is the application as it now is, after someone else changed it while the person edited.
	Current *application
	// Sections are the form's fieldsets as drawn; Summary the inputs with a problem, linked above the form.
	Sections []editGroup
	Summary  []summaryLine
}

// mayEditApplication says whether the page offers the edit form: the applicant's roles while the
// application is a draft or returned; after approval (approved or running) ICLD's staff, who record the
// change as a revision with a reason.
func mayEditApplication(role, state string) bool {
	if revisedByICLD(state) {
		return role == "admin" || role == "coordinator"
	}
	return slices.Contains([]string{"admin", "coordinator", "member"}, role) &&
		(state == "APPLICATION_STATE_DRAFT" || state == "APPLICATION_STATE_RETURNED")
}

// revisedByICLD says whether a change of an application in state is a revision of what ICLD approved,
// which the API takes only with a reason (revision_reason).
func revisedByICLD(state string) bool {
	return state == "APPLICATION_STATE_APPROVED" || state == "APPLICATION_STATE_RUNNING"
}

// editApplication shows the form with the application's content and one empty row of each kind.
func (c *Console) editApplication(w http.ResponseWriter, r *http.Request, s *session) {
	a, err := c.getApplication(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	c.renderApplicationEdit(w, r, http.StatusOK, applicationEditData{A: a, Form: appFormOf(a)})
}

func (c *Console) renderApplicationEdit(w http.ResponseWriter, r *http.Request, status int, data applicationEditData) {
	if data.Errors == nil {
		data.Errors = map[string]*text{}
	}
	data.Form = data.Form.withEmptyRows()
	data.Sections = data.Form.sections(languageOf(r), data.Errors)
	if revisedByICLD(data.A.State) {
		// A revision's reason comes last, after the content it explains.
		data.Sections = append(data.Sections, editGroup{Legend: translate(languageOf(r), "application.edit.revision"),
			Inputs: []editInput{formView{l: languageOf(r), errs: data.Errors}.input("revisionReason", "revisionReason", "textarea", data.Form.RevisionReason, "")}})
	}
	data.Summary = summaryOf(data.Sections)
	c.render(w, r, status, "application-edit", "partnerships", data)
}

// updateApplication sends what the person changed. "More rows" shows the form again as typed with new empty
// rows, sending nothing.
func (c *Console) updateApplication(w http.ResponseWriter, r *http.Request, s *session) {
	typed := appFormFrom(r.PostForm).compact()
	// The application as it is now: what the form is compared with, so only what the person changed is sent.
	now, err := c.getApplication(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	if r.PostForm.Has("moreRows") {
		c.renderApplicationEdit(w, r, http.StatusOK, applicationEditData{A: now, Form: typed})
		return
	}
	body, mask, bad := changedBody(typed, appFormOf(now))
	l := languageOf(r)
	if len(bad) > 0 {
		data := applicationEditData{A: now, Form: typed, Errors: map[string]*text{}}
		for _, input := range bad {
			msg := explainAreaField(l, "application."+fieldKind(input), "")
			data.Errors[input] = &msg
		}
		data.Problems = []text{{Text: translate(l, "reason.INVALID_ARGUMENT"), Lang: l}}
		c.renderApplicationEdit(w, r, http.StatusBadRequest, data)
		return
	}
	pid, aid := r.PathValue("id"), r.PathValue("aid")
	if len(mask) == 0 {
		http.Redirect(w, r, applicationPath(pid, aid), http.StatusSeeOther)
		return
	}
	body["etag"] = typed.Etag
	query := url.Values{"update_mask": {strings.Join(mask, ",")}}
	if revisedByICLD(now.State) {
		// The reason goes beside the application (the body is the application itself), kept with the revision.
		query.Set("revision_reason", typed.RevisionReason)
	}
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPatch,
		path:  "/v1/partnerships/" + url.PathEscape(pid) + "/applications/" + url.PathEscape(aid),
		query: query, body: body}, next: func() string { return applicationPath(pid, aid) },
		refused: func(refusal *apiError) {
			data := applicationEditData{A: now, Form: typed}
			inputs := append(typed.withEmptyRows().inputs(), "revisionReason")
			data.Errors, data.Problems = refusalPlacement{inputs: inputs, input: applicationInput(inputs), reason: explainApplicationReason, unreadBody: true,
				field: func(l lang, input, description string) text {
					return explainAreaField(l, "application."+fieldKind(input), description)
				}}.place(l, refusal)
			if staleEtag(refusal) {
				// Someone changed it meanwhile: show what it now holds, and let the next send apply to that version.
				data.Current, data.Form.Etag = &now, now.Etag
				data.Problems = []text{{Text: translate(l, "application.edit.stale"), Lang: l, Detail: englishDetail(l, refusal.Message)}}
			}
			c.renderApplicationEdit(w, r, refusal.HTTPStatus, data)
		}})
}

// snakeWord matches a snake_case joint of an API field path ("planned_activities", "objective_id").
var snakeWord = regexp.MustCompile(`_([a-z])`)

// rowPath matches a field path that names a whole row ("objectives[1].results[0]").
var rowPath = regexp.MustCompile(`(objectives|results|indicators|plannedActivities|risks)\[\d+\]$`)

// rowFirstInput is the input of a row a violation about the whole row stands beside.
var rowFirstInput = map[string]string{"objectives": ".statement", "results": ".statement", "indicators": ".name",
	"plannedActivities": ".description", "risks": ".description"}

// applicationInput names the input a field violation is about: "application.objectives[1].results[0].
// indicators[2].target" is the target's value input of that row (rows sent are the rows shown), a row
// itself its first input, and a path of no input its nearest enclosing one; "" when none is on the form.
func applicationInput(inputs []string) func(string) string {
	return func(field string) string {
		if field == "revision_reason" || field == "revisionReason" {
			return "revisionReason"
		}
		path := strings.TrimPrefix(field, "application.")
		path = snakeWord.ReplaceAllStringFunc(path, func(m string) string { return strings.ToUpper(m[1:]) })
		for path != "" {
			if slices.Contains(inputs, path) {
				return path
			}
			if strings.HasSuffix(path, ".baseline") || strings.HasSuffix(path, ".target") {
				return path + ".value"
			}
			if m := rowPath.FindStringSubmatch(path); m != nil && slices.Contains(inputs, path+rowFirstInput[m[1]]) {
				return path + rowFirstInput[m[1]]
			}
			cut := strings.LastIndexAny(path, ".[")
			if cut < 0 {
				break
			}
			path = path[:cut]
		}
		return ""
	}
}

// fieldKind is an input's name without its row numbers: the key of its sentence and its label.
func fieldKind(input string) string { return fieldIndex.ReplaceAllString(input, "") }

// staleEtag says whether the API refused because the object changed after the form was read: its reason,
// or a conflict that names no other reason (a visit no longer planned is a conflict with a reason of its own).
func staleEtag(e *apiError) bool {
	return e.Reason == "ETAG_MISMATCH" || (e.Reason == "" && (e.HTTPStatus == http.StatusConflict || e.HTTPStatus == http.StatusPreconditionFailed))
}
