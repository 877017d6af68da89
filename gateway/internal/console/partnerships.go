package console

import (
	"cmp"
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
	// State, Org, Country, Network and Query are the filters as chosen; States, Orgs, Countries and Networks
	// what may be chosen.
	State, Org, Country, Network, Query string
	States                              []string
	Orgs                                []organization
	Countries                           []country
	Networks                            []network
	// Next is the address of the next page; empty on the last (and with a network chosen, which shows its
	// partnerships on one page).
	Next string
	// CanCreate says whether the role may create partnerships (the API decides; this only hides the link).
	CanCreate bool
}

// country is one the partnerships' international parties are in, as the filter offers it.
type country struct{ Code, Name string }

// partnershipFilters are the list's filters the API applies: the console's parameter and the API's.
var partnershipFilters = []filter{{"state", "state"}, {"organization", "organization_id"}, {"country", "country_code"}, {"q", "query"}}

// listPartnerships shows one page of the partnerships the person may see, filtered by state, organisation,
// country and words of the title as the API allows, and by network: a network's partnerships are the
// network service's to say, so the console keeps those of its members among what the API finds.
func (c *Console) listPartnerships(w http.ResponseWriter, r *http.Request, s *session) {
	in := r.URL.Query()
	data := listData{State: in.Get("state"), Org: in.Get("organization"), Country: in.Get("country"), Network: in.Get("network"),
		Query: in.Get("q"), States: partnershipStates, CanCreate: slices.Contains([]string{"admin", "coordinator", "member"}, s.Role)}
	var err error
	if data.Network != "" {
		data.Partnerships, err = c.networkPartnerships(r, s, data.Network, in)
	} else {
		var token string
		data.Partnerships, token, err = c.partnershipPage(r, s, listQuery(in, partnershipFilters...))
		data.Next = nextPage("/console/partnerships", in, token, partnershipFilters...)
	}
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	orgs, err := c.listOrganizations(r, s.Token)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data.Orgs, data.Names, data.Countries = orgs, organizationNames(orgs), countriesOf(orgs)
	// The network filter is offered only when the networks can be read; the list itself does not need them.
	var networks struct {
		Networks []network `json:"networks"`
	}
	if c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/networks",
		query: url.Values{"page_size": {networkPartsPageSize}}}, &networks) == nil {
		data.Networks = networks.Networks
	}
	c.render(w, r, http.StatusOK, "partnerships", "partnerships", data)
}

// partnershipPage is one page of GET /v1/partnerships with query, and the token of the next.
func (c *Console) partnershipPage(r *http.Request, s *session, query url.Values) ([]partnership, string, error) {
	var answer struct {
		Partnerships  []partnership `json:"partnerships"`
		NextPageToken string        `json:"nextPageToken"`
	}
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/partnerships", query: query}, &answer)
	return answer.Partnerships, answer.NextPageToken, err
}

// maxNetworkListPages bounds the pages of 500 read for a network's partnerships: 10 000 partnerships, far
// more than the programme has.
const maxNetworkListPages = 20

// networkPartnerships are the partnerships of network id that the other filters keep, all on one page: the
// network's members (tens) among what the API finds with the filters.
func (c *Console) networkPartnerships(r *http.Request, s *session, id string, in url.Values) ([]partnership, error) {
	var members struct {
		Memberships []membership `json:"memberships"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: networkPath(id, "memberships"),
		query: url.Values{"page_size": {networkPartsPageSize}}}, &members); err != nil {
		return nil, err
	}
	inNetwork := map[string]bool{}
	for _, m := range members.Memberships {
		inNetwork[m.PartnershipID] = true
	}
	query := listQuery(in, partnershipFilters...)
	query.Del("page_token") // one page of the network's, however the person came here
	query.Set("page_size", networkPartsPageSize)
	var kept []partnership
	for range maxNetworkListPages {
		page, token, err := c.partnershipPage(r, s, query)
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			if inNetwork[p.ID] {
				kept = append(kept, p)
			}
		}
		if token == "" || len(kept) == len(inNetwork) {
			break
		}
		query.Set("page_token", token)
	}
	return kept, nil
}

// countriesOf are the countries of the international organisations, by name, each once.
func countriesOf(orgs []organization) []country {
	seen := map[string]bool{}
	var out []country
	for _, o := range orgs {
		if o.International == nil || o.International.CountryCode == "" || seen[o.International.CountryCode] {
			continue
		}
		seen[o.International.CountryCode] = true
		out = append(out, country{Code: o.International.CountryCode, Name: cmp.Or(o.International.CountryName, o.International.CountryCode)})
	}
	slices.SortFunc(out, func(a, b country) int { return cmp.Compare(a.Name, b.Name) })
	return out
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
