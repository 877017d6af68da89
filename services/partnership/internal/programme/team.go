package programme

import (
	"fmt"
	"slices"

	"github.com/partnerskap/partnerskap/platform/prose"
)

// SteeringMember is one person on a partnership's steering group; only the facts the rules need.
type SteeringMember struct {
	OrgID       string
	Role        MemberRole
	Coordinator bool
}

// CheckSteeringGroup checks the steering group's composition: for each party at least one politician from
// the majority, one from the opposition and one leading official; every member from a party and in a
// steering-group role. It returns every violation, parties in the order given, members from no party last;
// none means the composition passes.
func CheckSteeringGroup(parties []Party, members []SteeringMember) []Violation {
	var out []Violation
	counts := map[string]map[MemberRole]int{}
	for _, m := range members {
		if counts[m.OrgID] == nil {
			counts[m.OrgID] = map[MemberRole]int{}
		}
		counts[m.OrgID][m.Role]++
	}
	for _, p := range parties {
		c := counts[p.OrgID]
		for _, need := range []struct {
			role MemberRole
			rule string
		}{
			{RoleMajorityPolitician, RuleMajorityPoliticianMissing},
			{RoleOppositionPolitician, RuleOppositionPoliticianMissing},
			{RoleLeadingOfficial, RuleLeadingOfficialMissing},
		} {
			if c[need.role] == 0 {
				out = append(out, violation(p, need.rule, fmt.Sprintf("%s has no %s in the steering group; add at least one",
					p.display(), need.role.Label())))
			}
		}
		for _, r := range sortedRoles(c) {
			if !r.ValidForSteeringGroup() {
				out = append(out, violation(p, RuleRoleNotAllowed, fmt.Sprintf("%s has %s in the steering group with the role %s; "+
					"a steering group has politicians from the majority and the opposition, and leading officials",
					p.display(), plural(c[r], "member", "members"), roleShown(r))))
			}
		}
	}
	return append(out, strangers(parties, memberOrgs(members, func(m SteeringMember) string { return m.OrgID }), "steering group")...)
}

// TeamMember is one person on an inception or project team; only the facts the rules need.
type TeamMember struct {
	OrgID          string
	Role           MemberRole
	ProjectManager bool
}

// CheckTeam checks an inception or project team against rule, per party: the exact numbers of
// politicians, the officials (leading officials count) within bounds, and the exact number of project
// managers when the rule asks for any, each of them an official. Members from no party are reported last.
func CheckTeam(rule TeamRule, parties []Party, members []TeamMember) []Violation {
	var out []Violation
	for _, p := range parties {
		var majority, opposition, officials, managers int
		var unknownRoles []string
		managerNotOfficial := 0
		for _, m := range members {
			if m.OrgID != p.OrgID {
				continue
			}
			switch {
			case m.Role == RoleMajorityPolitician:
				majority++
			case m.Role == RoleOppositionPolitician:
				opposition++
			case m.Role.isOfficial():
				officials++
			default:
				unknownRoles = append(unknownRoles, prose.Quote(string(m.Role)))
			}
			if m.ProjectManager {
				managers++
				if !m.Role.isOfficial() {
					managerNotOfficial++
				}
			}
		}
		name := p.display()
		if majority != rule.MajorityPoliticians {
			out = append(out, violation(p, RuleMajorityPoliticians, teamCount(name, majority, rule.MajorityPoliticians,
				"politician from the majority", "politicians from the majority")))
		}
		if opposition != rule.OppositionPoliticians {
			out = append(out, violation(p, RuleOppositionPoliticians, teamCount(name, opposition, rule.OppositionPoliticians,
				"politician from the opposition", "politicians from the opposition")))
		}
		if officials < rule.OfficialsMin || officials > rule.OfficialsMax {
			want := fmt.Sprintf("%d to %d", rule.OfficialsMin, rule.OfficialsMax)
			if rule.OfficialsMin == rule.OfficialsMax {
				want = fmt.Sprintf("exactly %d", rule.OfficialsMin)
			}
			out = append(out, violation(p, RuleOfficials, fmt.Sprintf("%s has %s in the team; it needs %s",
				name, plural(officials, "official", "officials"), want)))
		}
		if rule.ProjectManagers > 0 && managers != rule.ProjectManagers {
			out = append(out, violation(p, RuleProjectManagers, teamCount(name, managers, rule.ProjectManagers,
				"project manager", "project managers")))
		}
		if managerNotOfficial > 0 {
			out = append(out, violation(p, RuleProjectManagerNotOfficial, fmt.Sprintf(
				"%s has %s marked as project manager who %s not an official; the project manager is one of the officials",
				name, plural(managerNotOfficial, "team member", "team members"), isAre(managerNotOfficial))))
		}
		if len(unknownRoles) > 0 {
			out = append(out, violation(p, RuleRoleNotAllowed, fmt.Sprintf("%s has team members with the unknown role %s; "+
				"choose majority_politician, opposition_politician, leading_official or official", name, prose.JoinAnd(unknownRoles))))
		}
	}
	return append(out, strangers(parties, memberOrgs(members, func(m TeamMember) string { return m.OrgID }), "team")...)
}

// isAre agrees the verb with a count.
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// teamCount says that a party has the wrong number of one kind of member, and how many it needs.
func teamCount(party string, have, want int, one, many string) string {
	if want == 0 {
		return fmt.Sprintf("%s has %s in the team; this team has no place for %s", party, plural(have, one, many), many)
	}
	return fmt.Sprintf("%s has %s in the team; it needs exactly %d", party, plural(have, one, many), want)
}

// memberOrgs lists the organisations members come from, in first-seen order so reports are stable.
func memberOrgs[M any](members []M, org func(M) string) (orgs []string) {
	seen := map[string]bool{}
	for _, m := range members {
		if o := org(m); !seen[o] {
			seen[o] = true
			orgs = append(orgs, o)
		}
	}
	return orgs
}

// strangers reports organisations that have members but are not parties; such members count for nobody.
func strangers(parties []Party, orgs []string, group string) []Violation {
	isParty := map[string]bool{}
	for _, p := range parties {
		isParty[p.OrgID] = true
	}
	var out []Violation
	for _, o := range orgs {
		if isParty[o] {
			continue
		}
		who := "organisation " + o
		if o == "" {
			who = "no organisation"
		}
		out = append(out, Violation{OrgID: o, Rule: RuleMemberNotAParty, Description: fmt.Sprintf(
			"the %s has members from %s, which is not a party to this partnership; move them to a party or remove them", group, who)})
	}
	return out
}

// sortedRoles returns the roles in c in MemberRoles order, then unknown ones by name, for stable reports.
func sortedRoles(c map[MemberRole]int) []MemberRole {
	var out []MemberRole
	for _, r := range MemberRoles() {
		if c[r] > 0 {
			out = append(out, r)
		}
	}
	var unknown []string
	for r := range c {
		if !r.Valid() {
			unknown = append(unknown, string(r))
		}
	}
	slices.Sort(unknown)
	for _, r := range unknown {
		out = append(out, MemberRole(r))
	}
	return out
}
