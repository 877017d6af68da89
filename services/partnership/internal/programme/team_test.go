package programme

import (
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

var (
	malmo  = Party{OrgID: "org-malmo", Name: "Malmö stad"}
	lusaka = Party{OrgID: "org-lusaka", Name: "Lusaka City Council"}
	both   = []Party{malmo, lusaka}
)

// balancedSteering is a steering group that passes: the three roles for both parties.
func balancedSteering() []SteeringMember {
	var ms []SteeringMember
	for _, p := range both {
		ms = append(ms,
			SteeringMember{OrgID: p.OrgID, Role: RoleMajorityPolitician},
			SteeringMember{OrgID: p.OrgID, Role: RoleOppositionPolitician},
			SteeringMember{OrgID: p.OrgID, Role: RoleLeadingOfficial, Coordinator: true})
	}
	return ms
}

// wantViolation describes one expected violation by party, rule and a piece of its sentence.
type wantViolation struct {
	org, rule, text string
}

func checkViolationList(t *testing.T, got []Violation, want []wantViolation) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d violations %+v; want %d %+v", len(got), got, len(want), want)
	}
	for i, w := range want {
		g := got[i]
		if g.OrgID != w.org || g.Rule != w.rule || !strings.Contains(g.Description, w.text) {
			t.Errorf("violation %d = %+v; want org %q, rule %s, text %q", i, g, w.org, w.rule, w.text)
		}
		if p, ok := partyByID(both, g.OrgID); ok && g.Party != p.Name {
			t.Errorf("violation %d names party %q; want %q", i, g.Party, p.Name)
		}
	}
}

func TestCheckSteeringGroup(t *testing.T) {
	without := func(drop int) []SteeringMember {
		ms := balancedSteering()
		return append(ms[:drop:drop], ms[drop+1:]...)
	}
	tests := []struct {
		name    string
		parties []Party
		members []SteeringMember
		want    []wantViolation
	}{
		{"balanced", both, balancedSteering(), nil},
		{"balanced with extra members", both, append(balancedSteering(), SteeringMember{OrgID: malmo.OrgID, Role: RoleMajorityPolitician}), nil},
		{"no majority politician in Malmö", both, without(0),
			[]wantViolation{{malmo.OrgID, RuleMajorityPoliticianMissing, "Malmö stad has no politician from the majority in the steering group; add at least one"}}},
		{"no opposition politician in Lusaka", both, without(4),
			[]wantViolation{{lusaka.OrgID, RuleOppositionPoliticianMissing, "Lusaka City Council has no politician from the opposition"}}},
		{"no leading official in Lusaka", both, without(5),
			[]wantViolation{{lusaka.OrgID, RuleLeadingOfficialMissing, "Lusaka City Council has no leading official"}}},
		{"empty", both, nil, []wantViolation{
			{malmo.OrgID, RuleMajorityPoliticianMissing, "Malmö stad"},
			{malmo.OrgID, RuleOppositionPoliticianMissing, "Malmö stad"},
			{malmo.OrgID, RuleLeadingOfficialMissing, "Malmö stad"},
			{lusaka.OrgID, RuleMajorityPoliticianMissing, "Lusaka"},
			{lusaka.OrgID, RuleOppositionPoliticianMissing, "Lusaka"},
			{lusaka.OrgID, RuleLeadingOfficialMissing, "Lusaka"},
		}},
		{"an official is not a steering role", both, append(balancedSteering(), SteeringMember{OrgID: lusaka.OrgID, Role: RoleOfficial}),
			[]wantViolation{{lusaka.OrgID, RuleRoleNotAllowed, "Lusaka City Council has 1 member in the steering group with the role official"}}},
		{"unknown role", both, append(balancedSteering(), SteeringMember{OrgID: malmo.OrgID, Role: "mayor"}),
			[]wantViolation{{malmo.OrgID, RuleRoleNotAllowed, `with the role "mayor"`}}},
		{"member from no party", both, append(balancedSteering(), SteeringMember{OrgID: "org-x", Role: RoleLeadingOfficial}),
			[]wantViolation{{"org-x", RuleMemberNotAParty, "members from organisation org-x, which is not a party to this partnership"}}},
		{"a three-party partnership needs all three balanced", append(both, Party{OrgID: "org-3", Name: "Riga"}), balancedSteering(),
			[]wantViolation{{"org-3", RuleMajorityPoliticianMissing, "Riga"}, {"org-3", RuleOppositionPoliticianMissing, "Riga"}, {"org-3", RuleLeadingOfficialMissing, "Riga"}}},
		{"a party without a name is named by its id", []Party{{OrgID: "org-9"}}, nil,
			[]wantViolation{{"org-9", RuleMajorityPoliticianMissing, "organisation org-9 has no"}, {"org-9", RuleOppositionPoliticianMissing, ""}, {"org-9", RuleLeadingOfficialMissing, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkViolationList(t, CheckSteeringGroup(tt.parties, tt.members), tt.want) })
	}
}

func TestCheckTeam(t *testing.T) {
	rules := DefaultRuleSet()
	inception := func(extra ...TeamMember) []TeamMember {
		var ms []TeamMember
		for _, p := range both {
			ms = append(ms,
				TeamMember{OrgID: p.OrgID, Role: RoleMajorityPolitician},
				TeamMember{OrgID: p.OrgID, Role: RoleOppositionPolitician},
				TeamMember{OrgID: p.OrgID, Role: RoleOfficial})
		}
		return append(ms, extra...)
	}
	project := func(officials int, extra ...TeamMember) []TeamMember {
		var ms []TeamMember
		for _, p := range both {
			ms = append(ms, TeamMember{OrgID: p.OrgID, Role: RoleOfficial, ProjectManager: true})
			for i := 1; i < officials; i++ {
				ms = append(ms, TeamMember{OrgID: p.OrgID, Role: RoleOfficial})
			}
		}
		return append(ms, extra...)
	}
	tests := []struct {
		name    string
		rule    TeamRule
		members []TeamMember
		want    []wantViolation
	}{
		{"inception, one official each", rules.InceptionTeam, inception(), nil},
		{"inception, two officials in Malmö", rules.InceptionTeam, inception(TeamMember{OrgID: malmo.OrgID, Role: RoleLeadingOfficial}), nil},
		{"inception, three officials in Malmö", rules.InceptionTeam,
			inception(TeamMember{OrgID: malmo.OrgID, Role: RoleOfficial}, TeamMember{OrgID: malmo.OrgID, Role: RoleOfficial}),
			[]wantViolation{{malmo.OrgID, RuleOfficials, "Malmö stad has 3 officials in the team; it needs 1 to 2"}}},
		{"inception, two majority politicians in Lusaka", rules.InceptionTeam, inception(TeamMember{OrgID: lusaka.OrgID, Role: RoleMajorityPolitician}),
			[]wantViolation{{lusaka.OrgID, RuleMajorityPoliticians, "Lusaka City Council has 2 politicians from the majority in the team; it needs exactly 1"}}},
		{"inception, empty", rules.InceptionTeam, nil, []wantViolation{
			{malmo.OrgID, RuleMajorityPoliticians, "has no politicians from the majority"},
			{malmo.OrgID, RuleOppositionPoliticians, "has no politicians from the opposition"},
			{malmo.OrgID, RuleOfficials, "has no officials in the team; it needs 1 to 2"},
			{lusaka.OrgID, RuleMajorityPoliticians, ""}, {lusaka.OrgID, RuleOppositionPoliticians, ""}, {lusaka.OrgID, RuleOfficials, ""},
		}},
		{"project, three officials", rules.ProjectTeam, project(3), nil},
		{"project, five officials", rules.ProjectTeam, project(5), nil},
		{"project, six officials", rules.ProjectTeam, project(5, TeamMember{OrgID: lusaka.OrgID, Role: RoleOfficial}),
			[]wantViolation{{lusaka.OrgID, RuleOfficials, "has 6 officials in the team; it needs 3 to 5"}}},
		{"project, two officials", rules.ProjectTeam, project(2), []wantViolation{
			{malmo.OrgID, RuleOfficials, "Malmö stad has 2 officials"}, {lusaka.OrgID, RuleOfficials, "Lusaka City Council has 2 officials"}}},
		{"project, two managers", rules.ProjectTeam, project(3, TeamMember{OrgID: malmo.OrgID, Role: RoleOfficial, ProjectManager: true}),
			[]wantViolation{{malmo.OrgID, RuleProjectManagers, "Malmö stad has 2 project managers in the team; it needs exactly 1"}}},
		{"project, no manager", rules.ProjectTeam, []TeamMember{
			{OrgID: malmo.OrgID, Role: RoleOfficial}, {OrgID: malmo.OrgID, Role: RoleOfficial}, {OrgID: malmo.OrgID, Role: RoleOfficial},
			{OrgID: lusaka.OrgID, Role: RoleOfficial, ProjectManager: true}, {OrgID: lusaka.OrgID, Role: RoleOfficial}, {OrgID: lusaka.OrgID, Role: RoleLeadingOfficial}},
			[]wantViolation{{malmo.OrgID, RuleProjectManagers, "Malmö stad has no project managers in the team; it needs exactly 1"}}},
		{"project, a politician as manager", rules.ProjectTeam, project(3, TeamMember{OrgID: malmo.OrgID, Role: RoleMajorityPolitician, ProjectManager: true}),
			[]wantViolation{
				{malmo.OrgID, RuleMajorityPoliticians, "this team has no place for politicians from the majority"},
				{malmo.OrgID, RuleProjectManagers, "has 2 project managers"},
				{malmo.OrgID, RuleProjectManagerNotOfficial, "1 team member marked as project manager who is not an official"},
			}},
		{"inception, no manager needed and a flag is harmless", rules.InceptionTeam,
			inception(TeamMember{OrgID: malmo.OrgID, Role: RoleOfficial, ProjectManager: true}), nil},
		{"unknown role", rules.InceptionTeam, inception(TeamMember{OrgID: malmo.OrgID, Role: "mayor"}),
			[]wantViolation{{malmo.OrgID, RuleRoleNotAllowed, `unknown role "mayor"`}}},
		{"member from no party", rules.InceptionTeam, inception(TeamMember{OrgID: "org-x", Role: RoleOfficial}),
			[]wantViolation{{"org-x", RuleMemberNotAParty, "the team has members from organisation org-x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkViolationList(t, CheckTeam(tt.rule, both, tt.members), tt.want) })
	}
}

func TestCheckMemberOfParty(t *testing.T) {
	faulttest.Invalid(t, CheckMemberOfParty(both, lusaka.OrgID, "member.organization_id"), nil)
	faulttest.Invalid(t, CheckMemberOfParty(both, "org-x", "member.organization_id"), map[string]string{
		"member.organization_id": "organisation org-x is not a party to this partnership; choose Malmö stad or Lusaka City Council"})
	faulttest.Invalid(t, CheckMemberOfParty(both, " ", "member.organization_id"), map[string]string{
		"member.organization_id": "choose the organisation the person represents"})
	faulttest.Invalid(t, CheckMemberOfParty(nil, "org-x", "f"), map[string]string{"f": "the partnership has no parties yet"})
}

func TestAsFailedPrecondition(t *testing.T) {
	if err := AsFailedPrecondition(ReasonSteeringGroupIncomplete, TypeSteeringGroup, nil); err != nil {
		t.Fatalf("no violations gave %v", err)
	}
	vs := CheckSteeringGroup(both, balancedSteering()[:5])
	vs = append(vs, Violation{Rule: RuleMeetingsPerYear, Description: "in 2025 the parties met once"})
	fp := faulttest.Precondition(t, AsFailedPrecondition(ReasonSteeringGroupIncomplete, TypeSteeringGroup, vs),
		ReasonSteeringGroupIncomplete, TypeSteeringGroup, "Lusaka City Council has no leading official")
	if fp.Violations[0].Subject != "organizations/"+lusaka.OrgID || fp.Violations[1].Subject != "partnership" {
		t.Errorf("subjects %+v", fp.Violations)
	}
}

func TestMemberRoles(t *testing.T) {
	steering := 0
	for _, r := range MemberRoles() {
		if !r.Valid() {
			t.Errorf("%s not valid", r)
		}
		if r.ValidForSteeringGroup() {
			steering++
		}
	}
	if steering != 3 || RoleOfficial.ValidForSteeringGroup() || MemberRole("mayor").Valid() {
		t.Error("the steering group allows exactly the first three roles")
	}
}
