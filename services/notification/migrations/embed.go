// Package migrations embeds the notification service's SQL migrations (goose format) into its binary.
package migrations

import "embed"

// FS holds the migrations at its root.
//
//go:embed *.sql
var FS embed.FS
