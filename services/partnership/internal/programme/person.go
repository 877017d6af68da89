package programme

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/prose"
)

// Person is someone who uses the system: whom a token's subject is, where notifications go and in which
// language, and what they want to be told.
type Person struct {
	ID          string
	Subject     string
	Name        string
	Email       string
	Language    string
	Role        auth.Role
	OrgIDs      []string
	Preferences Preferences
	// Erased says name and e-mail were erased.
	Erased bool
}

// Preferences are what a person does not want to be told, and how often they are reminded; the zero value is
// everything, at the programme's distances.
type Preferences struct {
	NoReminders, NoRequests, NoWeeklyDigest bool
	// ReminderDays are the days before a deadline this person is reminded on; empty follows the programme's
	// rule (RuleSet.Reminders).
	ReminderDays []int
}

// Languages are the languages notifications are written in.
var Languages = []string{"sv", "en"}

// Validate checks p: a subject, a name, an e-mail address, a language of Languages, a role, and organisations
// as the role asks: one or more for a member or partner, who act for them; none for ICLD staff and auditors.
// known reports whether an organisation exists. It returns a *fault.Invalid naming prefix's fields.
func (p Person) Validate(prefix string, known func(orgID string) bool) error {
	inv := &fault.Invalid{Reason: ReasonInvalidArgument}
	if s := strings.TrimSpace(p.Subject); s == "" || len(s) > 255 {
		inv.Add(path(prefix, "subject"), "give the subject (sub) of the person's tokens, at most 255 characters")
	}
	if msg := prose.CheckText(p.Name, "the name", 1, 200, false); msg != "" {
		inv.Add(path(prefix, "display_name"), msg)
	}
	if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || len(p.Email) > 254 {
		inv.Add(path(prefix, "email"), "give an e-mail address such as anna.andersson@malmo.se")
	}
	if !slices.Contains(Languages, p.Language) {
		inv.Add(path(prefix, "language"), `notifications are written in Swedish ("sv") or English ("en")`)
	}
	switch {
	case p.Role == "":
		inv.Add(path(prefix, "role"), "give the role the person's tokens carry")
	case p.Role.OrgScoped() && len(p.OrgIDs) == 0:
		inv.Add(path(prefix, "organization_ids"), fmt.Sprintf("a %s acts for an organisation; name it", p.Role))
	case !p.Role.OrgScoped() && len(p.OrgIDs) > 0:
		inv.Add(path(prefix, "organization_ids"), fmt.Sprintf("a %s acts for ICLD, not for an organisation; leave them out", p.Role))
	}
	CheckReminderDays(inv, p.Preferences.ReminderDays, path(path(prefix, "notifications"), "reminder_days"))
	for i, id := range p.OrgIDs {
		if !known(id) {
			inv.Add(fmt.Sprintf("%s[%d]", path(prefix, "organization_ids"), i), fmt.Sprintf("organisation %s does not exist", id))
		}
	}
	return inv.Err()
}
