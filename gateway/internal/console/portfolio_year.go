package console

import (
	"strconv"
	"strings"
	"time"
)

// The years the reports and the IATI export accept (the API's own bounds, in reporting_service.proto).
const (
	firstReportYear = 2000
	lastReportYear  = 2100
)

// readYear reads the year a person asked a report or export for: this year in Stockholm when they named
// none, else a whole number within the API's bounds. What is wrong is said in l, for beside the input, and
// nothing is asked of the API.
func readYear(l lang, raw string) (int, *text) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return time.Now().In(stockholm).Year(), nil
	}
	year, err := strconv.Atoi(raw)
	if err != nil || year < firstReportYear || year > lastReportYear {
		return 0, &text{Text: translate(l, "programme.badYear"), Lang: l}
	}
	return year, nil
}
