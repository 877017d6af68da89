package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Creating and changing a network. An admin creates one (the API lets only admins); its coordinator or an
// admin changes it. Changing sends only the fields the person changed (PATCH with an update mask) with the
// etag the form was read at; if someone changed the network meanwhile the API refuses (ETAG_MISMATCH),
// nothing changes, and the form shows what the network now holds.

// networkInputs are the form's inputs, named by the API's field paths, in the form's order.
var networkInputs = []string{"network.displayName", "network.theme", "network.cluster", "network.cohortStart",
	"network.durationMonths", "network.coordinator", "network.researchAdvisor", "network.communicationContact"}

// networkMask names each changeable input in the API's update mask; the cluster cannot change.
var networkMask = map[string]string{
	"network.displayName": "display_name", "network.theme": "theme", "network.cohortStart": "cohort_start",
	"network.durationMonths": "duration_months", "network.coordinator": "coordinator",
	"network.researchAdvisor": "research_advisor", "network.communicationContact": "communication_contact",
}

// networkEditData is the create or change form's content.
type networkEditData struct {
	// N is the network changed; empty when creating one.
	N        network
	Creating bool
	// Form holds the inputs' values by input name; Etag the version they were read from.
	Form     map[string]string
	Etag     string
	Clusters []string
	Errors   map[string]*text
	Summary  []string
	Problems []text
	// Current is the network as it now is, after someone else changed it while the person edited.
	Current *network
}

// mayCreateNetworks says whether the networks list offers "New network": to admins, the only role the API
// lets create one.
func mayCreateNetworks(s *session) bool { return s != nil && s.Role == "admin" }

// networkValues are n's values as the form shows them.
func networkValues(n network) map[string]string {
	return map[string]string{"network.displayName": n.DisplayName, "network.theme": n.Theme, "network.cluster": n.Cluster,
		"network.cohortStart": n.Start(), "network.durationMonths": durationText(n.DurationMonths), "network.coordinator": n.Coordinator,
		"network.researchAdvisor": n.ResearchAdvisor, "network.communicationContact": n.CommunicationContact}
}

// postedNetwork are the form's values as the person sent them.
func postedNetwork(r *http.Request) map[string]string {
	out := map[string]string{}
	for _, input := range networkInputs {
		out[input] = strings.TrimSpace(r.PostForm.Get(input))
	}
	return out
}

// networkBody turns the inputs named into the API's body. A day or a number the API could not read at all
// is a field violation here, as the API would give, and the caller sends nothing.
func networkBody(values map[string]string, inputs []string) (map[string]any, *apiError) {
	body := map[string]any{}
	unreadable := &apiError{HTTPStatus: http.StatusBadRequest, Reason: "INVALID_ARGUMENT"}
	for _, input := range inputs {
		value, name := values[input], strings.TrimPrefix(input, "network.")
		switch {
		case value == "":
		case input == "network.cohortStart" && !isoDay.MatchString(value):
			unreadable.Fields = append(unreadable.Fields, fieldViolation{Field: input})
		case input == "network.durationMonths":
			months, err := strconv.Atoi(value)
			if err != nil {
				unreadable.Fields = append(unreadable.Fields, fieldViolation{Field: input})
				continue
			}
			body[name] = months
		default:
			body[name] = value
		}
	}
	if len(unreadable.Fields) > 0 {
		return nil, unreadable
	}
	return body, nil
}

// newNetwork shows the empty form of a new network.
func (c *Console) newNetwork(w http.ResponseWriter, r *http.Request, s *session) {
	c.render(w, r, http.StatusOK, "network-edit", "networks", networkEditData{Creating: true, Form: map[string]string{},
		Clusters: clusters, Errors: map[string]*text{}})
}

// createNetwork sends the new network to POST /v1/networks and goes on to its page.
func (c *Console) createNetwork(w http.ResponseWriter, r *http.Request, s *session) {
	values := postedNetwork(r)
	refused := func(refusal *apiError) {
		data := networkEditData{Creating: true, Form: values, Clusters: clusters}
		data.Errors, data.Problems = networkRefusal(networkInputs, nil).place(languageOf(r), refusal)
		data.Summary = refusedInputs(networkInputs, data.Errors)
		c.render(w, r, refusal.HTTPStatus, "network-edit", "networks", data)
	}
	body, unreadable := networkBody(values, networkInputs)
	if unreadable != nil {
		refused(unreadable)
		return
	}
	var created network
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: "/v1/networks", body: body}, out: &created,
		next: func() string { return "/console/networks/" + url.PathEscape(created.ID) }, refused: refused})
}

// editNetwork shows the change form with the network's current values.
func (c *Console) editNetwork(w http.ResponseWriter, r *http.Request, s *session) {
	var n network
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: networkPath(r.PathValue("id"))}, &n); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "network-edit", "networks", networkEditData{N: n, Form: networkValues(n), Etag: n.Etag,
		Clusters: clusters, Errors: map[string]*text{}})
}

// updateNetwork sends the inputs the person changed, with the etag the form was read at.
func (c *Console) updateNetwork(w http.ResponseWriter, r *http.Request, s *session) {
	values, etag := postedNetwork(r), r.PostForm.Get("etag")
	// What the form was read with is compared with what is now stored: an input left as it was is not sent,
	// and a field someone else changed meanwhile makes the etag stale, which the API refuses.
	var now network
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: networkPath(r.PathValue("id"))}, &now); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	stored := networkValues(now)
	var changed, mask []string
	for _, input := range networkInputs {
		if path, ok := networkMask[input]; ok && values[input] != stored[input] {
			changed, mask = append(changed, input), append(mask, path)
		}
	}
	if len(mask) == 0 {
		http.Redirect(w, r, networkPage(r), http.StatusSeeOther)
		return
	}
	refused := func(refusal *apiError) {
		l := languageOf(r)
		data := networkEditData{N: now, Form: values, Etag: etag, Clusters: clusters}
		data.Errors, data.Problems = networkRefusal(networkInputs, nil).place(l, refusal)
		data.Summary = refusedInputs(networkInputs, data.Errors)
		if refusal.Reason == "ETAG_MISMATCH" || refusal.HTTPStatus == http.StatusConflict || refusal.HTTPStatus == http.StatusPreconditionFailed {
			// Someone changed it meanwhile: show what it now holds; the next send applies to that version.
			data.Current, data.Etag = &now, now.Etag
			data.Problems = []text{{Text: translate(l, "networks.stale"), Lang: l, Detail: englishDetail(l, refusal.Message)}}
		}
		c.render(w, r, refusal.HTTPStatus, "network-edit", "networks", data)
	}
	body, unreadable := networkBody(values, changed)
	if unreadable != nil {
		refused(unreadable)
		return
	}
	body["etag"] = etag
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPatch, path: networkPath(r.PathValue("id")),
		query: url.Values{"update_mask": {strings.Join(mask, ",")}}, body: body}, next: func() string { return networkPage(r) }, refused: refused})
}
