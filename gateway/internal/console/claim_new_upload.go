package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// uploadReceipt stores one chosen file as a receipt of partnership through the API's own upload route,
// streamed from the form's (spooled) file, and answers what a claim line names of it.
func (c *Console) uploadReceipt(r *http.Request, token, partnershipID string, file *receiptFile) (storedReceipt, error) {
	f, err := file.header.Open()
	if err != nil {
		return storedReceipt{}, err
	}
	defer f.Close()
	q := url.Values{"partnershipId": {partnershipID}, "kind": {"DOCUMENT_KIND_RECEIPT"}, "fileName": {file.name}}
	var doc struct {
		storedReceipt
		Size json.Number `json:"size"`
	}
	err = c.api.call(r.Context(), r, token, apiRequest{method: http.MethodPost, path: "/v1/documents", query: q,
		raw: f, rawType: "application/octet-stream", rawSize: file.header.Size}, &doc)
	if err != nil {
		return storedReceipt{}, err
	}
	stored := doc.storedReceipt
	stored.Size = doc.Size.String()
	if stored.SHA256 != file.sha256 {
		// The service hashed other bytes than the console read: never name a file the person did not choose.
		return storedReceipt{}, fmt.Errorf("console: receipt %s stored with sha256 %s, read as %s", stored.DocumentID, stored.SHA256, file.sha256)
	}
	return stored, nil
}
