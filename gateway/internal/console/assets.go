package console

import "embed"

// htmxSHA256 is the sum of the embedded htmx, as published in npm's htmx.org@2.0.11 (assets/SOURCE.md).
const htmxSHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"

// assetFiles are the stylesheet, htmx and the console's own scripts, served under /console/assets/.
//
//go:embed assets/*.css assets/*.js
var assetFiles embed.FS

// templateFiles are the pages; layout.html wraps each of the others, and partials.html is parsed with each.
//
//go:embed templates/*.html
var templateFiles embed.FS
