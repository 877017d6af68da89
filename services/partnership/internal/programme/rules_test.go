package programme

import (
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

func TestDefaultRuleSet(t *testing.T) {
	r := DefaultRuleSet()
	faulttest.Invalid(t, r.Validate("rules"), nil)
	if r.Period != per("2010-01-01", "") {
		t.Errorf("Period = %s", r.Period)
	}
	want := map[ApplicationKind]DurationRule{
		KindInception: {6, 18}, KindProject: {12, 36}, KindSteeringGroup: {12, 12}, KindDevelopment: {1, 24}, KindDissemination: {1, 12},
	}
	for k, w := range want {
		if r.Durations[k] != w {
			t.Errorf("Durations[%s] = %+v; want %+v", k, r.Durations[k], w)
		}
	}
	if r.InceptionTeam != (TeamRule{MajorityPoliticians: 1, OppositionPoliticians: 1, OfficialsMin: 1, OfficialsMax: 2}) {
		t.Errorf("InceptionTeam = %+v", r.InceptionTeam)
	}
	if r.ProjectTeam != (TeamRule{OfficialsMin: 3, OfficialsMax: 5, ProjectManagers: 1}) {
		t.Errorf("ProjectTeam = %+v", r.ProjectTeam)
	}
	if r.Visits != (VisitRule{MinMeetingsPerYear: 2, MinHostedPerParty: 1}) {
		t.Errorf("Visits = %+v", r.Visits)
	}
	// Each call returns its own map, so a caller editing one cannot change the defaults for everyone.
	r.Durations[KindProject] = DurationRule{1, 1}
	if DefaultRuleSet().Durations[KindProject] != (DurationRule{12, 36}) {
		t.Error("DefaultRuleSet shares its map between calls")
	}
}

func TestRuleSetValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*RuleSet)
		want map[string]string
	}{
		{"defaults", func(*RuleSet) {}, nil},
		{"no start", func(r *RuleSet) { r.Period = Period{} }, map[string]string{"r.valid_from": "enter the first day"}},
		{"ends before it starts", func(r *RuleSet) { r.Period = per("2020-01-01", "2019-01-01") }, map[string]string{"r.valid_to": "before"}},
		{"missing kind", func(r *RuleSet) { delete(r.Durations, KindDissemination) },
			map[string]string{"r.durations.dissemination": "give the shortest and longest length of dissemination applications"}},
		{"unknown kind", func(r *RuleSet) { r.Durations["seminar"] = DurationRule{1, 2} },
			map[string]string{"r.durations.seminar": `"seminar" is not an application kind`}},
		{"no minimum", func(r *RuleSet) { r.Durations[KindProject] = DurationRule{0, 36} }, nil},
		{"negative minimum", func(r *RuleSet) { r.Durations[KindProject] = DurationRule{-1, 36} },
			map[string]string{"r.durations.project.min_months": "give 0 to 120"}},
		{"zero maximum", func(r *RuleSet) { r.Durations[KindProject] = DurationRule{0, 0} },
			map[string]string{"r.durations.project.max_months": "give 1 to 120"}},
		{"max below min", func(r *RuleSet) { r.Durations[KindProject] = DurationRule{12, 6} },
			map[string]string{"r.durations.project.max_months": "the longest length is 6 months; give 12 to 120"}},
		{"absurd max", func(r *RuleSet) { r.Durations[KindProject] = DurationRule{12, 360} },
			map[string]string{"r.durations.project.max_months": "give 12 to 120"}},
		{"negative politicians", func(r *RuleSet) { r.InceptionTeam.MajorityPoliticians = -1 },
			map[string]string{"r.inception_team.majority_politicians": "-1 politicians from the majority per party is not possible"}},
		{"officials max below min", func(r *RuleSet) { r.ProjectTeam.OfficialsMax = 2 },
			map[string]string{"r.project_team.officials_max": "give 3 to 50"}},
		{"more managers than officials", func(r *RuleSet) { r.ProjectTeam.ProjectManagers = 6 },
			map[string]string{"r.project_team.project_managers": "a team of at most 5 officials cannot have 6 project managers"}},
		{"manager without officials", func(r *RuleSet) {
			r.InceptionTeam.OfficialsMax = 0
			r.InceptionTeam.OfficialsMin = 0
			r.InceptionTeam.ProjectManagers = 1
		},
			map[string]string{"r.inception_team.project_managers": "a team without officials cannot have 1 project manager"}},
		{"negative meetings", func(r *RuleSet) { r.Visits.MinMeetingsPerYear = -2 },
			map[string]string{"r.visits.min_meetings_per_year": "give 0 to 52"}},
		{"too many hosted", func(r *RuleSet) { r.Visits.MinHostedPerParty = 60 },
			map[string]string{"r.visits.min_hosted_per_party": "give 0 to 52"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := DefaultRuleSet()
			tt.edit(&r)
			faulttest.Invalid(t, r.Validate("r"), tt.want)
		})
	}
}

func TestRuleSetOn(t *testing.T) {
	old := DefaultRuleSet()
	old.ID, old.Period = "old", per("2010-01-01", "2024-12-31")
	current := DefaultRuleSet()
	current.ID, current.Period = "new", per("2025-01-01", "")
	current.Visits.MinMeetingsPerYear = 3
	versions := []RuleSet{current, old}
	for _, tt := range []struct {
		on, want string
	}{
		{"2024-12-31", "old"},
		{"2025-01-01", "new"},
		{"2010-01-01", "old"},
		{"2190-01-01", "new"},
	} {
		got, err := RuleSetOn(versions, d(t, tt.on))
		if err != nil || got.ID != tt.want {
			t.Errorf("RuleSetOn(%s) = %q, %v; want %q", tt.on, got.ID, err, tt.want)
		}
	}
	_, err := RuleSetOn(versions, d(t, "2009-12-31"))
	faulttest.Precondition(t, err, ReasonNoRulesInForce, TypeProgrammeRules,
		"no programme rules apply on 2009-12-31; the rules cover from 2025-01-01 and from 2010-01-01 to 2024-12-31")
	_, err = RuleSetOn(nil, d(t, "2025-01-01"))
	faulttest.Precondition(t, err, ReasonNoRulesInForce, TypeProgrammeRules, "no programme rules apply on 2025-01-01")

	// Overlapping versions should not exist; if they do, the one that began last is the newer word.
	overlapping := []RuleSet{{ID: "a", Period: per("2010-01-01", "")}, {ID: "b", Period: per("2020-01-01", "")}}
	if got, _ := RuleSetOn(overlapping, d(t, "2021-01-01")); got.ID != "b" {
		t.Errorf("overlapping versions: got %q; want b", got.ID)
	}
}

func TestCheckRuleSetNoOverlap(t *testing.T) {
	existing := []RuleSet{{ID: "1", Period: per("2010-01-01", "2024-12-31")}, {ID: "2", Period: per("2025-01-01", "")}}
	tests := []struct {
		name    string
		r       RuleSet
		wantMsg string
	}{
		{"overlaps the open-ended one", RuleSet{Period: per("2026-01-01", "")},
			"the period from 2026-01-01 overlaps the programme rules valid from 2025-01-01"},
		{"overlaps both", RuleSet{Period: per("2024-06-01", "2025-06-01")}, "from 2010-01-01 to 2024-12-31 and from 2025-01-01"},
		{"touching", RuleSet{Period: per("2024-12-31", "2024-12-31")}, "overlaps"},
		{"an update of itself", RuleSet{ID: "2", Period: per("2025-01-01", "2030-12-31")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRuleSetNoOverlap(existing, tt.r)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("got %v; want none", err)
				}
				return
			}
			faulttest.Precondition(t, err, ReasonPeriodOverlap, TypeProgrammeRules, tt.wantMsg)
		})
	}
	// Ending the current version the day before the new one begins is how rules change.
	ended := []RuleSet{{ID: "1", Period: per("2010-01-01", "2025-12-31")}}
	if err := CheckRuleSetNoOverlap(ended, RuleSet{Period: per("2026-01-01", "")}); err != nil {
		t.Errorf("consecutive versions: %v", err)
	}
}
