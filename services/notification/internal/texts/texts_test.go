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
