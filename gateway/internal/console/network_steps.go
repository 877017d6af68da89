package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	networkv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
)

// The steps a network's coordinator takes on its page: its lifecycle (open, start, close), adding a
// partnership and removing one with the reason, and recording a joint activity. Each is a POST form sent
// with sendForm as the signed-in person; the page offers them only to ICLD's coordinators and admins and only
// in the states the API takes them from, and the API still decides: its refusal is shown beside the form.

// networkStepFrom are the lifecycle steps and the states each leaves (the network service's transitions).
var networkStepFrom = map[string][]string{
	"open":  {"NETWORK_STATE_PLANNED"},
	"start": {"NETWORK_STATE_RECRUITING"},
	"close": {"NETWORK_STATE_PLANNED", "NETWORK_STATE_RECRUITING", "NETWORK_STATE_RUNNING"},
}

// networkStepOrder is the order of the buttons: forward first, ending last.
var networkStepOrder = []string{"open", "start", "close"}

// activityInputs and networkMemberInputs are the inputs of the activity and membership forms, named by the API's
// field paths, so a field violation finds its input.
var (
	activityInputs      = []string{"activity.kind", "activity.title", "activity.startDate", "activity.endDate", "activity.host", "activity.outcomes"}
	networkMemberInputs = []string{"membership.partnershipId"}
)

// memberReasonInputs are the refusals of a new member that are about the partnership chosen.
var memberReasonInputs = map[string]string{
	"NETWORK_NOT_RECRUITING": "membership.partnershipId",
	"CLUSTER_MISMATCH":       "membership.partnershipId",
	"ALREADY_IN_A_NETWORK":   "membership.partnershipId",
	"INCEPTION_NOT_ALIGNED":  "membership.partnershipId",
	"PARTNERSHIP_CLOSED":     "membership.partnershipId",
	"ALREADY_A_MEMBER":       "membership.partnershipId",
}

// networkReasons are the refusals of the network service that have their own sentence in the catalogue.
var networkReasons = []string{"ETAG_MISMATCH", "ALREADY_A_MEMBER", "ILLEGAL_TRANSITION", "NETWORK_NOT_RECRUITING", "CLUSTER_MISMATCH",
	"ALREADY_IN_A_NETWORK", "INCEPTION_NOT_ALIGNED", "PARTNERSHIP_CLOSED", "ALREADY_REMOVED"}

// networkActivityKinds are the kinds the activity form offers (all but the unspecified one).
var networkActivityKinds = enumNames(networkv1.ActivityKind_name)

// networkForms are the network page's forms, with what a refused one left: its values and its problems.
type networkForms struct {
	// Steps are the lifecycle steps the network's state allows; Etag is the version the page was read at.
	Steps        []string
	Etag         string
	StepProblems []text
	// Recruiting says partnerships may join now; Candidates are those the person can see that are not members.
	Recruiting     bool
	Candidates     []partnership
	Member         string
	MemberErrors   map[string]*text
	MemberProblems []text
	// RemoveID is the member whose removal was refused, with the reason typed and what was wrong.
	RemoveID, RemoveReason string
	RemoveError            *text
	ActivityKinds          []string
	Activity               map[string]string
	ActivityErrors         map[string]*text
	ActivityProblems       []text
	ActivitySummary        []string
}

// problems are every problem a refused form left, for a page that shows none of the forms.
func (f *networkForms) problems() []text {
	out := append(append(append([]text{}, f.StepProblems...), f.MemberProblems...), f.ActivityProblems...)
	if f.RemoveError != nil {
		out = append(out, *f.RemoveError)
	}
	for _, errs := range []map[string]*text{f.MemberErrors, f.ActivityErrors} {
		for _, e := range errs {
			out = append(out, *e)
		}
	}
	return out
}

// managesNetworks says whether the page offers the network's forms: to ICLD's coordinators and admins. It
// hides forms, nothing more; the API decides who may take each step.
func managesNetworks(s *session) bool {
	return s != nil && (s.Role == "coordinator" || s.Role == "admin")
}

// networkFormsFor are the forms of network n for its page, with the partnerships that could join it.
func (c *Console) networkFormsFor(r *http.Request, s *session, n network, members []membership) (*networkForms, error) {
	f := &networkForms{Etag: n.Etag, Recruiting: n.State == "NETWORK_STATE_RECRUITING", ActivityKinds: networkActivityKinds,
		Activity: map[string]string{}, MemberErrors: map[string]*text{}, ActivityErrors: map[string]*text{}}
	for _, step := range networkStepOrder {
		if slices.Contains(networkStepFrom[step], n.State) {
			f.Steps = append(f.Steps, step)
		}
	}
	if !f.Recruiting {
		return f, nil
	}
	var answer struct {
		Partnerships []partnership `json:"partnerships"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/partnerships",
		query: url.Values{"page_size": {networkPartsPageSize}}}, &answer); err != nil {
		return nil, err
	}
	for _, p := range answer.Partnerships {
		if !slices.ContainsFunc(members, func(m membership) bool { return m.PartnershipID == p.ID }) {
			f.Candidates = append(f.Candidates, p)
		}
	}
	return f, nil
}

// networkPage is the console's address of the network the request names.
func networkPage(r *http.Request) string {
	return "/console/networks/" + url.PathEscape(r.PathValue("id"))
}

// stepNetwork takes one lifecycle step: POST /v1/networks/{id}:<step> with the etag the page was read at.
func (c *Console) stepNetwork(w http.ResponseWriter, r *http.Request, s *session) {
	step := r.PathValue("step")
	if _, ok := networkStepFrom[step]; !ok {
		c.notFound(w, r)
		return
	}
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: networkPath(r.PathValue("id")) + ":" + step,
		body: map[string]any{"etag": r.PostForm.Get("etag")}}, next: func() string { return networkPage(r) },
		refused: func(refusal *apiError) {
			l := languageOf(r)
			c.renderNetwork(w, r, s, refusal.HTTPStatus, func(f *networkForms) {
				f.StepProblems = append([]text{explainNetworkReason(l, refusal)}, ruleTexts(l, refusal)...)
			})
		}})
}

// addNetworkMember adds the chosen partnership: POST /v1/networks/{id}/memberships.
func (c *Console) addNetworkMember(w http.ResponseWriter, r *http.Request, s *session) {
	chosen := r.PostForm.Get("membership.partnershipId")
	body := map[string]any{}
	if chosen != "" {
		body["partnershipId"] = chosen
	}
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: networkPath(r.PathValue("id"), "memberships"), body: body},
		next: func() string { return networkPage(r) + "#members-heading" },
		refused: func(refusal *apiError) {
			l := languageOf(r)
			c.renderNetwork(w, r, s, refusal.HTTPStatus, func(f *networkForms) {
				f.Member = chosen
				f.MemberErrors, f.MemberProblems = networkRefusal(networkMemberInputs, memberReasonInputs).place(l, refusal)
			})
		}})
}

// removeNetworkMember removes a member with the reason the person gives, which the API requires and keeps.
func (c *Console) removeNetworkMember(w http.ResponseWriter, r *http.Request, s *session) {
	partnershipID, reason := r.PathValue("partnership"), strings.TrimSpace(r.PostForm.Get("reason"))
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost,
		path: networkPath(r.PathValue("id"), "memberships", url.PathEscape(partnershipID)) + ":remove", body: map[string]any{"reason": reason}},
		next: func() string { return networkPage(r) + "#members-heading" },
		refused: func(refusal *apiError) {
			l := languageOf(r)
			c.renderNetwork(w, r, s, refusal.HTTPStatus, func(f *networkForms) {
				f.RemoveID, f.RemoveReason = partnershipID, reason
				msg := explainNetworkReason(l, refusal)
				for _, v := range refusal.Fields {
					if v.Field == "reason" {
						msg = explainNetworkField(l, "removal.reason", v.Description)
					}
				}
				f.RemoveError = &msg
			})
		}})
}

// recordNetworkActivity records a joint activity: POST /v1/networks/{id}/activities. An empty input is left
// out so the API names what is missing; a day the API could not read at all is marked here and nothing is sent.
func (c *Console) recordNetworkActivity(w http.ResponseWriter, r *http.Request, s *session) {
	values, body := map[string]string{}, map[string]any{}
	unreadable := &apiError{HTTPStatus: http.StatusBadRequest, Reason: "INVALID_ARGUMENT"}
	for _, input := range activityInputs {
		value := strings.TrimSpace(r.PostForm.Get(input))
		values[input] = value
		name := strings.TrimPrefix(input, "activity.")
		switch {
		case value == "":
		case strings.HasSuffix(name, "Date") && !isoDay.MatchString(value):
			unreadable.Fields = append(unreadable.Fields, fieldViolation{Field: input})
		default:
			body[name] = value
		}
	}
	refused := func(refusal *apiError) {
		l := languageOf(r)
		c.renderNetwork(w, r, s, refusal.HTTPStatus, func(f *networkForms) {
			f.Activity = values
			f.ActivityErrors, f.ActivityProblems = networkRefusal(activityInputs, nil).place(l, refusal)
			f.ActivitySummary = refusedInputs(activityInputs, f.ActivityErrors)
		})
	}
	if len(unreadable.Fields) > 0 {
		refused(unreadable)
		return
	}
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: networkPath(r.PathValue("id"), "activities"), body: body},
		next: func() string { return networkPage(r) + "#activities-heading" }, refused: refused})
}

// networkRefusal places a refusal of a network form: inputs named by the API's field paths, their sentences
// under "networks.field.", a reason about one input beside it.
func networkRefusal(inputs []string, reasonInputs map[string]string) refusalPlacement {
	return refusalPlacement{inputs: inputs, input: aliased(nil), field: explainNetworkField, reason: explainNetworkReason,
		reasonInputs: reasonInputs, unreadBody: true}
}

// explainNetworkField is explainField for the network forms, whose Swedish sentences are under
// "networks.field." (in English the API's own words say it).
func explainNetworkField(l lang, input, description string) text {
	if l == english && description != "" {
		return text{Text: description, Lang: english}
	}
	if msg, ok := lookup(l, "networks.field."+input); ok {
		return text{Text: msg, Lang: l, Detail: description}
	}
	if description != "" {
		return text{Text: description, Lang: english}
	}
	return text{Text: translate(l, "problem.badRequest"), Lang: l}
}

// explainNetworkReason says why the network service refused: its own sentence when the catalogue has one
// (a stale etag is about the network here, not a claim), else what explainReason says.
func explainNetworkReason(l lang, e *apiError) text {
	if msg, ok := lookup(l, "networkReason."+e.Reason); ok {
		return text{Text: msg, Lang: l, Detail: detailIn(l, e)}
	}
	return explainReason(l, e)
}

// durationText shows a duration in months as the form had it ("" for none).
func durationText(months int32) string {
	if months == 0 {
		return ""
	}
	return strconv.Itoa(int(months))
}
