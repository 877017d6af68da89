package console

import (
	"net/http"
	"net/url"
	"slices"
)

// batchData is one batch's page: its payments, and the payment step for those who may take it.
type batchData struct {
	B paymentBatch
	// Names are the receiving organisations' names by id; an organisation the API did not name shows its id.
	Names map[string]string
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

// receiverNames reads the name of each organisation a batch pays: a batch pays a few municipalities, so one
// call each. One that cannot be read is shown by its id rather than failing the page.
func (c *Console) receiverNames(r *http.Request, s *session, b paymentBatch) map[string]string {
	names := map[string]string{}
	for _, id := range b.Receivers() {
		var org organization
		if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: "/v1/organizations/" + url.PathEscape(id)}, &org); err == nil {
			names[id] = org.DisplayName
		}
	}
	return names
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
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: "/v1/payment-batches/" + url.PathEscape(id) + ":pay",
		body: map[string]any{"etag": r.PostForm.Get("etag")}, idempotencyKey: r.PostForm.Get("idempotencyKey")}, next: func() string { return "/console/payment-batches/" + url.PathEscape(id) }, problem: c.batchProblem,
		refused: func(refusal *apiError) {
			b, err := c.getPaymentBatch(r, s)
			if err != nil {
				c.batchProblem(w, r, err)
				return
			}
			l := languageOf(r)
			problems := append([]text{explainReason(l, refusal)}, ruleTexts(l, refusal)...)
			c.renderBatch(w, r, s, refusal.HTTPStatus, batchData{B: b, Problems: problems})
		}})
}

func (c *Console) renderBatch(w http.ResponseWriter, r *http.Request, s *session, status int, data batchData) {
	data.CanPay = data.B.State == paymentBatchStateOpen && slices.Contains(batchRoles, s.Role)
	data.Names = c.receiverNames(r, s, data.B)
	data.IdempotencyKey = randomToken()
	c.render(w, r, status, "payment-batch", "payments", data)
}
