package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// A partnership's exchange visits (planned, held, cancelled) and, per year it was in inception or active,
// whether it met the programme's visit rule: the meetings the year had, per host, against what the rules
// in force that year ask for.

// shownYear is one year of compliance as the page shows it.
type shownYear struct {
	yearCompliance
	// Rule is what the rules in force that year ask for; nil when no rules cover the year.
	Rule       *visitRule
	Violations []shownViolation
}

// visitAction is what a refused hold or cancel of one visit brings back to its forms.
type visitAction struct {
	Outcomes, Reason          string
	HoldError, CancelError    *text
	OutcomesError, ReasonText *text
}

// visitsData is the visits page's content.
type visitsData struct {
	P       partnership
	Parties []partnershipParty
	Names   map[string]string
	Visits  []visit
	Years   []shownYear
	// CanChange says whether the role may plan, hold and cancel visits (the API still decides).
	CanChange bool
	Form      visitForm
	Errors    map[string]*text
	Summary   []string
	Problems  []text
	// Actions are refused holds and cancels, by visit.
	Actions        map[string]*visitAction
	IdempotencyKey string
}

// visitForm is the plan form as the person filled it in; Travellers by party.
type visitForm struct {
	Start, End, Host, Purpose string
	Travellers                map[string]string
}

// visitInputs are the plan form's inputs, by the API's field paths, in the form's order.
var visitInputs = []string{"visit.startDate", "visit.endDate", "visit.hostOrganizationId", "visit.travellers", "visit.purpose"}

// visitAliases fold the API's names for a visit's travellers ("visit.participants.<party>") into the one
// group of inputs the form has for them.
var visitAliases = map[string]string{"visit.participants": "visit.travellers"}

// showVisits shows the visits and the compliance per year.
func (c *Console) showVisits(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderVisits(w, r, s, http.StatusOK, func(*visitsData) {})
}

func (c *Console) renderVisits(w http.ResponseWriter, r *http.Request, s *session, status int, adjust func(*visitsData)) {
	p, err := c.partnershipOfRequest(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	orgs, err := c.listOrganizations(r, s.Token)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	var visits struct {
		Visits []visit `json:"visits"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: apiPartnershipPath(r, "/visits"),
		query: url.Values{"page_size": {"500"}}}, &visits); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	var compliance struct {
		Years []yearCompliance `json:"years"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: apiPartnershipPath(r, "/compliance")}, &compliance); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	l, names := languageOf(r), organizationNames(orgs)
	data := visitsData{P: p, Parties: p.Parties(names), Names: names, Visits: visits.Visits,
		CanChange: slices.Contains([]string{"admin", "coordinator", "member", "partner"}, s.Role) && !partnershipClosed(p.State),
		Errors:    map[string]*text{}, Actions: map[string]*visitAction{}, IdempotencyKey: randomToken(),
		Form: visitForm{Travellers: map[string]string{}}}
	for _, y := range compliance.Years {
		rule, err := c.visitRuleOf(r, s, y.Year)
		if err != nil {
			c.apiProblem(w, r, err)
			return
		}
		data.Years = append(data.Years, shownYear{yearCompliance: y, Rule: rule, Violations: explainViolations(l, y.Violations, names)})
	}
	adjust(&data)
	c.render(w, r, status, "visits", "partnerships", data)
}

// visitRuleOf reads the visit rule the API measures year by: the rules in force on its last day, or today
// for the current year (as the service does). No rules on that day is no rule, not an error.
func (c *Console) visitRuleOf(r *http.Request, s *session, year int) (*visitRule, error) {
	day := time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC)
	if today := stockholmToday(); day.After(today) {
		day = today
	}
	var rules struct {
		Visits *visitRule `json:"visits"`
	}
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/programme-rules",
		query: url.Values{"date": {day.Format(time.DateOnly)}}}, &rules)
	var e *apiError
	if errors.As(err, &e) && e.HTTPStatus == http.StatusNotFound {
		return nil, nil
	}
	if err == nil && rules.Visits == nil {
		rules.Visits = &visitRule{} // the API leaves out a rule of zeros
	}
	return rules.Visits, err
}

// stockholmToday is today's date where the programme keeps its calendar.
func stockholmToday() time.Time {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		loc = time.UTC
	}
	y, m, d := time.Now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// planVisit sends the plan form to the API as a planned visit. Dates the console cannot read are marked
// beside their inputs and nothing is sent.
func (c *Console) planVisit(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	form := visitForm{Start: strings.TrimSpace(f.Get("startDate")), End: strings.TrimSpace(f.Get("endDate")), Host: f.Get("hostOrganizationId"),
		Purpose: f.Get("purpose"), Travellers: map[string]string{}}
	l := languageOf(r)
	errs := map[string]*text{}
	body := map[string]any{"hostOrganizationId": form.Host, "purpose": form.Purpose, "state": visitPlanned}
	for input, value := range map[string]string{"visit.startDate": form.Start, "visit.endDate": form.End} {
		day, err := time.Parse(time.DateOnly, value)
		if err != nil {
			errs[input] = &text{Text: translate(l, "field."+input), Lang: l}
			continue
		}
		body[strings.TrimPrefix(input, "visit.")] = map[string]int{"year": day.Year(), "month": int(day.Month()), "day": day.Day()}
	}
	travellers := []map[string]any{}
	for key, values := range f {
		org, ok := strings.CutPrefix(key, "travellers-")
		if !ok || strings.TrimSpace(values[0]) == "" {
			continue
		}
		form.Travellers[org] = values[0]
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(values[0]), &n); err != nil {
			errs["visit.travellers"] = &text{Text: translate(l, "field.visit.travellers"), Lang: l}
			continue
		}
		travellers = append(travellers, map[string]any{"organizationId": org, "count": n})
	}
	slices.SortFunc(travellers, func(a, b map[string]any) int {
		return strings.Compare(a["organizationId"].(string), b["organizationId"].(string))
	})
	body["travellers"] = travellers
	if len(errs) > 0 {
		c.renderVisits(w, r, s, http.StatusBadRequest, func(d *visitsData) {
			d.Form, d.Errors, d.Summary = form, errs, refusedInputs(visitInputs, errs)
			d.Problems = []text{{Text: translate(l, "reason.INVALID_ARGUMENT"), Lang: l}}
		})
		return
	}
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: apiPartnershipPath(r, "/visits"), body: body,
		idempotencyKey: f.Get("idempotencyKey")}, next: func() string { return partnershipPage(r, "/visits") },
		refused: func(refusal *apiError) {
			c.renderVisits(w, r, s, refusal.HTTPStatus, func(d *visitsData) {
				d.Form = form
				d.Errors, d.Problems = partnershipPartsRefusal(visitInputs, visitAliases).place(l, refusal)
				d.Summary = refusedInputs(visitInputs, d.Errors)
			})
		}})
}

// holdVisit records that a planned visit was held, with what came of it. The API refuses a visit whose last
// day has not come (VISIT_NOT_OVER); that is said beside the visit's hold button.
func (c *Console) holdVisit(w http.ResponseWriter, r *http.Request, s *session) {
	outcomes := r.PostForm.Get("outcomes")
	body := map[string]any{"etag": r.PostForm.Get("etag")}
	if strings.TrimSpace(outcomes) != "" {
		body["outcomes"] = outcomes
	}
	c.visitStep(w, r, s, "hold", body, func(a *visitAction, l lang, e *apiError) {
		a.Outcomes = outcomes
		for _, v := range e.Fields {
			if v.Field == "outcomes" || v.Field == "visit.outcomes" {
				msg := explainField(l, "visit.outcomes", v.Description)
				a.OutcomesError = &msg
			}
		}
		if a.OutcomesError == nil {
			msg := explainStep(l, e)
			a.HoldError = &msg
		}
	})
}

// cancelVisit cancels a planned visit with the reason given; the API requires one.
func (c *Console) cancelVisit(w http.ResponseWriter, r *http.Request, s *session) {
	reason := r.PostForm.Get("reason")
	c.visitStep(w, r, s, "cancel", map[string]any{"etag": r.PostForm.Get("etag"), "reason": reason}, func(a *visitAction, l lang, e *apiError) {
		a.Reason = reason
		for _, v := range e.Fields {
			if v.Field == "reason" {
				msg := explainField(l, "visit.cancelReason", v.Description)
				a.ReasonText = &msg
			}
		}
		if a.ReasonText == nil {
			msg := explainStep(l, e)
			a.CancelError = &msg
		}
	})
}

// explainStep says why a step was refused: the area's sentence, with the API's precise words (which name
// the dates) as detail in Swedish or instead of the general sentence in English.
func explainStep(l lang, e *apiError) text {
	msg := explainPartnershipReason(l, e)
	if len(e.Rules) > 0 {
		if l == english {
			return text{Text: e.Rules[0], Lang: english}
		}
		msg.Detail = e.Rules[0]
	}
	return msg
}

// visitStep posts one step of a visit (:hold, :cancel). Success shows the visits page; a refusal the person
// can act on shows it again with the refusal placed by onRefusal beside that visit's forms.
func (c *Console) visitStep(w http.ResponseWriter, r *http.Request, s *session, step string, body map[string]any,
	onRefusal func(*visitAction, lang, *apiError)) {
	id := r.PathValue("visit")
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost,
		path: apiPartnershipPath(r, "/visits/"+url.PathEscape(id)+":"+step), body: body}, next: func() string { return partnershipPage(r, "/visits") },
		refused: func(refusal *apiError) {
			c.renderVisits(w, r, s, refusal.HTTPStatus, func(d *visitsData) {
				a := &visitAction{}
				onRefusal(a, languageOf(r), refusal)
				d.Actions[id] = a
			})
		}})
}
