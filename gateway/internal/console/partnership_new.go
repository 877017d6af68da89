package console

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
)

// partnershipForm is the create form as the person filled it in, kept to show it again after a refusal.
type partnershipForm struct {
	Title, Challenge       string
	Swedish, International string
	Third                  string
	CoreAreas              map[string]bool
	SDGTargets             string
	IdempotencyKey         string
}

// formInputs are the form's inputs, named as the API names the fields in lowerCamelCase, so a field
// violation finds its input by name.
// They are listed in the order the form shows them, which is the order of the summary above it.
var formInputs = []string{"title", "swedishOrganizationId", "internationalOrganizationId", "thirdOrganizationId",
	"challenge", "coreAreas", "sdgTargets"}

// newData is the create form's content.
type newData struct {
	Form          partnershipForm
	Swedish       []organization
	International []organization
	CoreAreas     []string
	// Errors holds the problem beside each input that has one; Problems those that belong to no input.
	Errors   map[string]*text
	Problems []text
	// Summary lists the inputs with a problem in the form's order, for the links above the form.
	Summary []string
}

// newPartnership shows the empty create form; a member's own organisation is chosen as the Swedish party.
func (c *Console) newPartnership(w http.ResponseWriter, r *http.Request, s *session) {
	c.showForm(w, r, s, http.StatusOK, partnershipForm{Swedish: s.Org, CoreAreas: map[string]bool{}}, nil)
}

func (c *Console) showForm(w http.ResponseWriter, r *http.Request, s *session, status int, form partnershipForm, refusal *apiError) {
	orgs, err := c.listOrganizations(r, s.Token)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data := newData{Form: form, CoreAreas: coreAreas, Errors: map[string]*text{}}
	// A fresh key each time the form is shown: a double click sends one request twice (one partnership),
	// while the form sent again after a correction is a new request.
	data.Form.IdempotencyKey = randomToken()
	for _, o := range orgs {
		if o.Swedish() {
			data.Swedish = append(data.Swedish, o)
		} else {
			data.International = append(data.International, o)
		}
	}
	if refusal != nil {
		data.Errors, data.Problems = newPartnershipRefusal.place(languageOf(r), refusal)
		data.Summary = refusedInputs(formInputs, data.Errors)
	}
	c.render(w, r, status, "partnership-new", "partnerships", data)
}

// reasonInputs are the refusals without field violations that are still about one input, so the reason is
// shown beside it too.
var reasonInputs = map[string]string{
	"OTHER_ORGANIZATION":   "swedishOrganizationId",
	"COUNTRY_NOT_ELIGIBLE": "internationalOrganizationId",
}

// newPartnershipRefusal places a refusal of the new partnership form.
var newPartnershipRefusal = refusalPlacement{inputs: formInputs, input: underResource("partnership"),
	field: explainField, reason: explainReason, reasonInputs: reasonInputs}

// joinOnce adds more to s, unless s already says it.
func joinOnce(s, more string) string {
	switch {
	case more == "" || strings.Contains(s, more):
		return s
	case s == "":
		return more
	}
	return s + "; " + more
}

// createPartnership sends the form to POST /v1/partnerships. A refusal shows the form again as it was
// filled in, with each problem beside its input; a success shows the new partnership.
func (c *Console) createPartnership(w http.ResponseWriter, r *http.Request, s *session) {
	form := readPartnershipForm(r.PostForm)
	body := map[string]any{
		"title":                       form.Title,
		"challenge":                   form.Challenge,
		"swedishOrganizationId":       form.Swedish,
		"internationalOrganizationId": form.International,
		"coreAreas":                   checked(form.CoreAreas),
		"sdgTargets":                  splitTargets(form.SDGTargets),
	}
	if form.Third != "" {
		body["thirdOrganizationId"] = form.Third
	}
	var created partnership
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodPost, path: "/v1/partnerships", body: body,
		idempotencyKey: form.IdempotencyKey}, &created)
	var refusal *apiError
	switch {
	case err == nil:
		http.Redirect(w, r, "/console/partnerships/"+url.PathEscape(created.ID), http.StatusSeeOther)
	case errors.As(err, &refusal) && refusal.HTTPStatus != http.StatusUnauthorized && refusal.HTTPStatus < 500:
		c.showForm(w, r, s, refusal.HTTPStatus, form, refusal)
	default:
		c.apiProblem(w, r, err)
	}
}

func readPartnershipForm(v url.Values) partnershipForm {
	f := partnershipForm{
		Title: v.Get("title"), Challenge: v.Get("challenge"),
		Swedish: v.Get("swedishOrganizationId"), International: v.Get("internationalOrganizationId"),
		Third: v.Get("thirdOrganizationId"), SDGTargets: v.Get("sdgTargets"),
		IdempotencyKey: v.Get("idempotencyKey"), CoreAreas: map[string]bool{},
	}
	for _, a := range v["coreAreas"] {
		f.CoreAreas[a] = true
	}
	return f
}

// checked lists the chosen core areas in the order the form shows them.
func checked(chosen map[string]bool) []string {
	out := []string{}
	for _, a := range coreAreas {
		if chosen[a] {
			out = append(out, a)
		}
	}
	for a := range chosen {
		if !slices.Contains(coreAreas, a) {
			out = append(out, a) // not one of ours: the API says what is wrong with it
		}
	}
	return out
}

// splitTargets reads "16.7, 11.3" (commas, semicolons or white space between) as a list of SDG targets; the
// list is never nil, so the API is sent [] rather than null.
func splitTargets(s string) []string {
	return append([]string{}, strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })...)
}

// partnershipPartsRefusal places a refusal of the forms of a partnership's parts (steering group, visits,
// changes): inputs are the API's field paths without list indexes ("member.displayName"), alias folds a
// path and everything under it into one input. Reasons are explained by explainPartnershipReason, so "it
// changed meanwhile" is not said in a claim's words.
func partnershipPartsRefusal(inputs []string, alias map[string]string) refusalPlacement {
	return refusalPlacement{inputs: inputs, input: aliased(alias), field: explainField, reason: explainPartnershipReason}
}

// explainPartnershipReason says what went wrong with a change of a partnership or its parts: the
// partnership area's own sentence for the reason when it has one (an etag mismatch is about the partnership
// or visit here, not a claim), else what explainReason says.
func explainPartnershipReason(l lang, e *apiError) text {
	if msg, ok := lookup(l, "partnershipReason."+e.Reason); ok {
		return text{Text: msg, Lang: l, Detail: detailIn(l, e)}
	}
	return explainReason(l, e)
}

// detailIn keeps the API's English words beside a Swedish sentence; in English the sentence is enough.
func detailIn(l lang, e *apiError) string {
	if l == english {
		return ""
	}
	return e.Message
}
