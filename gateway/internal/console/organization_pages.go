package console

import (
	"net/http"
	"net/url"
)

// orgListData is the organisations list's content.
type orgListData struct {
	Organizations []organization
	// Next is the address of the next page; empty on the last.
	Next string
	// CanCreate offers "New organisation" (mayChangeOrganizations).
	CanCreate bool
}

// orgPageData is one organisation's page: its fields, and whether "Change" is offered.
type orgPageData struct {
	organization
	CanChange bool
}

// showOrganizations shows one page of organisations, oldest first, as the API pages them. Organisations are
// public bodies, so every role sees them all; the API still decides.
func (c *Console) showOrganizations(w http.ResponseWriter, r *http.Request, s *session) {
	q := listQuery(r.URL.Query())
	var answer struct {
		Organizations []organization `json:"organizations"`
		NextPageToken string         `json:"nextPageToken"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/organizations", query: q}, &answer); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data := orgListData{Organizations: answer.Organizations,
		Next: nextPage("/console/organizations", r.URL.Query(), answer.NextPageToken), CanCreate: mayChangeOrganizations(s)}
	c.render(w, r, http.StatusOK, "organizations", "organizations", data)
}

// showOrganization shows one organisation's fields and links to its partnerships. One the API does not show
// this person is not found, exactly as the API says.
func (c *Console) showOrganization(w http.ResponseWriter, r *http.Request, s *session) {
	var o organization
	path := "/v1/organizations/" + url.PathEscape(r.PathValue("id"))
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: path}, &o); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "organization", "organizations", orgPageData{organization: o, CanChange: mayChangeOrganizations(s)})
}
