package console

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
)

// A partnership's steering group: who sits on it for each party, and whether it meets the programme's rule
// (for each party a politician from the majority, one from the opposition and a leading official), which
// the API checks; the page says which rule fails for which party, in the person's language.

// steeringMember is what the console reads of the API's Member.
type steeringMember struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organizationId"`
	DisplayName    string `json:"displayName"`
	Email          string `json:"email"`
	Role           string `json:"role"`
	Coordinator    bool   `json:"coordinator"`
	Erased         bool   `json:"erased"`
	CreateTime     string `json:"createTime"`
	Creator        string `json:"creator"`
}

// ruleViolation is one broken programme rule of the API's CompositionCheck or YearCompliance.
type ruleViolation struct {
	OrganizationID string `json:"organizationId"`
	Party          string `json:"party"`
	Rule           string `json:"rule"`
	Description    string `json:"description"`
}

// shownViolation is a broken rule as the page says it: the party it concerns and the sentence in the
// person's language (the API's English sentence when the catalogue has none for the rule).
type shownViolation struct {
	Party string
	Says  text
}

// explainViolations puts the API's violations into words in l, naming each party by names.
func explainViolations(l lang, vs []ruleViolation, names map[string]string) []shownViolation {
	out := make([]shownViolation, 0, len(vs))
	for _, v := range vs {
		says := text{Text: v.Description, Lang: english}
		if msg, ok := lookup(l, "programmeRule."+v.Rule); ok {
			says = text{Text: msg, Lang: l, Detail: englishDetail(l, v.Description)}
		}
		out = append(out, shownViolation{Party: cmp.Or(names[v.OrganizationID], v.Party), Says: says})
	}
	return out
}

// englishDetail is the API's English words as a detail beside a Swedish sentence, and nothing in English.
func englishDetail(l lang, s string) string {
	if l == english {
		return ""
	}
	return s
}

// steeringRoles are the roles a steering group has (an official sits on teams only); the form offers these.
var steeringRoles = []string{"MEMBER_ROLE_MAJORITY_POLITICIAN", "MEMBER_ROLE_OPPOSITION_POLITICIAN", "MEMBER_ROLE_LEADING_OFFICIAL"}

// steeringRules are the rules of a steering group the API checks, whose words the catalogue has.
var steeringRules = []string{"MAJORITY_POLITICIAN_MISSING", "OPPOSITION_POLITICIAN_MISSING", "LEADING_OFFICIAL_MISSING"}

// memberInputs are the add form's inputs, by the API's field paths, in the form's order.
var memberInputs = []string{"member.organizationId", "member.displayName", "member.email", "member.role"}

// memberForm is the add form as the person filled it in.
type memberForm struct {
	OrganizationID, DisplayName, Email, Role string
	Coordinator                              bool
}

// steeringData is the steering group page's content.
type steeringData struct {
	P       partnership
	Parties []partnershipParty
	Names   map[string]string
	Members []steeringMember
	Passes  bool
	// Violations are the broken rules, each in words.
	Violations []shownViolation
	// CanChange says whether the role may add and remove members (the API still decides, per partnership).
	CanChange bool
	Roles     []string
	Form      memberForm
	// Errors are the add form's problems by input; Summary those inputs in the form's order; Problems the
	// rest, above the forms.
	Errors   map[string]*text
	Summary  []string
	Problems []text
	// RemoveError is a refused removal, shown beside the member it concerns (RemoveID).
	RemoveID    string
	RemoveError *text
	// IdempotencyKey makes a double click add one member.
	IdempotencyKey string
}

// showSteeringGroup shows the steering group and the check of its balance.
func (c *Console) showSteeringGroup(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderSteeringGroup(w, r, s, http.StatusOK, func(*steeringData) {})
}

// renderSteeringGroup reads the partnership, its members and the check, lets adjust add what a refused
// form needs, and shows the page with status.
func (c *Console) renderSteeringGroup(w http.ResponseWriter, r *http.Request, s *session, status int, adjust func(*steeringData)) {
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
	var members struct {
		Members []steeringMember `json:"members"`
	}
	// 500 is the API's largest page; a steering group has a handful of people per party.
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: apiPartnershipPath(r, "/steering-group/members"),
		query: url.Values{"page_size": {"500"}}}, &members); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	var check struct {
		Passes     bool            `json:"passes"`
		Violations []ruleViolation `json:"violations"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: apiPartnershipPath(r, "/steering-group:check")}, &check); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	names := organizationNames(orgs)
	data := steeringData{P: p, Parties: p.Parties(names), Names: names, Members: members.Members, Passes: check.Passes,
		Violations: explainViolations(languageOf(r), check.Violations, names), Roles: steeringRoles,
		CanChange: slices.Contains([]string{"admin", "coordinator", "member"}, s.Role) && !partnershipClosed(p.State),
		Errors:    map[string]*text{}, IdempotencyKey: randomToken()}
	if s.Role == "member" {
		data.Form.OrganizationID = s.Org
	}
	adjust(&data)
	c.render(w, r, status, "steering-group", "partnerships", data)
}

// partnershipClosed says whether a partnership in state can no longer change (the API refuses any change).
func partnershipClosed(state string) bool {
	return state == "PARTNERSHIP_STATE_COMPLETED" || state == "PARTNERSHIP_STATE_TERMINATED"
}

// addSteeringMember sends the add form to the API; a refusal shows the page again with the form as it was
// filled in and each problem beside its input.
func (c *Console) addSteeringMember(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	form := memberForm{OrganizationID: f.Get("organizationId"), DisplayName: f.Get("displayName"), Email: f.Get("email"),
		Role: f.Get("role"), Coordinator: f.Get("coordinator") == "on"}
	body := map[string]any{"organizationId": form.OrganizationID, "displayName": form.DisplayName, "coordinator": form.Coordinator}
	if form.Email != "" {
		body["email"] = form.Email
	}
	if form.Role != "" {
		body["role"] = form.Role
	}
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: apiPartnershipPath(r, "/steering-group/members"),
		body: body, idempotencyKey: f.Get("idempotencyKey")}, next: func() string { return partnershipPage(r, "/steering-group") },
		refused: func(refusal *apiError) {
			c.renderSteeringGroup(w, r, s, refusal.HTTPStatus, func(d *steeringData) {
				d.Form = form
				d.Errors, d.Problems = partnershipPartsRefusal(memberInputs, nil).place(languageOf(r), refusal)
				d.Summary = refusedInputs(memberInputs, d.Errors)
			})
		}})
}

// removeSteeringMember removes one member (DELETE in the API); a refusal is shown beside that member.
func (c *Console) removeSteeringMember(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("member")
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodDelete,
		path: apiPartnershipPath(r, "/steering-group/members/"+url.PathEscape(id))}, next: func() string { return partnershipPage(r, "/steering-group") },
		refused: func(refusal *apiError) {
			msg := explainPartnershipReason(languageOf(r), refusal)
			c.renderSteeringGroup(w, r, s, refusal.HTTPStatus, func(d *steeringData) {
				d.RemoveID, d.RemoveError = id, &msg
			})
		}})
}
