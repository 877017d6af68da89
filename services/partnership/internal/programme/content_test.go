package programme

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// framework is a complete project content: one objective, an outcome with a counted indicator and an output
// with a qualitative one.
func framework() Content {
	day := Date{Year: 2026, Month: 1, Day: 1}
	return Content{
		Purpose: "Young people influence local environmental decisions", Problem: "Young people are not heard",
		Objectives: []Objective{{ID: "youth-voice", Statement: "Young people are heard", Results: []Result{
			{ID: "councils", Level: LevelOutcome, Statement: "Youth councils advise the city", Indicators: []Indicator{
				{ID: "proposals", Name: "Youth proposals decided on", Measure: MeasureUnit, Unit: "proposals",
					Baseline: Value{Number: "0", On: day}, Target: Value{Number: "12", On: Date{Year: 2028, Month: 12, Day: 31}}}}},
			{ID: "toolbox", Level: LevelOutput, Statement: "A digital toolbox", Indicators: []Indicator{
				{ID: "toolbox-use", Name: "How the toolbox is used", Measure: MeasureQualitative,
					Baseline: Value{Comment: "no toolbox"}, Target: Value{Comment: "used in every district"}}}},
		}}},
		Activities:      []PlannedActivity{{ID: "workshops-2026", Year: 2026, ObjectiveID: "youth-voice", Description: "Workshops"}},
		Risks:           []Risk{{Description: "Elections change the majority", Mitigation: "Both majority and opposition in the steering group"}},
		GenderInclusion: "Half of the participants are girls", AntiCorruption: "Four-eyes on every payment",
	}
}

func TestCompleteProjectContentPasses(t *testing.T) {
	c := framework()
	if err := c.Check(""); err != nil {
		t.Fatal(err)
	}
	if gaps := c.Missing(KindProject); len(gaps) != 0 {
		t.Fatalf("a complete framework has gaps: %v", gaps)
	}
	if n := len(c.Indicators()); n != 2 {
		t.Fatalf("%d indicators, want 2", n)
	}
}

// Each gap is named, so the applicant knows what to add; an inception needs none of it.
func TestMissingNamesEachGap(t *testing.T) {
	c := framework()
	c.Objectives[0].Results[0].Indicators[0].Target = Value{}
	c.Objectives[0].Results[1].Indicators[0].Baseline.Comment = ""
	c.Risks[0].Mitigation = ""
	c.AntiCorruption = ""
	gaps := c.Missing(KindProject)
	for _, want := range []string{`target value and date of indicator "proposals"`, `baseline, in words, of indicator "toolbox-use"`, "mitigation of risk 1", "anti-corruption"} {
		if !slices.ContainsFunc(gaps, func(g string) bool { return strings.Contains(g, want) }) {
			t.Errorf("gaps %v do not name %s", gaps, want)
		}
	}
	if got := (Content{}).Missing(KindInception); len(got) != 0 {
		t.Errorf("an empty inception misses %v, want nothing", got)
	}
	err := Content{}.CheckComplete(KindProject, "a1")
	var pf *fault.FailedPrecondition
	if !errors.As(err, &pf) || pf.Reason != "APPLICATION_INCOMPLETE" || len(pf.Violations) < 5 {
		t.Fatalf("an empty project: %v", err)
	}
}

// Ids are unique across the framework, and activities point at objectives that exist.
func TestCheckRefusesDuplicateIdsAndDanglingObjectives(t *testing.T) {
	c := framework()
	c.Objectives[0].Results[1].ID = "councils"
	c.Activities[0].ObjectiveID = "nowhere"
	c.Objectives[0].Results[0].Indicators[0].Measure = MeasureQualitative
	err := c.Check("application.")
	var invalid *fault.Invalid
	if !errors.As(err, &invalid) {
		t.Fatalf("want invalid, got %v", err)
	}
	var fields []string
	for _, v := range invalid.Violations {
		fields = append(fields, v.Field)
	}
	for _, want := range []string{"application.objectives[0].results[1].id", "application.planned_activities[0].objective_id", "application.objectives[0].results[0].indicators[0]"} {
		if !slices.Contains(fields, want) {
			t.Errorf("violations %v do not name %s", fields, want)
		}
	}
}
