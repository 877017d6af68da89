package ical

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
)

func TestCalendar(t *testing.T) {
	d := agenda.Deadline{ID: "report-due/a/partial/2026", Kind: agenda.ReportDue, Due: civil.Date{Year: 2027, Month: 3, Day: 31},
		Title: "Partial report of 2026 for Ungdomars inflytande, Malmö; Lusaka " + strings.Repeat("å", 60), Responsible: "Malmö stad",
		Resource: "/v1/partnerships/p/reports"}
	out := string(Calendar("Anna's deadlines", []agenda.Deadline{d}, "https://partnerskap.example", time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)))
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "UID:report-due/a/partial/2026@partnerskap\r\n", "DTSTART;VALUE=DATE:20270331\r\n",
		"DTEND;VALUE=DATE:20270401\r\n", `Malmö\;`, `inflytande\,`, "DTSTAMP:20261206T090000Z\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("the feed lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("a line of %d octets, or split inside a character: %q", len(l), l)
		}
	}
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Error("a bare line feed")
	}
}
