package console

import (
	"bytes"
	"net/http"
	"net/url"
)

// exportFormats are the files a batch is exported as (ExportPaymentBatchRequest.format), with the file
// name's ending: CSV of every payment for the bank, SIE 4 of one municipality's payments for its books.
var exportFormats = map[string]string{"csv": ".csv", "sie": ".se"}

// exportPaymentBatch streams the API's export of a batch to the browser as a download: its bytes and
// Content-Type exactly as GET /v1/payment-batches/{id}:export answers them, never held whole by the
// console. A format the console does not know is sent as asked, so the API's own refusal is shown.
func (c *Console) exportPaymentBatch(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	in := r.URL.Query()
	q := url.Values{"format": {in.Get("format")}}
	if org := in.Get("organization"); org != "" {
		q.Set("organization_id", org)
	}
	req, err := rawAPIRequest(r.Context(), r, s.Token, http.MethodGet, "/v1/payment-batches/"+url.PathEscape(id)+":export?"+q.Encode(), "", nil)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	name := "payment-batch-" + id + exportFormats[in.Get("format")]
	out := &downloadWriter{to: w, fileName: name}
	c.api.h.ServeHTTP(out, req)
	if !out.started {
		if out.status == 0 || out.status < 300 {
			// An empty answer that never set its status: the API's empty file.
			out.WriteHeader(http.StatusOK)
			return
		}
		c.batchProblem(w, r, decodeAPIError(out.status, out.refusal.Bytes()))
	}
}

// downloadWriter passes a successful answer of the API straight to the browser as an attachment, and keeps
// a refusal back, so the console can show its own problem page instead.
type downloadWriter struct {
	to       http.ResponseWriter
	fileName string
	header   http.Header
	status   int
	// started says the answer is being passed on.
	started bool
	refusal bytes.Buffer
}

func (d *downloadWriter) Header() http.Header {
	if d.header == nil {
		d.header = http.Header{}
	}
	return d.header
}

func (d *downloadWriter) WriteHeader(code int) {
	if d.status != 0 {
		return
	}
	d.status = code
	if code < 200 || code > 299 {
		return
	}
	h := d.to.Header()
	for _, name := range []string{"Content-Type", "Content-Length", "Content-Disposition", "ETag"} {
		if v := d.Header().Get(name); v != "" {
			h.Set(name, v)
		}
	}
	if h.Get("Content-Disposition") == "" {
		h.Set("Content-Disposition", "attachment; filename=\""+d.fileName+"\"")
	}
	h.Set("Cache-Control", "no-store")
	d.started = true
	d.to.WriteHeader(code)
}

func (d *downloadWriter) Write(p []byte) (int, error) {
	if d.status == 0 {
		d.WriteHeader(http.StatusOK)
	}
	if d.started {
		return d.to.Write(p)
	}
	return d.refusal.Write(p)
}
