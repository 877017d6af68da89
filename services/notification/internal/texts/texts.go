// Package texts writes the notification service's e-mails in the recipient's language, Swedish or English. Every
// sentence is here, in both languages (a test checks that each has all), so that a Swedish mail carries no
// English line; deadlines are named from their facts in the reader's language (Title).
package texts

import (
	"fmt"
	"regexp"
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
	// titles say what is due, per kind, from the deadline's facts ({name} stands for the fact "name");
	// report titles are per report kind ("report_due/partial", "report_due/final"), and a network's end is
	// "network_milestone/end".
	titles map[string]string
	// words of the facts that are words: application kinds.
	applications map[string]string
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
		titles: map[string]string{
			"application_window_closes": "The window for {application} applications closes",
			"report_due/partial":        "Partial report of {year} for {partnership}",
			"report_due/final":          "Final report of the {application} for {partnership}",
			"visits_missing":            "Visits still missing in {year} for {partnership}",
			"visit_planned":             "Visit hosted by {host}, {start} to {end}: {purpose}",
			"claim_decision":            "Decide the claim of {amount}",
			"network_milestone":         "Year {cohort_year} of the network {network} begins",
			"network_milestone/end":     "The network {network} ends",
		},
		applications: map[string]string{"inception": "inception", "project": "project", "steering_group": "steering group",
			"development": "development", "dissemination": "dissemination"},
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
		titles: map[string]string{
			"application_window_closes": "Ansökningsperioden stänger: {application}",
			"report_due/partial":        "Delrapport för {year}: {partnership}",
			"report_due/final":          "Slutrapport för {application}: {partnership}",
			"visits_missing":            "Besök som fortfarande saknas {year}: {partnership}",
			"visit_planned":             "Besök hos {host}, {start} till {end}: {purpose}",
			"claim_decision":            "Besluta om rekvisitionen på {amount}",
			"network_milestone":         "År {cohort_year} av nätverket {network} börjar",
			"network_milestone/end":     "Nätverket {network} avslutas",
		},
		applications: map[string]string{"inception": "förstudie", "project": "projekt", "steering_group": "styrgruppsansökan",
			"development": "utvecklingsinsats", "dissemination": "spridningsinsats"},
	},
}

// of returns lang's words, English for a language the catalogue lacks.
func of(lang string) words {
	if w, ok := Catalogue[lang]; ok {
		return w
	}
	return Catalogue["en"]
}

// Title says what d is due for in lang, from its facts; d.Title (as its service wrote it) when its facts do
// not fill the language's sentence.
func Title(lang string, d agenda.Deadline) string {
	w := of(lang)
	key := string(d.Kind)
	switch {
	case d.Kind == agenda.ReportDue:
		key += "/" + d.Facts["report"]
	case d.Kind == agenda.NetworkMilestone && d.Facts["cohort_year"] == "0":
		key += "/end"
	}
	sentence, ok := w.titles[key]
	if !ok {
		return d.Title
	}
	missing := false
	out := placeholder.ReplaceAllStringFunc(sentence, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := d.Facts[name]
		if name == "application" {
			v, ok = w.applications[v]
		}
		missing = missing || !ok || v == ""
		return v
	})
	if missing {
		return d.Title
	}
	return out
}

// placeholder is a fact's place in a title: {name}.
var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// Reminder is the reminder of r to name in lang, with link the address of what to act on.
func Reminder(lang, name string, r agenda.Reminder, link string) Mail {
	w := of(lang)
	title := Title(lang, r.Deadline)
	subject := fmt.Sprintf(w.reminderSubj, r.Left, title)
	if r.Left == 0 {
		subject = fmt.Sprintf(w.reminderToday, title)
	}
	return Mail{Subject: subject, Body: join(fmt.Sprintf(w.greeting, name),
		fmt.Sprintf(w.reminderBody, title, r.Deadline.Due, r.Deadline.Responsible), fmt.Sprintf(w.open, link), w.signature)}
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
		lines = append(lines, fmt.Sprintf("- %s %s: %s (%s%s)", civil.Date(d.Due), w.kinds[d.Kind], Title(lang, d), linkBase, d.Resource))
	}
	return Mail{Subject: fmt.Sprintf(w.digestSubj, week), Body: join(append(lines, w.signature)...)}
}

func join(paragraphs ...string) string { return strings.Join(paragraphs, "\n\n") + "\n" }
