// Package openapi carries the OpenAPI (Swagger 2.0) document that buf generates from proto/, embedded in the
// gateway binary so the document served always describes the routes that binary serves.
package openapi

import (
	_ "embed"
	"net/http"
)

// Document is partnerskap.swagger.json as generated; it is never edited by hand.
//
//go:embed partnerskap.swagger.json
var Document []byte

// Handler serves Document. It needs no token: clients read it before they have one.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		// The document changes only with the binary, so a short cache spares clients refetching it.
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(Document)
	})
}
