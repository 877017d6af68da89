package openapi

import (
	_ "embed"
	"net/http"
)

// The browsable API reference: Redoc, embedded and pinned (redoc/SOURCE.md), rendering the OpenAPI 3
// document at /openapi.json. No CDN is involved, so the page works wherever the gateway does.

// RedocSHA256 is the sum of the embedded Redoc bundle, as published in npm's redoc@2.5.4.
const RedocSHA256 = "dcaf76612bc4a3fbcc923a8966dee2f6146a5f32e5ce1b6f02dd60cbbf89500b"

// The reference's two routes: the page and the script it loads.
const (
	DocsPath   = "/docs"
	ScriptPath = "/docs/redoc.standalone.js"
)

//go:embed redoc/redoc.standalone.js
var redoc []byte

// page is the whole reference page: Redoc reads the document and renders it. The examples are in the
// document's own description (tools/openapi3).
const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partnerskap API reference</title>
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="` + ScriptPath + `"></script>
</body>
</html>
`

// DocsHandler serves the reference page.
func DocsHandler() http.Handler { return serveAs("text/html; charset=utf-8", []byte(page)) }

// ScriptHandler serves the embedded Redoc bundle.
func ScriptHandler() http.Handler { return serveAs("text/javascript; charset=utf-8", redoc) }
