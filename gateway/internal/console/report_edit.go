package console

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// The report's text is written on a page of its own: for each objective of the application what was done,
// for each indicator the value reached (a number as the person typed it, or words) with its evidence, for
// each planned activity whether it was done, and the deviations and lessons. The whole text is sent each
// time with the report's etag (update_mask names every section, so an emptied input empties its field).

// reportEditData is the edit page's content: the application's framework and the inputs as filled in.
type reportEditData struct {
	R partnerReport
	A application
	// Form holds each input's value by its name (narrative-0, value-1, done-2, deviations ...).
	Form map[string]string
	// Errors holds the problem beside each input by its name; Problems those that belong to no input.
	Errors         map[string]*text
	Problems       []text
	IdempotencyKey string
}

// reportMask is every section the edit page writes.
const reportMask = "objectives,indicators,activities,deviations,lessons"

// editReport shows the report's text as it stands, in inputs.
func (c *Console) editReport(w http.ResponseWriter, r *http.Request, s *session) {
	data, err := c.loadReport(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	c.renderReportEdit(w, r, http.StatusOK, reportEditData{R: data.R, A: data.A, Form: reportFormOf(data.R, data.A)})
}

func (c *Console) renderReportEdit(w http.ResponseWriter, r *http.Request, status int, data reportEditData) {
	if data.Errors == nil {
		data.Errors = map[string]*text{}
	}
	data.IdempotencyKey = randomToken()
	c.render(w, r, status, "report-edit", "partnerships", data)
}

// reportFormOf fills the inputs from the report, in the application's order.
func reportFormOf(rep partnerReport, a application) map[string]string {
	form := map[string]string{"deviations": rep.Deviations, "lessons": rep.Lessons, "etag": rep.Etag}
	for i, o := range a.Objectives {
		form["narrative-"+strconv.Itoa(i)] = rep.Objective(o.ID)
	}
	for j, ind := range a.Indicators() {
		if got := rep.Indicator(ind.Indicator.ID); got != nil {
			n := strconv.Itoa(j)
			form["evidence-"+n] = got.Evidence
			if got.Value != nil {
				form["value-"+n], form["comment-"+n] = got.Value.Value, got.Value.Comment
			}
		}
	}
	for k, act := range a.PlannedActivities {
		if got := rep.Activity(act.ID); got != nil {
			n := strconv.Itoa(k)
			form["activityComment-"+n] = got.Comment
			if got.Done {
				form["done-"+n] = "on"
			}
		}
	}
	return form
}

// sentItem says which input row an item of a sent list came from, so a field violation "objectives[1]"
// finds the row the person wrote it in.
type sentItem struct{ row int }

// reportBody is the PATCH body read from the form: only the objectives, indicators and activities the person
// wrote something for, each with the row it came from.
func reportBody(form url.Values, a application) (map[string]any, map[string][]sentItem) {
	rows := map[string][]sentItem{}
	objectives := []map[string]any{}
	for i, o := range a.Objectives {
		if narrative := strings.TrimSpace(form.Get("narrative-" + strconv.Itoa(i))); narrative != "" {
			objectives = append(objectives, map[string]any{"objectiveId": o.ID, "narrative": narrative})
			rows["objectives"] = append(rows["objectives"], sentItem{i})
		}
	}
	indicators := []map[string]any{}
	for j, ind := range a.Indicators() {
		n := strconv.Itoa(j)
		value, comment := strings.TrimSpace(form.Get("value-"+n)), strings.TrimSpace(form.Get("comment-"+n))
		evidence := strings.TrimSpace(form.Get("evidence-" + n))
		if value == "" && comment == "" && evidence == "" {
			continue
		}
		// The number goes as typed, a decimal comma read as the point the API writes: never a float.
		v := map[string]any{"value": strings.Replace(value, ",", ".", 1), "comment": comment}
		indicators = append(indicators, map[string]any{"indicatorId": ind.Indicator.ID, "value": v, "evidence": evidence})
		rows["indicators"] = append(rows["indicators"], sentItem{j})
	}
	activities := []map[string]any{}
	for k, act := range a.PlannedActivities {
		n := strconv.Itoa(k)
		done, comment := form.Get("done-"+n) != "", strings.TrimSpace(form.Get("activityComment-"+n))
		if !done && comment == "" {
			continue
		}
		activities = append(activities, map[string]any{"activityId": act.ID, "done": done, "comment": comment})
		rows["activities"] = append(rows["activities"], sentItem{k})
	}
	return map[string]any{"etag": form.Get("etag"), "objectives": objectives, "indicators": indicators,
		"activities": activities, "deviations": form.Get("deviations"), "lessons": form.Get("lessons")}, rows
}

// updateReport sends the report's text. A refusal shows the page again as filled in, each problem beside the
// input it is about; success shows the report.
func (c *Console) updateReport(w http.ResponseWriter, r *http.Request, s *session) {
	data, err := c.loadReport(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	body, rows := reportBody(r.PostForm, data.A)
	pid, rid := r.PathValue("id"), r.PathValue("rid")
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPatch,
		path:  "/v1/partnerships/" + url.PathEscape(pid) + "/reports/" + url.PathEscape(rid),
		query: url.Values{"update_mask": {reportMask}}, body: body, idempotencyKey: r.PostForm.Get("idempotencyKey")}, next: func() string { return reportPath(pid, rid) },
		refused: func(refusal *apiError) {
			form := map[string]string{}
			for name := range r.PostForm {
				form[name] = r.PostForm.Get(name)
			}
			if refusal.HTTPStatus == http.StatusConflict {
				// A stale etag: the report as it now is, so the person sees what changed; what they typed stays.
				form["etag"] = data.R.Etag
			}
			l := languageOf(r)
			edit := reportEditData{R: data.R, A: data.A, Form: form, Errors: map[string]*text{}}
			edit.Problems = append([]text{explainReportReason(l, refusal)}, stepRules(l, refusal)...)
			for _, v := range refusal.Fields {
				input, key := reportInput(v.Field, rows)
				msg := explainAreaField(l, "report."+key, v.Description)
				switch existing := edit.Errors[input]; {
				case input == "":
					edit.Problems = append(edit.Problems, msg)
				case existing == nil:
					edit.Errors[input] = &msg
				default:
					existing.Text = joinOnce(existing.Text, msg.Text)
				}
			}
			c.renderReportEdit(w, r, refusal.HTTPStatus, edit)
		}})
}

// reportItemField matches a field of one sent item: "report.indicators[0].value.value".
var reportItemField = regexp.MustCompile(`^report\.(objectives|indicators|activities)\[(\d+)\]\.?(.*)$`)

// reportInput names the input a field violation is about, and the catalogue's key for its sentence; ""
// for one that belongs to no input (shown above the form).
func reportInput(field string, rows map[string][]sentItem) (input, key string) {
	switch field {
	case "report.deviations", "report.lessons":
		name := strings.TrimPrefix(field, "report.")
		return name, name
	}
	m := reportItemField.FindStringSubmatch(field)
	if m == nil {
		return "", ""
	}
	i, _ := strconv.Atoi(m[2])
	if i >= len(rows[m[1]]) {
		return "", ""
	}
	row := strconv.Itoa(rows[m[1]][i].row)
	switch {
	case m[1] == "objectives":
		return "narrative-" + row, "narrative"
	case m[1] == "activities":
		return "activityComment-" + row, "activityComment"
	case strings.HasPrefix(m[3], "value.comment"):
		return "comment-" + row, "comment"
	case strings.HasPrefix(m[3], "evidence"):
		return "evidence-" + row, "evidence"
	}
	return "value-" + row, "value"
}

// reportEditInputs are the kinds of input whose problems the catalogue explains (applications.field.report.*).
var reportEditInputs = []string{"narrative", "value", "comment", "evidence", "activityComment", "deviations", "lessons"}
