package console

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// What waits for ICLD's decision, on a coordinator's dashboard: submitted partnerships, applications,
// reports, budgets and claims, each linked to the console's page where it is decided. All but budgets are
// filtered by the API (their lists take a state; applications and reports across partnerships with "-");
// budgets are listed whole and the submitted ones picked here, since GET /v1/budgets filters by partnership
// only.

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

// approvalsData is the dashboard's section of what waits: for ICLD, its decisions; for a member or partner,
// what ICLD returned to their organisation. Title and EmptyText are catalogue keys.
type approvalsData struct {
	Title, EmptyText string
	Groups           []waitingGroup
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

// approvalsWaiting reads what waits for the person: ICLD's decisions for coordinators and admins, what was
// returned to them for members and partners; nil for auditors. A kind the API does not answer is named in
// Missing rather than failing the whole dashboard.
func (c *Console) approvalsWaiting(r *http.Request, s *session) *approvalsData {
	if s.Role == "member" || s.Role == "partner" {
		return c.returnedToThem(r, s)
	}
	if !slices.Contains(waitingRoles, s.Role) {
		return nil
	}
	l := languageOf(r)
	out := &approvalsData{Title: "waiting.title", EmptyText: "waiting.empty"}
	read := out.reader(l)
	partnerships, err := c.waitingPartnerships(r, s)
	read("partnerships", partnerships, "/console/partnerships?state=PARTNERSHIP_STATE_SUBMITTED", err)
	titles := c.partnershipTitles(r, s)
	applications, err := c.waitingApplications(r, s, l, titles, "APPLICATION_STATE_SUBMITTED")
	read("applications", applications, "", err)
	reports, err := c.waitingReports(r, s, l, titles, "REPORT_STATE_SUBMITTED")
	read("reports", reports, "", err)
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

// partnershipTitles names the partnerships the person sees (the first 500), so what waits says whose it is;
// a partnership not among them is named by its id.
func (c *Console) partnershipTitles(r *http.Request, s *session) map[string]string {
	page, _, err := c.partnershipPage(r, s, url.Values{"page_size": {"500"}})
	titles := map[string]string{}
	if err != nil {
		return titles
	}
	for _, p := range page {
		titles[p.ID] = p.Title
	}
	return titles
}

// titleOf is a partnership's title, or its id when unknown.
func titleOf(titles map[string]string, id string) string {
	if t := titles[id]; t != "" {
		return t
	}
	return id
}

// waitingApplications are the applications in state of every partnership the person sees
// (GET /v1/partnerships/-/applications).
func (c *Console) waitingApplications(r *http.Request, s *session, l lang, titles map[string]string, state string) ([]waitingItem, error) {
	var answer struct {
		Applications []application `json:"applications"`
	}
	q := url.Values{"state": {state}, "page_size": {strconv.Itoa(maxWaitingShown)}}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/partnerships/-/applications", query: q}, &answer); err != nil {
		return nil, err
	}
	var items []waitingItem
	for _, a := range answer.Applications {
		items = append(items, waitingItem{Label: titleOf(titles, a.PartnershipID) + ": " + translate(l, "applicationKind."+a.Kind),
			Link: applicationPath(a.PartnershipID, a.ID), Since: formatDate(a.UpdateTime)})
	}
	return items, nil
}

// waitingReports are the reports in state of every partnership the person sees (GET /v1/partnerships/-/reports).
func (c *Console) waitingReports(r *http.Request, s *session, l lang, titles map[string]string, state string) ([]waitingItem, error) {
	var answer struct {
		Reports []partnerReport `json:"reports"`
	}
	q := url.Values{"state": {state}, "page_size": {strconv.Itoa(maxWaitingShown)}}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/partnerships/-/reports", query: q}, &answer); err != nil {
		return nil, err
	}
	var items []waitingItem
	for _, rep := range answer.Reports {
		items = append(items, waitingItem{Label: titleOf(titles, rep.PartnershipID) + ": " + translate(l, "partnerReports.kind."+rep.Kind) +
			" " + strconv.Itoa(rep.Year), Link: reportPath(rep.PartnershipID, rep.ID), Since: formatDate(rep.UpdateTime)})
	}
	return items, nil
}

// reader adds each kind read to the section, or names it in Missing when the API did not answer; an ended
// session is left to the dashboard's own call to say.
func (out *approvalsData) reader(l lang) func(key string, items []waitingItem, more string, err error) {
	return func(key string, items []waitingItem, more string, err error) {
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
}

// returnedToThem is what ICLD returned to a member's or partner's organisation to change and send again:
// applications and reports (the API keeps to their own partnerships).
func (c *Console) returnedToThem(r *http.Request, s *session) *approvalsData {
	l := languageOf(r)
	out := &approvalsData{Title: "returned.title", EmptyText: "returned.empty"}
	read := out.reader(l)
	titles := c.partnershipTitles(r, s)
	applications, err := c.waitingApplications(r, s, l, titles, "APPLICATION_STATE_RETURNED")
	read("applications", applications, "", err)
	reports, err := c.waitingReports(r, s, l, titles, "REPORT_STATE_RETURNED")
	read("reports", reports, "", err)
	return out
}
