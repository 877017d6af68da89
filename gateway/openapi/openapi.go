// Package openapi carries the API's OpenAPI documents, embedded in the gateway binary so the documents served
// always describe the routes that binary serves: the OpenAPI 3 document tools/openapi3 writes (at
// /openapi.json) and the OpenAPI 2.0 document buf generates, which it is made from (at /openapi.v2.json, for
// tools that read only 2.0). Neither is ever edited by hand: `make generate` writes both. It also serves the
// browsable reference of the document at /docs (docs.go).
package openapi

import (
	_ "embed"
	"net/http"
)

// Document is partnerskap.openapi.json, OpenAPI 3.
//
//go:embed partnerskap.openapi.json
var Document []byte

// DocumentV2 is partnerskap.swagger.json, OpenAPI (Swagger) 2.0.
//
//go:embed partnerskap.swagger.json
var DocumentV2 []byte

// Handler serves Document. It needs no token: clients read it before they have one.
func Handler() http.Handler { return serve(Document) }

// HandlerV2 serves DocumentV2.
func HandlerV2() http.Handler { return serve(DocumentV2) }

func serve(doc []byte) http.Handler { return serveAs("application/json", doc) }

// serveAs serves body as contentType. What this package serves is the same for everyone and changes only with
// the binary, so a short cache spares clients refetching it.
func serveAs(contentType string, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(body)
	})
}
