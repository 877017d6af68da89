// Package docs serves the browsable API reference at /docs: Redoc, embedded and pinned (assets/SOURCE.md),
// rendering the OpenAPI 3 document the gateway serves at /openapi.json. No CDN is involved, so the page works
// wherever the gateway does.
package docs

import (
	_ "embed"
	"net/http"
)

// RedocSHA256 is the sum of the embedded Redoc bundle, as published in npm's redoc@2.5.4.
const RedocSHA256 = "dcaf76612bc4a3fbcc923a8966dee2f6146a5f32e5ce1b6f02dd60cbbf89500b"

// Paths are the two routes: the page and the script it loads.
const (
	PagePath   = "/docs"
	ScriptPath = "/docs/redoc.standalone.js"
)

//go:embed assets/redoc.standalone.js
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

// Page serves the reference page; Script serves the Redoc bundle. Both are the same for everyone and change
// only with the binary, so caches may keep them for a while.
func Page() http.Handler { return serve("text/html; charset=utf-8", []byte(page)) }

// Script serves the embedded Redoc bundle.
func Script() http.Handler { return serve("text/javascript; charset=utf-8", redoc) }

func serve(contentType string, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(body)
	})
}
