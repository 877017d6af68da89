// Command iati-xsd validates IATI activity files against the IATI 2.03 schema with xmllint, exactly as package
// xsd does. It is for tests that cannot import an internal package (the e2e module) and for people:
//
//	go run github.com/partnerskap/partnerskap/services/reporting/internal/iati/xsd/cmd/iati-xsd FILE...
//
// It reads standard input when given no file, and exits 1 when any document is invalid, 2 on bad usage.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/partnerskap/partnerskap/services/reporting/internal/iati/xsd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	args := os.Args[1:]
	if len(args) == 0 {
		args = []string{"-"}
	}
	failed := false
	for _, arg := range args {
		var err error
		switch {
		case arg == "-":
			arg, err = "standard input", xsd.ValidateReader(ctx, os.Stdin)
		case strings.HasPrefix(arg, "-"):
			fmt.Fprintln(os.Stderr, "usage: iati-xsd [FILE...]  (standard input when no file is given)")
			os.Exit(2)
		default:
			err = xsd.Validate(ctx, arg)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed = true
			continue
		}
		fmt.Println(arg, "validates")
	}
	if failed {
		os.Exit(1)
	}
}
