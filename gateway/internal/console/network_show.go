package console

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
)

// networkPartsPageSize is how many memberships and activities one network page reads: the API's most. A
// network has tens of members; the page says so when there are more than this.
const networkPartsPageSize = "500"

// membership is a partnership in a network, with the partnership as the partnership service reports it.
type membership struct {
	PartnershipID string          `json:"partnershipId"`
	Joined        json.RawMessage `json:"joined"`
	Partnership   *struct {
		Title              string `json:"title"`
		State              string `json:"state"`
		SwedishParty       string `json:"swedishParty"`
		InternationalParty string `json:"internationalParty"`
	} `json:"partnership"`
}

// Name is the partnership's title, or its id when the partnership service could not say.
func (m membership) Name() string {
	if m.Partnership != nil && m.Partnership.Title != "" {
		return m.Partnership.Title
	}
	return m.PartnershipID
}

// JoinedDay shows the day the partnership joined.
func (m membership) JoinedDay() string { return formatDay(m.Joined) }

// activity is something a network's partnerships did together.
type activity struct {
	ID             string          `json:"id"`
	Kind           string          `json:"kind"`
	Title          string          `json:"title"`
	StartDate      json.RawMessage `json:"startDate"`
	EndDate        json.RawMessage `json:"endDate"`
	Host           string          `json:"host"`
	Participations []struct {
		PartnershipID string `json:"partnershipId"`
		Participants  int32  `json:"participants"`
	} `json:"participations"`
	Outcomes string `json:"outcomes"`
}

// Start and End show the activity's first and last day.
func (a activity) Start() string { return formatDay(a.StartDate) }
func (a activity) End() string   { return formatDay(a.EndDate) }

// KindKey is the catalogue key of the activity's kind.
func (a activity) KindKey() string {
	return "activityKind." + orUnspecified(a.Kind, "ACTIVITY_KIND_UNSPECIFIED")
}

// Participants is how many people of the member partnerships took part, all together.
func (a activity) Participants() int64 {
	var n int64
	for _, p := range a.Participations {
		n += int64(p.Participants)
	}
	return n
}

// networkData is the network page's content.
type networkData struct {
	N           network
	Memberships []membership
	// PartnershipsUnavailable says the partnership service did not answer, so members show without titles.
	PartnershipsUnavailable bool
	Activities              []activity
	// More says a list had more than one page; only the first is shown.
	More   bool
	Cohort cohortTable
	// Forms are the steps ICLD's coordinators and admins may take; nil for everyone else.
	Forms *networkForms
	// Refused is what the API said to someone offered no forms who sent one anyway (a member's own POST).
	Refused []text
}

// showNetwork shows one network: its fields, its member partnerships, its activities and its cohort side by
// side. A network the person may not see is not found, exactly as the API says.
func (c *Console) showNetwork(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderNetwork(w, r, s, http.StatusOK, nil)
}

// renderNetwork reads the network and its parts and shows its page with status; adjust, when not nil, puts
// what a refused form left (its values, its problems) on the page before it is drawn.
func (c *Console) renderNetwork(w http.ResponseWriter, r *http.Request, s *session, status int, adjust func(*networkForms)) {
	id := r.PathValue("id")
	var data networkData
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: networkPath(id)}, &data.N); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	parts := url.Values{"page_size": {networkPartsPageSize}}
	var members struct {
		Memberships             []membership `json:"memberships"`
		PartnershipsUnavailable bool         `json:"partnershipsUnavailable"`
		NextPageToken           string       `json:"nextPageToken"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: networkPath(id, "memberships"), query: parts}, &members); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	var activities struct {
		Activities    []activity `json:"activities"`
		NextPageToken string     `json:"nextPageToken"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: networkPath(id, "activities"), query: parts}, &activities); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	var cohort cohortAnswer
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: networkPath(id, "cohort")}, &cohort); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	// The money and this year's compliance come from the reporting service's read model. When it cannot
	// answer, the cohort still shows what the network service knows, and the page says what is missing.
	var report networkReport
	reportErr := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/reports/networks/" + url.PathEscape(id)}, &report)
	var refusal *apiError
	if reportErr != nil && (!errors.As(reportErr, &refusal) || refusal.HTTPStatus == http.StatusUnauthorized) {
		c.apiProblem(w, r, reportErr)
		return
	}
	if reportErr != nil && refusal.HTTPStatus == http.StatusNotFound {
		// The report's read model has not seen the network yet (it follows the events by moments): no figures
		// yet, which the cells say with "–".
		reportErr = nil
	}
	if reportErr != nil {
		slog.WarnContext(r.Context(), "console: the network report is unavailable", "network", id, "error", reportErr.Error())
	}
	data.Memberships, data.PartnershipsUnavailable = members.Memberships, members.PartnershipsUnavailable
	data.Activities = activities.Activities
	data.More = members.NextPageToken != "" || activities.NextPageToken != ""
	data.Cohort = buildCohort(languageOf(r), cohort, report, reportErr == nil)
	if managesNetworks(s) {
		forms, err := c.networkFormsFor(r, s, data.N, data.Memberships)
		if err != nil {
			c.apiProblem(w, r, err)
			return
		}
		if adjust != nil {
			adjust(forms)
		}
		data.Forms = forms
	} else if adjust != nil {
		// No forms to show the refusal beside: it is said above the page instead.
		refused := &networkForms{}
		adjust(refused)
		data.Refused = refused.problems()
	}
	c.render(w, r, status, "network", "networks", data)
}
