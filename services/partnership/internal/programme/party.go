package programme

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Party is one organisation taking part in a partnership.
type Party struct {
	OrgID string
	// Name is how messages name the party ("Malmö stad"); the ID is used when it is empty.
	Name string
}

// display names p in a sentence.
func (p Party) display() string {
	if n := strings.TrimSpace(p.Name); n != "" {
		return n
	}
	return "organisation " + p.OrgID
}

// Violation is one broken programme rule, per party where it applies.
type Violation struct {
	// OrgID and Party name the party the rule was checked for; both empty for a partnership-wide rule.
	OrgID, Party string
	// Rule is a stable UPPER_SNAKE code clients may switch on (the Rule* constants).
	Rule string
	// Description is a plain sentence naming the party and what would satisfy the rule.
	Description string
}

// Rules a Violation can name; clients may switch on them, so they never change once published.
const (
	RuleMajorityPoliticianMissing   = "MAJORITY_POLITICIAN_MISSING"
	RuleOppositionPoliticianMissing = "OPPOSITION_POLITICIAN_MISSING"
	RuleLeadingOfficialMissing      = "LEADING_OFFICIAL_MISSING"
	RuleRoleNotAllowed              = "ROLE_NOT_ALLOWED"
	RuleMemberNotAParty             = "MEMBER_NOT_A_PARTY"
	RuleMajorityPoliticians         = "MAJORITY_POLITICIANS"
	RuleOppositionPoliticians       = "OPPOSITION_POLITICIANS"
	RuleOfficials                   = "OFFICIALS"
	RuleProjectManagers             = "PROJECT_MANAGERS"
	RuleProjectManagerNotOfficial   = "PROJECT_MANAGER_NOT_OFFICIAL"
	RuleMeetingsPerYear             = "MEETINGS_PER_YEAR"
	RuleHostedPerParty              = "HOSTED_PER_PARTY"
)

// AsFailedPrecondition turns the result of a Check* function into an error for a step that needs the rules
// to pass (activating a partnership needs a complete steering group): nil when vs is empty, else a
// *fault.FailedPrecondition with reason, one violation of type typ per Violation, subject the party's
// organisation.
func AsFailedPrecondition(reason, typ string, vs []Violation) error {
	if len(vs) == 0 {
		return nil
	}
	pvs := make([]fault.PreconditionViolation, len(vs))
	descs := make([]string, len(vs))
	for i, v := range vs {
		subject := "partnership"
		if v.OrgID != "" {
			subject = "organizations/" + v.OrgID
		}
		pvs[i] = fault.PreconditionViolation{Type: typ, Subject: subject, Description: v.Description}
		descs[i] = v.Description
	}
	return &fault.FailedPrecondition{Reason: reason, Message: strings.Join(descs, "; "), Violations: pvs}
}

// MemberRole is what a person does in a steering group or team.
type MemberRole string

// The roles of programme.md.
const (
	RoleMajorityPolitician   MemberRole = "majority_politician"
	RoleOppositionPolitician MemberRole = "opposition_politician"
	RoleLeadingOfficial      MemberRole = "leading_official"
	RoleOfficial             MemberRole = "official"
)

var roleLabels = map[MemberRole]string{
	RoleMajorityPolitician:   "politician from the majority",
	RoleOppositionPolitician: "politician from the opposition",
	RoleLeadingOfficial:      "leading official",
	RoleOfficial:             "official",
}

// MemberRoles returns every role; the first three are those allowed in a steering group.
func MemberRoles() []MemberRole {
	return []MemberRole{RoleMajorityPolitician, RoleOppositionPolitician, RoleLeadingOfficial, RoleOfficial}
}

// Valid reports whether r is a known role.
func (r MemberRole) Valid() bool {
	_, ok := roleLabels[r]
	return ok
}

// ValidForSteeringGroup reports whether r may sit on a steering group, which coordinates the partnership
// and so has politicians and leading officials only.
func (r MemberRole) ValidForSteeringGroup() bool {
	return r == RoleMajorityPolitician || r == RoleOppositionPolitician || r == RoleLeadingOfficial
}

// Label names r in words ("politician from the majority"); an unknown role is shown as its code.
func (r MemberRole) Label() string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return string(r)
}

// roleShown names a role in a sentence, quoting an unknown one so it stands out as a code.
func roleShown(r MemberRole) string {
	if r.Valid() {
		return r.Label()
	}
	return prose.Quote(string(r))
}

// isOfficial reports whether r counts as an official in a team; a leading official is one too.
func (r MemberRole) isOfficial() bool { return r == RoleOfficial || r == RoleLeadingOfficial }

// CheckMemberOfParty checks that orgID, given for a member on field, is one of the parties. It returns a
// *fault.Invalid naming field, or nil.
func CheckMemberOfParty(parties []Party, orgID, field string) error {
	if strings.TrimSpace(orgID) == "" {
		return fault.InvalidField(field, "choose the organisation the person represents: "+partyChoices(parties))
	}
	for _, p := range parties {
		if p.OrgID == orgID {
			return nil
		}
	}
	return fault.InvalidField(field, fmt.Sprintf("organisation %s is not a party to this partnership; choose %s", orgID, partyChoices(parties)))
}

// partyChoices lists the parties for a message that asks the caller to choose one.
func partyChoices(parties []Party) string {
	names := make([]string, len(parties))
	for i, p := range parties {
		names[i] = p.display()
	}
	if len(names) == 0 {
		return "the partnership has no parties yet"
	}
	return strings.Replace(prose.JoinAnd(names), " and ", " or ", 1)
}

func violation(p Party, rule, desc string) Violation {
	return Violation{OrgID: p.OrgID, Party: p.Name, Rule: rule, Description: desc}
}
