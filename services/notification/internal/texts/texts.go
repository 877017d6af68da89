// Package texts writes the notification service's e-mails in the recipient's language, Swedish or English. Every
// sentence is here, in both languages, so that a missing translation is a compile error in Catalogue's
// literal, not an English line in a Swedish mail.
package texts

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
)

// Mail is an e-mail's subject and text.
type Mail struct {
	Subject, Body string
}

// words are one language's sentences.
type words struct {
	greeting      string // "Hello %s,"
	reminderSubj  string // "Due in %d days: %s"
	reminderToday string // "Due today: %s"
	reminderBody  string // "%s is due on %s (%s acts on it)."
	claimSubj     string
	claimBody     string // "A claim of %s waits for your decision: %s"
	returnedSubj  string
	returnedBody  string // "ICLD returned the %s of %s with reasons; change it and submit it again: %s"
	digestSubj    string // "Your deadlines, week %s"
	digestIntro   string
	open          string // "Open: %s"
	signature     string
	kinds         map[agenda.Kind]string
}

// Catalogue holds the sentences of each language the service writes in.
var Catalogue = map[string]words{
	"en": {
		greeting:      "Hello %s,",
		reminderSubj:  "Due in %d days: %s",
		reminderToday: "Due today: %s",
		reminderBody:  "%s is due on %s. %s acts on it.",
		claimSubj:     "A claim waits for your decision",
		claimBody:     "A claim of %s waits for your decision.",
		returnedSubj:  "A report was returned: %s",
		returnedBody:  "ICLD returned the report of %d with reasons for each section to change. Change it and submit it again.",
		digestSubj:    "Your deadlines, week %s",
		digestIntro:   "What is due in the coming two weeks:",
		open:          "Open: %s",
		signature:     "Partnerskap: the municipal partnership programme.\nYou choose what you are told at GET/PATCH /v1/me.",
		kinds: map[agenda.Kind]string{agenda.WindowCloses: "Application window", agenda.ReportDue: "Report",
			agenda.VisitsMissing: "Visits", agenda.VisitPlanned: "Visit", agenda.ClaimDecision: "Claim",
			agenda.NetworkMilestone: "Network"},
	},
	"sv": {
		greeting:      "Hej %s,",
		reminderSubj:  "Om %d dagar: %s",
		reminderToday: "I dag: %s",
		reminderBody:  "%s ska vara klart senast %s. %s ansvarar.",
		claimSubj:     "En rekvisition väntar på ditt beslut",
		claimBody:     "En rekvisition på %s väntar på ditt beslut.",
		returnedSubj:  "En rapport har skickats tillbaka: %s",
		returnedBody:  "ICLD har skickat tillbaka rapporten för %d med synpunkter på varje avsnitt som ska ändras. Ändra den och skicka in den igen.",
		digestSubj:    "Dina tidsfrister, vecka %s",
		digestIntro:   "Det här ska vara klart de kommande två veckorna:",
		open:          "Öppna: %s",
		signature:     "Partnerskap: programmet för kommunala partnerskap.\nDu väljer vad du får veta via GET/PATCH /v1/me.",
		kinds: map[agenda.Kind]string{agenda.WindowCloses: "Ansökningsperiod", agenda.ReportDue: "Rapport",
			agenda.VisitsMissing: "Besök", agenda.VisitPlanned: "Besök", agenda.ClaimDecision: "Rekvisition",
			agenda.NetworkMilestone: "Nätverk"},
	},
}

// of returns lang's words, English for a language the catalogue lacks.
func of(lang string) words {
	if w, ok := Catalogue[lang]; ok {
		return w
	}
	return Catalogue["en"]
}

// Reminder is the reminder of r to name in lang, with link the address of what to act on.
func Reminder(lang, name string, r agenda.Reminder, link string) Mail {
	w := of(lang)
	subject := fmt.Sprintf(w.reminderSubj, r.Left, r.Deadline.Title)
	if r.Left == 0 {
		subject = fmt.Sprintf(w.reminderToday, r.Deadline.Title)
	}
	return Mail{Subject: subject, Body: join(fmt.Sprintf(w.greeting, name),
		fmt.Sprintf(w.reminderBody, r.Deadline.Title, r.Deadline.Due, r.Deadline.Responsible), fmt.Sprintf(w.open, link), w.signature)}
}

// ClaimToDecide asks a coordinator to decide a claim of total.
func ClaimToDecide(lang, name, total, link string) Mail {
	w := of(lang)
	return Mail{Subject: w.claimSubj, Body: join(fmt.Sprintf(w.greeting, name), fmt.Sprintf(w.claimBody, total), fmt.Sprintf(w.open, link), w.signature)}
}

// ReportReturned tells the Swedish party that ICLD returned its report of year for partnership.
func ReportReturned(lang, name, partnership string, year int, link string) Mail {
	w := of(lang)
	return Mail{Subject: fmt.Sprintf(w.returnedSubj, partnership), Body: join(fmt.Sprintf(w.greeting, name),
		fmt.Sprintf(w.returnedBody, year), fmt.Sprintf(w.open, link), w.signature)}
}

// Digest lists ds, the deadlines of the coming weeks, for week.
func Digest(lang, name, week string, ds []agenda.Deadline, linkBase string) Mail {
	w := of(lang)
	lines := []string{fmt.Sprintf(w.greeting, name), w.digestIntro}
	for _, d := range ds {
		lines = append(lines, fmt.Sprintf("- %s %s: %s (%s%s)", civil.Date(d.Due), w.kinds[d.Kind], d.Title, linkBase, d.Resource))
	}
	return Mail{Subject: fmt.Sprintf(w.digestSubj, week), Body: join(append(lines, w.signature)...)}
}

func join(paragraphs ...string) string { return strings.Join(paragraphs, "\n\n") + "\n" }
