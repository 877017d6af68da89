package domain

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"

	"github.com/partnerskap/partnerskap/platform/fault"
)

func youthInfluence() Partnership {
	return Partnership{
		ID: "p1", SwedishOrgID: "o1", InternationalOrgID: "o2",
		Title:      "Young people's influence over local environmental questions",
		Challenge:  "Give young people a say in environmental decisions,\nbuilding on the Convention on the Rights of the Child.",
		CoreAreas:  []CoreArea{CoreAreaParticipation, CoreAreaEquityInclusion},
		SDGTargets: []string{"16.7", "16.6"},
		State:      StateDraft,
	}
}

func TestPartnershipValidate(t *testing.T) {
	with := func(f func(*Partnership)) Partnership { p := youthInfluence(); f(&p); return p }
	targets := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%d.%d", i/5+1, i%5+1)
		}
		return out
	}

	tests := []struct {
		name string
		p    Partnership
		want map[string]string
	}{
		{"valid", youthInfluence(), nil},
		{"new, without state or targets or challenge", with(func(p *Partnership) { p.State = ""; p.SDGTargets = nil; p.Challenge = "" }), nil},
		{"every core area", with(func(p *Partnership) { p.CoreAreas = CoreAreas() }), nil},
		{"20 targets", with(func(p *Partnership) { p.SDGTargets = targets(20) }), nil},
		{"target with letter", with(func(p *Partnership) { p.SDGTargets = []string{"16.a", "16.10"} }), nil},
		{"title at the limit", with(func(p *Partnership) { p.Title = strings.Repeat("ä", MaxTitleLen) }), nil},
		{"challenge at the limit", with(func(p *Partnership) { p.Challenge = strings.Repeat("ö", MaxChallengeLen) }), nil},

		{"no title", with(func(p *Partnership) { p.Title = "" }), map[string]string{"partnership.title": "enter the title"}},
		{"blank title", with(func(p *Partnership) { p.Title = "   " }), map[string]string{"partnership.title": "enter the title"}},
		{"title too long", with(func(p *Partnership) { p.Title = strings.Repeat("a", 201) }), map[string]string{"partnership.title": "201 characters; at most 200"}},
		{"line break in title", with(func(p *Partnership) { p.Title = "Water\nand democracy" }), map[string]string{"partnership.title": "control character"}},
		{"challenge too long", with(func(p *Partnership) { p.Challenge = strings.Repeat("a", 5001) }), map[string]string{"partnership.challenge": "at most 5000"}},
		{"no core area", with(func(p *Partnership) { p.CoreAreas = nil }), map[string]string{"partnership.core_areas": "choose at least one core area"}},
		{"unknown core area", with(func(p *Partnership) { p.CoreAreas = []CoreArea{CoreAreaTransparency, "democracy"} }),
			map[string]string{"partnership.core_areas[1]": `"democracy" is not a core area`}},
		{"duplicate core area", with(func(p *Partnership) {
			p.CoreAreas = []CoreArea{CoreAreaTransparency, CoreAreaAccountability, CoreAreaTransparency}
		}),
			map[string]string{"partnership.core_areas[2]": "already listed at position 0"}},
		{"unknown target", with(func(p *Partnership) { p.SDGTargets = []string{"16.7", "16.99"} }),
			map[string]string{"partnership.sdg_targets[1]": `"16.99" is not an SDG target`}},
		{"goal instead of target", with(func(p *Partnership) { p.SDGTargets = []string{"16"} }),
			map[string]string{"partnership.sdg_targets[0]": `"16" is a goal`}},
		{"empty target", with(func(p *Partnership) { p.SDGTargets = []string{""} }),
			map[string]string{"partnership.sdg_targets[0]": "enter an SDG target code"}},
		{"duplicate target", with(func(p *Partnership) { p.SDGTargets = []string{"16.7", "16.6", "16.7"} }),
			map[string]string{"partnership.sdg_targets[2]": "target 16.7 is already listed at position 0"}},
		{"21 targets", with(func(p *Partnership) { p.SDGTargets = targets(21) }),
			map[string]string{"partnership.sdg_targets": "21 SDG targets are listed; choose at most 20"}},
		{"no Swedish party", with(func(p *Partnership) { p.SwedishOrgID = "" }),
			map[string]string{"partnership.swedish_organization_id": "choose the Swedish party"}},
		{"no international party", with(func(p *Partnership) { p.InternationalOrgID = " " }),
			map[string]string{"partnership.international_organization_id": "choose the international party"}},
		{"same party twice", with(func(p *Partnership) { p.InternationalOrgID = "o1" }),
			map[string]string{"partnership.international_organization_id": "another organisation than the Swedish party"}},
		{"unknown state", with(func(p *Partnership) { p.State = "archived" }),
			map[string]string{"partnership.state": `"archived" is not a partnership state`}},
		{"everything wrong", Partnership{CoreAreas: []CoreArea{"x"}, SDGTargets: []string{"0.0"}},
			map[string]string{
				"partnership.title": "enter", "partnership.core_areas[0]": "not a core area", "partnership.sdg_targets[0]": "not an SDG target",
				"partnership.swedish_organization_id": "choose", "partnership.international_organization_id": "choose",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			faulttest.Invalid(t, tt.p.Validate(), tt.want)
		})
	}
}

func TestPartnershipValidateAtPrefix(t *testing.T) {
	p := youthInfluence()
	p.Title = ""
	faulttest.Invalid(t, p.ValidateAt("update.partnership"), map[string]string{"update.partnership.title": "enter the title"})
}

func TestCoreAreaValid(t *testing.T) {
	for _, a := range CoreAreas() {
		if !a.Valid() {
			t.Errorf("%s not valid", a)
		}
	}
	for _, a := range []CoreArea{"", "democracy", "Participation"} {
		if a.Valid() {
			t.Errorf("%q valid", a)
		}
	}
}

func TestCheckParties(t *testing.T) {
	region := Organization{ID: "o3", Kind: KindRegion, Name: "Region Stockholm"}
	company := Organization{ID: "o4", Kind: KindMunicipalCompany, Name: "VA SYD"}
	unnamed := Organization{Kind: KindUnspecified}
	tests := []struct {
		name          string
		swedish, intl Organization
		wantSubjects  []string
		wantTexts     []string
	}{
		{"municipality with city council", malmo(), lusaka(), nil, nil},
		{"region with city council", region, lusaka(), nil, nil},
		{"municipal company with city council", company, lusaka(), nil, nil},
		{"international as Swedish party", lusaka(), lusaka(), []string{"organizations/o2"},
			[]string{`the Swedish party must be a municipality, region, local federation, municipal company or municipal association; "Lusaka City Council" is an international local government`}},
		{"Swedish as international party", malmo(), region, []string{"organizations/o3"},
			[]string{`the international party must be an international local government; "Region Stockholm" is a region`}},
		{"roles swapped", lusaka(), malmo(), []string{"organizations/o2", "organizations/o1"},
			[]string{"the Swedish party must be", "the international party must be"}},
		{"unspecified kinds, no ids", unnamed, unnamed, []string{"organization", "organization"},
			[]string{"the organisation is an organisation of unspecified kind", "the organisation is an organisation of unspecified kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckParties(tt.swedish, tt.intl)
			if tt.wantSubjects == nil {
				if err != nil {
					t.Fatalf("CheckParties: %v; want nil", err)
				}
				return
			}
			var fp *fault.FailedPrecondition
			if !errors.As(err, &fp) {
				t.Fatalf("CheckParties: %T %v; want *fault.FailedPrecondition", err, err)
			}
			if fp.Reason != "PARTY_KIND" || len(fp.Violations) != len(tt.wantSubjects) {
				t.Fatalf("Reason %q, violations %+v", fp.Reason, fp.Violations)
			}
			for i, v := range fp.Violations {
				if v.Type != "PARTY_KIND" || v.Subject != tt.wantSubjects[i] || !strings.Contains(v.Description, tt.wantTexts[i]) {
					t.Errorf("violation %d = %+v; want subject %q, text %q", i, v, tt.wantSubjects[i], tt.wantTexts[i])
				}
				if !strings.Contains(fp.Message, v.Description) {
					t.Errorf("message %q omits %q", fp.Message, v.Description)
				}
			}
		})
	}
}
