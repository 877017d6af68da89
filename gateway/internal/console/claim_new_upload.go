package console

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// rawAPIRequest is a call of the API whose body, or answer, is a file rather than JSON: a receipt sent to
// POST /v1/documents, a payment batch's export. It carries what apiClient.call gives every call (the
// person's token, their address and request id), so the API meets it exactly as any other of the console's
// calls. (apiClient.call encodes and decodes JSON only.)
func rawAPIRequest(ctx context.Context, from *http.Request, token, method, target, contentType string, body io.Reader) (*http.Request, error) {
	if body == nil {
		body = http.NoBody // a handler reads the body of every request it serves
	}
	r, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, fmt.Errorf("console: %s %s: %w", method, target, err)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	r.RemoteAddr = from.RemoteAddr
	for _, name := range []string{"X-Forwarded-For", "X-Request-Id"} {
		if v := from.Header.Get(name); v != "" {
			r.Header.Set(name, v)
		}
	}
	return r, nil
}

// uploadReceipt stores one chosen file as a receipt of partnership through the API's own upload route,
// streamed from the form's (spooled) file, and answers what a claim line names of it.
func (c *Console) uploadReceipt(r *http.Request, token, partnershipID string, file *receiptFile) (storedReceipt, error) {
	f, err := file.header.Open()
	if err != nil {
		return storedReceipt{}, err
	}
	defer f.Close()
	q := url.Values{"partnershipId": {partnershipID}, "kind": {"DOCUMENT_KIND_RECEIPT"}, "fileName": {file.name}}
	req, err := rawAPIRequest(r.Context(), r, token, http.MethodPost, "/v1/documents?"+q.Encode(), "application/octet-stream", f)
	if err != nil {
		return storedReceipt{}, err
	}
	req.Header.Set("Accept", "application/json")
	req.ContentLength = file.header.Size
	var resp bufferedResponse
	c.api.h.ServeHTTP(&resp, req)
	if resp.status == 0 {
		resp.status = http.StatusOK
	}
	if resp.status < 200 || resp.status > 299 {
		return storedReceipt{}, decodeAPIError(resp.status, resp.body.Bytes())
	}
	var doc struct {
		storedReceipt
		Size json.Number `json:"size"`
	}
	if err := json.Unmarshal(resp.body.Bytes(), &doc); err != nil {
		return storedReceipt{}, fmt.Errorf("console: decode the stored receipt: %w", err)
	}
	stored := doc.storedReceipt
	stored.Size = doc.Size.String()
	if stored.SHA256 != file.sha256 {
		// The service hashed other bytes than the console read: never name a file the person did not choose.
		return storedReceipt{}, fmt.Errorf("console: receipt %s stored with sha256 %s, read as %s", stored.DocumentID, stored.SHA256, file.sha256)
	}
	return stored, nil
}
