// Package ical writes deadlines as an iCalendar feed (RFC 5545): one all-day event per deadline, whose UID is
// the deadline's id, so that a calendar that fetches the feed again updates its events rather than adding
// them twice.
package ical

import (
	"fmt"
	"strings"
	"time"

	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
)

// Calendar is the feed named name of ds, fetched at now; linkBase is the address that resources' paths are
// relative to.
func Calendar(name string, ds []agenda.Deadline, linkBase string, now time.Time) []byte {
	var b strings.Builder
	line := func(s string) { b.WriteString(fold(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Partnerskap//Deadlines//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + text(name))
	stamp := now.UTC().Format("20060102T150405Z")
	for _, d := range ds {
		day := d.Due.Time()
		line("BEGIN:VEVENT")
		line("UID:" + text(d.ID) + "@partnerskap")
		line("DTSTAMP:" + stamp)
		line("DTSTART;VALUE=DATE:" + day.Format("20060102"))
		line("DTEND;VALUE=DATE:" + day.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY:" + text(d.Title))
		line("DESCRIPTION:" + text(fmt.Sprintf("%s acts on it.\n%s%s", d.Responsible, linkBase, d.Resource)))
		line("URL:" + linkBase + d.Resource)
		line("CATEGORIES:" + text(strings.ToUpper(string(d.Kind))))
		line("TRANSP:TRANSPARENT")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return []byte(b.String())
}

// text escapes a TEXT value: backslash, semicolon, comma and newline.
func text(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

// fold ends a content line with CRLF, folded so that no line is longer than 75 octets, never inside a UTF-8
// character.
func fold(s string) string {
	var b strings.Builder
	width := 0
	for _, r := range s {
		n := len(string(r))
		if width+n > 75 {
			b.WriteString("\r\n ")
			width = 1
		}
		b.WriteRune(r)
		width += n
	}
	b.WriteString("\r\n")
	return b.String()
}
