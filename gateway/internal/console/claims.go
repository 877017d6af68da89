package console

import (
	"net/http"
	"net/url"
	"slices"
)

// claimsData is the claims list's content.
type claimsData struct {
	Claims []claim
	// State and Budget are the filters as chosen; States what may be chosen. Budget comes from a
	// partnership's page, which links to the claims on each of its budgets.
	State, Budget string
	States        []string
	// Next is the address of the next page; empty on the last.
	Next string
}

// listClaims shows one page of the claims the person may see (the API keeps each organisation to its own),
// filtered by state as the API allows.
func (c *Console) listClaims(w http.ResponseWriter, r *http.Request, s *session) {
	in := r.URL.Query()
	data := claimsData{State: in.Get("state"), Budget: in.Get("budget"), States: claimStates}
	filters := []filter{{"state", "state"}, {"budget", "budget_id"}}
	q := listQuery(in, filters...)
	var answer struct {
		Claims        []claim `json:"claims"`
		NextPageToken string  `json:"nextPageToken"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/claims", query: q}, &answer); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data.Claims = answer.Claims
	data.Next = nextPage("/console/claims", in, answer.NextPageToken, filters...)
	c.render(w, r, http.StatusOK, "claims", "claims", data)
}

// claimData is the claim page's content, with the decision form as it was filled in after a refusal.
type claimData struct {
	C claim
	// CanSubmit and CanDecide say which steps the page offers: the API decides, this only hides buttons a
	// role could never use.
	CanSubmit, CanDecide bool
	// Decisions are the approval form's inputs, one per line in the claim's order.
	Decisions []decisionInput
	// RejectReason and RejectError are the reject form's input and its problem.
	RejectReason string
	RejectError  *text
	// Problems are the refusals that belong to no input.
	Problems []text
	// IdempotencyKey is sent with every step, so a double click decides once.
	IdempotencyKey string
}

// decisionInput is one line's approved amount and reason, as typed, with what is wrong with each.
type decisionInput struct {
	Approved, Reason           string
	ApprovedError, ReasonError *text
}

// showClaim shows one claim with its lines and the steps the person's role may take. One the person may not
// see is not found, exactly as the API says.
func (c *Console) showClaim(w http.ResponseWriter, r *http.Request, s *session) {
	cl, err := c.getClaim(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	c.renderClaim(w, r, s, http.StatusOK, newClaimData(languageOf(r), s, cl))
}

func (c *Console) getClaim(r *http.Request, s *session) (claim, error) {
	var cl claim
	path := "/v1/claims/" + url.PathEscape(r.PathValue("id"))
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: path}, &cl)
	return cl, err
}

// newClaimData prepares the claim page with the approval form prefilled: every line approved in full.
func newClaimData(l lang, s *session, cl claim) claimData {
	data := claimData{C: cl,
		CanSubmit: cl.State == claimStateDraft && slices.Contains([]string{"admin", "member"}, s.Role),
		CanDecide: cl.State == claimStateSubmitted && slices.Contains([]string{"admin", "coordinator"}, s.Role)}
	for _, line := range cl.Lines {
		cost, _ := line.SEK.Minor()
		data.Decisions = append(data.Decisions, decisionInput{Approved: formatKronorInput(l, cost)})
	}
	return data
}

func (c *Console) renderClaim(w http.ResponseWriter, r *http.Request, s *session, status int, data claimData) {
	// A fresh key each time the page is shown: a double click sends one step twice (one decision), while
	// the form sent again after a correction is a new request.
	data.IdempotencyKey = randomToken()
	c.render(w, r, status, "claim", "claims", data)
}
