package console

import (
	"net/http"
	"slices"
)

// The partnership's lifecycle steps, as buttons on its page: each a POST form with the etag the page was
// read with. The page offers a step only in the state it leaves and to the roles the API lets take it (the
// API still decides, and its refusal is shown beside the buttons).

// partnershipStep is one lifecycle step the API offers: the state it leaves and who may take it.
type partnershipStep struct {
	from  []string
	roles []string
}

var (
	openStates = []string{"PARTNERSHIP_STATE_DRAFT", "PARTNERSHIP_STATE_SUBMITTED", "PARTNERSHIP_STATE_INCEPTION", "PARTNERSHIP_STATE_ACTIVE"}
	icldRoles  = []string{"admin", "coordinator"}
)

// partnershipSteps are the transitions of PartnershipService (submit, approve, activate, complete,
// terminate), in the order the page shows them.
var partnershipSteps = map[string]partnershipStep{
	"submit":    {from: []string{"PARTNERSHIP_STATE_DRAFT"}, roles: []string{"admin", "coordinator", "member"}},
	"approve":   {from: []string{"PARTNERSHIP_STATE_SUBMITTED"}, roles: icldRoles},
	"activate":  {from: []string{"PARTNERSHIP_STATE_INCEPTION"}, roles: icldRoles},
	"complete":  {from: []string{"PARTNERSHIP_STATE_ACTIVE"}, roles: icldRoles},
	"terminate": {from: openStates, roles: icldRoles},
}

// stepOrder is the order of the buttons: forward first, ending early last.
var stepOrder = []string{"submit", "approve", "activate", "complete", "terminate"}

// stepsOffered are the steps role may take from state.
func stepsOffered(role, state string) []string {
	var out []string
	for _, name := range stepOrder {
		step := partnershipSteps[name]
		if slices.Contains(step.from, state) && slices.Contains(step.roles, role) {
			out = append(out, name)
		}
	}
	return out
}

// stepPartnership takes one lifecycle step: POST /v1/partnerships/{id}:<step> with the page's etag (and the
// reason, which terminating requires). A refusal shows the partnership again with it beside the buttons.
func (c *Console) stepPartnership(w http.ResponseWriter, r *http.Request, s *session) {
	step := r.PathValue("step")
	if _, ok := partnershipSteps[step]; !ok {
		c.notFound(w, r)
		return
	}
	reason := r.PostForm.Get("reason")
	body := map[string]any{"etag": r.PostForm.Get("etag")}
	if reason != "" {
		body["reason"] = reason
	}
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: apiPartnershipPath(r, ":"+step), body: body,
		idempotencyKey: r.PostForm.Get("idempotencyKey")}, next: func() string { return partnershipPage(r, "") },
		refused: func(refusal *apiError) {
			l := languageOf(r)
			c.renderPartnership(w, r, s, refusal.HTTPStatus, func(d *showData) {
				d.Reason = reason
				for _, v := range refusal.Fields {
					if v.Field == "reason" {
						msg := explainField(l, "lifecycle.reason", v.Description)
						d.ReasonError = &msg
					}
				}
				if d.ReasonError == nil {
					d.StepProblems = append([]text{explainPartnershipReason(l, refusal)}, ruleTexts(l, refusal)...)
				}
			})
		}})
}
