package console

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
)

// batchData is one batch's page: its payments, and the payment step for those who may take it.
type batchData struct {
	B paymentBatch
	// CanPay offers to record the payment: an open batch, to a role that may.
	CanPay bool
	// Problems are the refusals of the payment step.
	Problems       []text
	IdempotencyKey string
}

// showPaymentBatch shows one batch.
func (c *Console) showPaymentBatch(w http.ResponseWriter, r *http.Request, s *session) {
	b, err := c.getPaymentBatch(r, s)
	if err != nil {
		c.batchProblem(w, r, err)
		return
	}
	c.renderBatch(w, r, s, http.StatusOK, batchData{B: b})
}

func (c *Console) getPaymentBatch(r *http.Request, s *session) (paymentBatch, error) {
	var b paymentBatch
	path := "/v1/payment-batches/" + url.PathEscape(r.PathValue("id"))
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: path}, &b)
	return b, err
}

// payPaymentBatch records that the batch was paid today, if it still is as the page showed it (its etag):
// each claim in it becomes paid. A refusal shows the batch as it now is, with the reason.
func (c *Console) payPaymentBatch(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodPost, path: "/v1/payment-batches/" + url.PathEscape(id) + ":pay",
		body: map[string]any{"etag": r.PostForm.Get("etag")}, idempotencyKey: r.PostForm.Get("idempotencyKey")}, nil)
	var refusal *apiError
	switch {
	case err == nil:
		http.Redirect(w, r, "/console/payment-batches/"+url.PathEscape(id), http.StatusSeeOther)
		return
	case !errors.As(err, &refusal) || refusal.HTTPStatus == http.StatusUnauthorized || refusal.HTTPStatus == http.StatusNotFound ||
		refusal.HTTPStatus >= 500:
		c.batchProblem(w, r, err)
		return
	}
	b, err := c.getPaymentBatch(r, s)
	if err != nil {
		c.batchProblem(w, r, err)
		return
	}
	l := languageOf(r)
	problems := append([]text{explainReason(l, refusal)}, ruleTexts(l, refusal)...)
	c.renderBatch(w, r, s, refusal.HTTPStatus, batchData{B: b, Problems: problems})
}

func (c *Console) renderBatch(w http.ResponseWriter, r *http.Request, s *session, status int, data batchData) {
	data.CanPay = data.B.State == paymentBatchStateOpen && slices.Contains(batchRoles, s.Role)
	data.IdempotencyKey = randomToken()
	c.render(w, r, status, "payment-batch", "payments", data)
}
