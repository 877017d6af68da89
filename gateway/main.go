// Command gateway is Partnerskap's REST front: it exposes every service's gRPC API as JSON over HTTP.
//
//	gateway        serve until SIGTERM or SIGINT
//	gateway env    print the environment variables with their defaults as a Markdown table
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/partnerskap/partnerskap/gateway/internal/gateway"
	"github.com/partnerskap/partnerskap/platform/config"
	"github.com/partnerskap/partnerskap/platform/logging"
)

func main() {
	settings := gateway.DefaultSettings()
	switch cmd := commandOf(os.Args); cmd {
	case "env":
		fmt.Print(config.Table(config.Describe(&settings)))
		return
	case "serve":
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q; want serve or env\n", cmd)
		os.Exit(2)
	}
	if err := config.Load(&settings); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	slog.SetDefault(logging.New(os.Stderr, settings.LogLevel, "gateway"))
	if err := gateway.Run(context.Background(), settings); err != nil {
		slog.Error("exiting", "error", err.Error())
		os.Exit(1)
	}
}

// commandOf returns the subcommand; serving is the default.
func commandOf(args []string) string {
	if len(args) > 1 {
		return args[1]
	}
	return "serve"
}
