package console

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
)

// The claim page's three steps: a member submits a draft, a coordinator approves a submitted claim line by
// line or rejects it. Each posts the claim's etag as the page showed it, so a decision on a claim that
// changed meanwhile is refused (409) and changes nothing; the page then shows the claim as it now is.

// submitClaim sends a draft claim to ICLD.
func (c *Console) submitClaim(w http.ResponseWriter, r *http.Request, s *session) {
	c.claimStep(w, r, s, "submit", map[string]any{"etag": r.PostForm.Get("etag")}, nil)
}

// rejectClaim rejects a submitted claim with the reason the coordinator gave; the API requires one.
func (c *Console) rejectClaim(w http.ResponseWriter, r *http.Request, s *session) {
	reason := r.PostForm.Get("rejectReason")
	c.claimStep(w, r, s, "reject", map[string]any{"etag": r.PostForm.Get("etag"), "reason": reason},
		func(data *claimData, e *apiError) {
			data.RejectReason = reason
			for _, v := range e.Fields {
				if v.Field == "reason" {
					msg := explainField(languageOf(r), "rejectReason", v.Description)
					data.RejectError = &msg
				} else {
					data.Problems = append(data.Problems, explainField(languageOf(r), v.Field, v.Description))
				}
			}
		})
}

// approveClaim decides a submitted claim line by line: each line's approved amount in kronor, read exactly
// to öre, and the reason when it is less than the cost. An amount the console cannot read is marked beside
// its line and nothing is sent.
func (c *Console) approveClaim(w http.ResponseWriter, r *http.Request, s *session) {
	cl, err := c.getClaim(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	l := languageOf(r)
	inputs, decisions, ok := readDecisions(l, r.PostForm, cl.Lines)
	if !ok {
		data := newClaimData(l, s, cl)
		data.Decisions = inputs
		data.Problems = []text{{Text: translate(l, "reason.INVALID_ARGUMENT"), Lang: l}}
		c.renderClaim(w, r, s, http.StatusBadRequest, data)
		return
	}
	c.claimStep(w, r, s, "approve", map[string]any{"etag": r.PostForm.Get("etag"), "decisions": decisions},
		func(data *claimData, e *apiError) {
			data.Decisions = inputs
			data.Problems = append(data.Problems, placeDecisionFields(l, data.Decisions, e)...)
		})
}

// readDecisions reads the approval form: per line i, approved-i in kronor and reason-i. It answers the
// inputs as typed (with a problem beside each amount it cannot read), the decisions for the API, and whether
// every amount was read.
func readDecisions(l lang, form url.Values, lines []claimLine) ([]decisionInput, []map[string]any, bool) {
	inputs := make([]decisionInput, len(lines))
	decisions := make([]map[string]any, 0, len(lines))
	ok := true
	for i, line := range lines {
		in := decisionInput{Approved: form.Get("approved-" + strconv.Itoa(i)), Reason: form.Get("reason-" + strconv.Itoa(i))}
		ore, read := parseKronor(in.Approved)
		if !read {
			ok = false
			in.ApprovedError = &text{Text: translate(l, "claim.badAmount"), Lang: l}
		}
		inputs[i] = in
		decision := map[string]any{"lineId": line.ID,
			"approved": map[string]any{"currencyCode": "SEK", "amountMinor": strconv.FormatInt(ore, 10)}}
		if in.Reason != "" {
			decision["reason"] = in.Reason
		}
		decisions = append(decisions, decision)
	}
	return inputs, decisions, ok
}

// decisionField matches the API's name for a field of one decision: "decisions[2].approved".
var decisionField = regexp.MustCompile(`^decisions\[(\d+)\]\.(approved|reason)$`)

// placeDecisionFields puts each field violation of a decision beside its line's input (decisions are sent
// in the lines' order, so decision i is line i) and answers the rest, for above the form.
func placeDecisionFields(l lang, inputs []decisionInput, e *apiError) []text {
	var general []text
	for _, v := range e.Fields {
		m := decisionField.FindStringSubmatch(v.Field)
		i := -1
		if m != nil {
			i, _ = strconv.Atoi(m[1])
		}
		if i < 0 || i >= len(inputs) {
			general = append(general, explainField(l, v.Field, v.Description))
			continue
		}
		msg := explainField(l, "decision."+m[2], v.Description)
		if m[2] == "approved" {
			inputs[i].ApprovedError = &msg
		} else {
			inputs[i].ReasonError = &msg
		}
	}
	return general
}

// claimStep posts one step to /v1/claims/{id}:<step>. Success shows the claim as it now is; a refusal the
// person can act on shows the claim again with what was sent, each problem placed by onRefusal (or above
// the forms); anything else is the problem page.
func (c *Console) claimStep(w http.ResponseWriter, r *http.Request, s *session, step string, body map[string]any,
	onRefusal func(*claimData, *apiError)) {
	id := r.PathValue("id")
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost,
		path: "/v1/claims/" + url.PathEscape(id) + ":" + step, body: body, idempotencyKey: r.PostForm.Get("idempotencyKey")}, next: func() string { return "/console/claims/" + url.PathEscape(id) },
		refused: func(refusal *apiError) {
			// The claim as it now is: after a stale etag, the person sees what changed before deciding again.
			cl, err := c.getClaim(r, s)
			if err != nil {
				c.apiProblem(w, r, err)
				return
			}
			l := languageOf(r)
			data := newClaimData(l, s, cl)
			data.Problems = append([]text{explainReason(l, refusal)}, ruleTexts(l, refusal)...)
			if onRefusal != nil {
				onRefusal(&data, refusal)
			} else {
				for _, v := range refusal.Fields {
					data.Problems = append(data.Problems, explainField(l, v.Field, v.Description))
				}
			}
			c.renderClaim(w, r, s, refusal.HTTPStatus, data)
		}})
}

// decisionInputs are the inputs of the claim page's forms whose refusals the catalogue explains, as
// explainField names them.
var decisionInputs = []string{"decision.approved", "decision.reason", "rejectReason"}
