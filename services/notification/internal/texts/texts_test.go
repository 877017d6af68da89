package texts

import (
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
)

// Every language has every sentence and every kind's word; a mail is written in its reader's language.
func TestCatalogue(t *testing.T) {
	for lang, w := range Catalogue {
		for name, s := range map[string]string{"greeting": w.greeting, "reminderSubj": w.reminderSubj, "reminderToday": w.reminderToday,
			"reminderBody": w.reminderBody, "claimSubj": w.claimSubj, "claimBody": w.claimBody, "returnedSubj": w.returnedSubj,
			"returnedBody": w.returnedBody, "digestSubj": w.digestSubj, "digestIntro": w.digestIntro, "open": w.open, "signature": w.signature} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s lacks %s", lang, name)
			}
		}
		for _, k := range []agenda.Kind{agenda.WindowCloses, agenda.ReportDue, agenda.VisitsMissing, agenda.VisitPlanned, agenda.ClaimDecision, agenda.NetworkMilestone} {
			if w.kinds[k] == "" {
				t.Errorf("%s has no word for %s", lang, k)
			}
		}
	}
	r := agenda.Reminder{Deadline: agenda.Deadline{Title: "Final report", Due: civil.Date{Year: 2027, Month: 3, Day: 31}, Responsible: "Malmö stad"}, Days: 14, Left: 10}
	sv := Reminder("sv", "Anna", r, "https://x/v1/r")
	en := Reminder("en", "Anna", r, "https://x/v1/r")
	if sv.Subject != "Om 10 dagar: Final report" || !strings.Contains(sv.Body, "Hej Anna") || !strings.Contains(sv.Body, "2027-03-31") {
		t.Errorf("Swedish: %+v", sv)
	}
	if en.Subject != "Due in 10 days: Final report" || !strings.Contains(en.Body, "Hello Anna") {
		t.Errorf("English: %+v", en)
	}
	if de := Reminder("de", "Anna", r, ""); de.Subject != en.Subject {
		t.Errorf("a language the catalogue lacks is written in English: %+v", de)
	}
}

// A deadline is named in the reader's language from its facts; without the facts its sentence needs, as its
// service wrote it.
func TestTitle(t *testing.T) {
	report := agenda.Deadline{Kind: agenda.ReportDue, Title: "Partial report of 2026 for Youth voice",
		Facts: map[string]string{"report": "partial", "year": "2026", "partnership": "Youth voice", "application": "project"}}
	window := agenda.Deadline{Kind: agenda.WindowCloses, Title: "The window for project applications closes", Facts: map[string]string{"application": "project"}}
	end := agenda.Deadline{Kind: agenda.NetworkMilestone, Facts: map[string]string{"network": "Health", "cohort_year": "0"}}
	for _, tc := range []struct {
		lang string
		d    agenda.Deadline
		want string
	}{
		{"sv", report, "Delrapport för 2026: Youth voice"},
		{"en", report, "Partial report of 2026 for Youth voice"},
		{"sv", window, "Ansökningsperioden stänger: projekt"},
		{"sv", end, "Nätverket Health avslutas"},
		{"sv", agenda.Deadline{Kind: agenda.ReportDue, Title: "as written", Facts: map[string]string{"report": "partial"}}, "as written"},
		{"sv", agenda.Deadline{Kind: "something new", Title: "as written"}, "as written"},
	} {
		if got := Title(tc.lang, tc.d); got != tc.want {
			t.Errorf("%s %+v: %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
	for lang, w := range Catalogue {
		if len(w.titles) != len(Catalogue["en"].titles) || len(w.applications) != len(Catalogue["en"].applications) {
			t.Errorf("%s names %d kinds of deadline and %d kinds of application; English %d and %d", lang, len(w.titles), len(w.applications),
				len(Catalogue["en"].titles), len(Catalogue["en"].applications))
		}
	}
}
