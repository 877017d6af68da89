package console

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// What waits for ICLD's decision, on a coordinator's dashboard: submitted partnerships, budgets and claims,
// each linked to the console's page where it is decided. Partnerships and claims are filtered by the API
// (their lists take a state); budgets are listed whole and the submitted ones picked here, since
// GET /v1/budgets filters by partnership only. Applications and reports have no list across partnerships,
// so they are not here yet; their deadlines are on the dashboard as before.

// waitingRoles decide what is submitted.
var waitingRoles = []string{"admin", "coordinator"}

// maxWaitingShown is the most of each kind the dashboard lists; the list pages have the rest.
const maxWaitingShown = 100

// waitingItem is one thing that waits: its words, its page and, for money, its amount.
type waitingItem struct {
	Label, Link string
	Amount      *money
	// Since is when it was created, as a date.
	Since string
}

// waitingGroup is one kind of thing that waits, with where to see all of them.
type waitingGroup struct {
	// Key names the kind in the catalogue (waiting.<Key>).
	Key   string
	Items []waitingItem
	// More is the list page of them all; empty when the dashboard shows every one.
	More string
}

// approvalsData is the dashboard's section of what waits.
type approvalsData struct {
	Groups []waitingGroup
	// Missing names the kinds that could not be read, so the person knows the section is not whole.
	Missing []string
}

// Empty says nothing waits.
func (a approvalsData) Empty() bool {
	for _, g := range a.Groups {
		if len(g.Items) > 0 {
			return false
		}
	}
	return true
}

// approvalsWaiting reads what waits for the person's decision; nil for a role that decides nothing. A kind
// the API does not answer is named in Missing rather than failing the whole dashboard.
func (c *Console) approvalsWaiting(r *http.Request, s *session) *approvalsData {
	if !slices.Contains(waitingRoles, s.Role) {
		return nil
	}
	l := languageOf(r)
	out := &approvalsData{}
	read := func(key string, items []waitingItem, more string, err error) {
		var e *apiError
		if err != nil {
			if errors.As(err, &e) && e.HTTPStatus == http.StatusUnauthorized {
				return // the dashboard's own call ends the session
			}
			out.Missing = append(out.Missing, translate(l, "waiting."+key))
			return
		}
		if len(items) < maxWaitingShown {
			more = ""
		}
		out.Groups = append(out.Groups, waitingGroup{Key: key, Items: items, More: more})
	}
	partnerships, err := c.waitingPartnerships(r, s)
	read("partnerships", partnerships, "/console/partnerships?state=PARTNERSHIP_STATE_SUBMITTED", err)
	budgets, err := c.waitingBudgets(r, s, l)
	read("budgets", budgets, "", err)
	claims, err := c.waitingClaims(r, s)
	read("claims", claims, "/console/claims?state="+claimStateSubmitted, err)
	return out
}

func (c *Console) waitingPartnerships(r *http.Request, s *session) ([]waitingItem, error) {
	var answer struct {
		Partnerships []partnership `json:"partnerships"`
	}
	q := url.Values{"state": {"PARTNERSHIP_STATE_SUBMITTED"}, "page_size": {strconv.Itoa(maxWaitingShown)}}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/partnerships", query: q}, &answer); err != nil {
		return nil, err
	}
	var items []waitingItem
	for _, p := range answer.Partnerships {
		items = append(items, waitingItem{Label: p.Title, Link: "/console/partnerships/" + url.PathEscape(p.ID), Since: formatDate(p.CreateTime)})
	}
	return items, nil
}

// waitingBudgets are the submitted budgets among the first page of every budget (500, oldest first): the
// programme holds far fewer open budgets than that.
func (c *Console) waitingBudgets(r *http.Request, s *session, l lang) ([]waitingItem, error) {
	var answer struct {
		Budgets []budget `json:"budgets"`
	}
	q := url.Values{"page_size": {maxBudgetsShown}}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/budgets", query: q}, &answer); err != nil {
		return nil, err
	}
	var items []waitingItem
	for _, b := range answer.Budgets {
		if b.State != "BUDGET_STATE_SUBMITTED" || len(items) == maxWaitingShown {
			continue
		}
		items = append(items, waitingItem{Label: translate(l, "budget.heading") + " " + translate(l, "applicationKind."+b.ApplicationKind),
			Link: "/console/budgets/" + url.PathEscape(b.ID), Amount: b.Total, Since: formatDate(b.CreateTime)})
	}
	return items, nil
}

func (c *Console) waitingClaims(r *http.Request, s *session) ([]waitingItem, error) {
	var answer struct {
		Claims []claim `json:"claims"`
	}
	q := url.Values{"state": {claimStateSubmitted}, "page_size": {strconv.Itoa(maxWaitingShown)}}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/claims", query: q}, &answer); err != nil {
		return nil, err
	}
	var items []waitingItem
	for _, cl := range answer.Claims {
		items = append(items, waitingItem{Label: cl.Period(), Link: "/console/claims/" + url.PathEscape(cl.ID), Amount: cl.Total,
			Since: formatDate(cl.CreateTime)})
	}
	return items, nil
}
