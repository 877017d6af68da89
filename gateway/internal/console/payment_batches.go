package console

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"

	financev1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
)

// Payment batches are ICLD's: a coordinator gathers approved claims into a batch, records that it was paid,
// and downloads its file for the bank (CSV) or for a municipality's bookkeeping (SIE 4). Members and
// partners see no batch at all, so to them every batch address is one that does not exist: the console's
// not-found page, as for another organisation's partnership.

// paymentBatch is what the console reads of the API's PaymentBatch.
type paymentBatch struct {
	ID         string          `json:"id"`
	ClaimIDs   []string        `json:"claimIds"`
	State      string          `json:"state"`
	Payments   []payment       `json:"payments"`
	Total      *money          `json:"total"`
	PayDate    json.RawMessage `json:"payDate"`
	Payer      string          `json:"payer"`
	Etag       string          `json:"etag"`
	CreateTime string          `json:"createTime"`
	Creator    string          `json:"creator"`
}

// payment is one claim's money in a batch.
type payment struct {
	ClaimID        string `json:"claimId"`
	OrganizationID string `json:"organizationId"`
	Amount         *money `json:"amount"`
}

// Paid shows the day the batch was paid, or "" before.
func (b paymentBatch) Paid() string { return formatDay(b.PayDate) }

// Receivers are the organisations the batch pays, each once, in the payments' order: a SIE file is made
// for one of them at a time.
func (b paymentBatch) Receivers() []string {
	var out []string
	for _, p := range b.Payments {
		if !slices.Contains(out, p.OrganizationID) {
			out = append(out, p.OrganizationID)
		}
	}
	return out
}

// paymentBatchStates are the states a batch can be in, for the catalogue test.
var paymentBatchStates = enumNames(financev1.PaymentBatchState_name)

const paymentBatchStateOpen = "PAYMENT_BATCH_STATE_OPEN"

// batchRoles may gather and pay batches; the page offers the forms to them only (the API decides).
var batchRoles = []string{"admin", "coordinator"}

// batchesData is the batches page's content: the list, and the form that gathers approved claims.
type batchesData struct {
	Batches []paymentBatch
	Next    string
	// Payable are the approved claims in no batch yet, for the form; CanCreate offers it.
	Payable   []payableClaim
	CanCreate bool
	// ClaimsError is the problem of the claims' choice; Problems the refusals that belong to no input.
	ClaimsError    *text
	Problems       []text
	IdempotencyKey string
}

// listPaymentBatches shows one page of batches and, to those who may, the form for a new one.
func (c *Console) listPaymentBatches(w http.ResponseWriter, r *http.Request, s *session) {
	data, err := c.batchesPage(r, s)
	if err != nil {
		c.batchProblem(w, r, err)
		return
	}
	c.renderBatches(w, r, http.StatusOK, data)
}

func (c *Console) batchesPage(r *http.Request, s *session) (batchesData, error) {
	in := r.URL.Query()
	var answer struct {
		Batches       []paymentBatch `json:"batches"`
		NextPageToken string         `json:"nextPageToken"`
	}
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/payment-batches", query: listQuery(in)}, &answer)
	if err != nil {
		return batchesData{}, err
	}
	data := batchesData{Batches: answer.Batches, Next: nextPage("/console/payment-batches", in, answer.NextPageToken),
		CanCreate: slices.Contains(batchRoles, s.Role)}
	if data.CanCreate {
		if data.Payable, err = c.payableClaims(r, s); err != nil {
			return batchesData{}, err
		}
	}
	return data, nil
}

// payableClaim is a claim the form offers, ticked when the form comes back with a problem.
type payableClaim struct {
	claim
	Checked bool
}

// maxPayableShown is the one page of approved claims per state the form offers; a batch of more is made
// in several steps.
const maxPayableShown = "500"

// payableClaims are the approved claims, in full or in part, that are in no batch yet, oldest first.
func (c *Console) payableClaims(r *http.Request, s *session) ([]payableClaim, error) {
	var out []payableClaim
	for _, state := range []string{"CLAIM_STATE_APPROVED", "CLAIM_STATE_PARTLY_APPROVED"} {
		var answer struct {
			Claims []claim `json:"claims"`
		}
		q := url.Values{"state": {state}, "page_size": {maxPayableShown}}
		if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/claims", query: q}, &answer); err != nil {
			return nil, err
		}
		for _, cl := range answer.Claims {
			if cl.PaymentBatchID == "" {
				out = append(out, payableClaim{claim: cl})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b payableClaim) int {
		switch {
		case a.CreateTime < b.CreateTime:
			return -1
		case a.CreateTime > b.CreateTime:
			return 1
		}
		return 0
	})
	return out, nil
}

// createPaymentBatch gathers the ticked claims into a batch and shows it. No claim ticked is marked beside
// the choice and nothing is sent.
func (c *Console) createPaymentBatch(w http.ResponseWriter, r *http.Request, s *session) {
	l := languageOf(r)
	chosen := r.PostForm["claim"]
	var created paymentBatch
	var err error
	if len(chosen) == 0 {
		err = &apiError{HTTPStatus: http.StatusBadRequest, Reason: "INVALID_ARGUMENT",
			Fields: []fieldViolation{{Field: "claimIds", Description: translate(l, "batches.chooseClaims")}}}
	} else {
		err = c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodPost, path: "/v1/payment-batches",
			body: map[string]any{"claimIds": chosen}, idempotencyKey: r.PostForm.Get("idempotencyKey")}, &created)
	}
	var refusal *apiError
	switch {
	case err == nil:
		http.Redirect(w, r, "/console/payment-batches/"+url.PathEscape(created.ID), http.StatusSeeOther)
		return
	case !errors.As(err, &refusal) || refusal.HTTPStatus == http.StatusUnauthorized || refusal.HTTPStatus >= 500:
		c.batchProblem(w, r, err)
		return
	}
	data, pageErr := c.batchesPage(r, s)
	if pageErr != nil {
		c.batchProblem(w, r, pageErr)
		return
	}
	for i := range data.Payable {
		data.Payable[i].Checked = slices.Contains(chosen, data.Payable[i].ID)
	}
	data.Problems = append([]text{explainReason(l, refusal)}, ruleTexts(l, refusal)...)
	for _, v := range refusal.Fields {
		if inputOf(v.Field, "batch") == "claimIds" {
			msg := explainField(l, "batches.claims", v.Description)
			if len(chosen) == 0 {
				msg = text{Text: v.Description, Lang: l}
			}
			data.ClaimsError = &msg
			continue
		}
		data.Problems = append(data.Problems, explainField(l, v.Field, v.Description))
	}
	c.renderBatches(w, r, refusal.HTTPStatus, data)
}

func (c *Console) renderBatches(w http.ResponseWriter, r *http.Request, status int, data batchesData) {
	data.IdempotencyKey = randomToken()
	c.render(w, r, status, "payment-batches", "payments", data)
}

// batchProblem is c.apiProblem for the batch pages: a role that may see no batch meets the not-found page,
// as it would for a batch that does not exist (the API refuses it every batch alike, so nothing is hidden
// that it could learn).
func (c *Console) batchProblem(w http.ResponseWriter, r *http.Request, err error) {
	var e *apiError
	if errors.As(err, &e) && e.HTTPStatus == http.StatusForbidden {
		c.notFound(w, r)
		return
	}
	c.apiProblem(w, r, err)
}
