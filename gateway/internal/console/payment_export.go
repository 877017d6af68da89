package console

import (
	"net/http"
	"net/url"
)

// exportFormats are the files a batch is exported as (ExportPaymentBatchRequest.format), with the file
// name's ending: CSV of every payment for the bank, SIE 4 of one municipality's payments for its books.
var exportFormats = map[string]string{"csv": ".csv", "sie": ".se"}

// exportPaymentBatch streams the API's export of a batch to the browser as a download: its bytes and
// Content-Type exactly as GET /v1/payment-batches/{id}:export answers them, never held whole by the
// console (streamFromAPI, as every file the console passes on). A format the console does not know is sent
// as asked, so the API's own refusal is shown; a member, refused every batch, meets the not-found page.
func (c *Console) exportPaymentBatch(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	in := r.URL.Query()
	q := url.Values{"format": {in.Get("format")}}
	if org := in.Get("organization"); org != "" {
		q.Set("organization_id", org)
	}
	c.streamFromAPI(w, r, s.Token, apiStream{path: "/v1/payment-batches/" + url.PathEscape(id) + ":export", query: q, accept: "*/*",
		fileName: "payment-batch-" + id + exportFormats[in.Get("format")], problem: c.batchProblem})
}
