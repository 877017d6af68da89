package console

import (
	"net/http"
	"net/url"
	"slices"
)

// listPageSize is how many partnerships one page of the list shows.
const listPageSize = "20"

// listData is the partnerships list's content.
type listData struct {
	Partnerships []partnership
	Names        map[string]string
	// State and Org are the filters as chosen; States and Orgs what may be chosen.
	State, Org string
	States     []string
	Orgs       []organization
	// Next is the address of the next page; empty on the last.
	Next string
	// CanCreate says whether the role may create partnerships (the API decides; this only hides the link).
	CanCreate bool
}

// listPartnerships shows one page of the partnerships the person may see, filtered by state and
// organisation as the API allows.
func (c *Console) listPartnerships(w http.ResponseWriter, r *http.Request, s *session) {
	in := r.URL.Query()
	data := listData{State: in.Get("state"), Org: in.Get("organization"), States: partnershipStates,
		CanCreate: slices.Contains([]string{"admin", "coordinator", "member"}, s.Role)}
	filters := []filter{{"state", "state"}, {"organization", "organization_id"}}
	q := listQuery(in, filters...)
	var answer struct {
		Partnerships  []partnership `json:"partnerships"`
		NextPageToken string        `json:"nextPageToken"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/partnerships", query: q}, &answer); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	orgs, err := c.listOrganizations(r, s.Token)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data.Partnerships, data.Orgs, data.Names = answer.Partnerships, orgs, organizationNames(orgs)
	data.Next = nextPage("/console/partnerships", in, answer.NextPageToken, filters...)
	c.render(w, r, http.StatusOK, "partnerships", "partnerships", data)
}

// showData is the partnership page's content.
type showData struct {
	P         partnership
	Names     map[string]string
	Lifecycle []string
	// Budgets are the partnership's budgets, each with a link to its claims.
	Budgets []budget
	// Steps are the lifecycle steps the person's role may take from the partnership's state; CanEdit says
	// whether the role may change it (the API still decides).
	Steps   []string
	CanEdit bool
	// StepProblems are a refused step's reasons, beside the buttons; Reason and ReasonError the reason
	// typed for ending it early and what is wrong with it.
	StepProblems []text
	Reason       string
	ReasonError  *text
	// StepKeys are an idempotency key per step's form, so a step sent twice is taken once, and another step
	// sent from the same page is not mistaken for a repeat.
	StepKeys map[string]string
}

// showPartnership shows one partnership: its fields, where it stands in its lifecycle, and its parties. One
// the person may not see is not found, exactly as the API says.
func (c *Console) showPartnership(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderPartnership(w, r, s, http.StatusOK, func(*showData) {})
}

// renderPartnership shows the partnership page with status, after adjust adds what a refused step needs.
func (c *Console) renderPartnership(w http.ResponseWriter, r *http.Request, s *session, status int, adjust func(*showData)) {
	var p partnership
	path := "/v1/partnerships/" + url.PathEscape(r.PathValue("id"))
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: path}, &p); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	orgs, err := c.listOrganizations(r, s.Token)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	budgets, err := c.listBudgets(r, s.Token, p.ID)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data := showData{P: p, Names: organizationNames(orgs), Lifecycle: lifecycle, Budgets: budgets,
		Steps:    stepsOffered(s.Role, p.State),
		CanEdit:  mayEdit(s.Role, p.State),
		StepKeys: map[string]string{}}
	for _, step := range data.Steps {
		data.StepKeys[step] = randomToken()
	}
	adjust(&data)
	c.render(w, r, status, "partnership", "partnerships", data)
}

// mayEdit says whether role may change a partnership in state: ICLD while it is open, a member while it is
// a draft (the API's rule; it still decides).
func mayEdit(role, state string) bool {
	switch role {
	case "admin", "coordinator":
		return !partnershipClosed(state)
	case "member":
		return state == "PARTNERSHIP_STATE_DRAFT"
	}
	return false
}
