package programme

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Content is what an application promises: why, what it sets out to achieve and how that is measured (the
// results framework a partnership reports against each year), what it plans to do, what could go wrong, and
// the considerations the programme asks of every application.
type Content struct {
	Purpose         string            `json:"purpose,omitempty"`
	Problem         string            `json:"problem,omitempty"`
	Objectives      []Objective       `json:"objectives,omitempty"`
	Activities      []PlannedActivity `json:"activities,omitempty"`
	Risks           []Risk            `json:"risks,omitempty"`
	GenderInclusion string            `json:"gender_inclusion,omitempty"`
	AntiCorruption  string            `json:"anti_corruption,omitempty"`
}

// Objective is one thing an application sets out to achieve, with the results expected of it.
type Objective struct {
	ID        string   `json:"id"`
	Statement string   `json:"statement"`
	Results   []Result `json:"results,omitempty"`
}

// ResultLevel places a result between the work and the change it serves.
type ResultLevel string

// The levels of a result.
const (
	LevelOutput  ResultLevel = "output"
	LevelOutcome ResultLevel = "outcome"
)

// Result is a result an objective expects, measured by its indicators.
type Result struct {
	ID         string      `json:"id"`
	Level      ResultLevel `json:"level"`
	Statement  string      `json:"statement"`
	Indicators []Indicator `json:"indicators,omitempty"`
}

// Measure is how an indicator's values are read (IATI's IndicatorMeasure codelist).
type Measure string

// The measures of IATI's codelist, by their words.
const (
	MeasureUnit        Measure = "unit"
	MeasurePercentage  Measure = "percentage"
	MeasureNominal     Measure = "nominal"
	MeasureOrdinal     Measure = "ordinal"
	MeasureQualitative Measure = "qualitative"
)

// Quantitative reports whether values of m are numbers (every measure but qualitative).
func (m Measure) Quantitative() bool { return m != MeasureQualitative }

// Value is an indicator's value on a day: a decimal number as written (empty for a qualitative indicator)
// and a comment.
type Value struct {
	Number  string `json:"number,omitempty"`
	On      Date   `json:"on,omitzero"`
	Comment string `json:"comment,omitempty"`
}

// Indicator measures a result from a baseline to a target.
type Indicator struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Measure     Measure `json:"measure"`
	Unit        string  `json:"unit,omitempty"`
	Baseline    Value   `json:"baseline,omitzero"`
	Target      Value   `json:"target,omitzero"`
	Measurement string  `json:"measurement,omitempty"`
}

// PlannedActivity is a piece of work planned for a year, serving one objective or all.
type PlannedActivity struct {
	ID          string `json:"id"`
	Year        int    `json:"year"`
	ObjectiveID string `json:"objective_id,omitempty"`
	Description string `json:"description"`
}

// Risk is something that could keep the work from its results, and what the parties do about it.
type Risk struct {
	Description string `json:"description"`
	Mitigation  string `json:"mitigation,omitempty"`
}

// Limits of a results framework as a whole: what one application reports on each year, and what one event
// and one IATI activity carry of it.
const (
	MaxResults    = 30
	MaxIndicators = 60
)

// Check checks what must hold of content at any time, draft or not: every id given and unique among the
// application's objectives, results, indicators and activities (reports refer to them), an activity's
// objective one of the objectives, and at most MaxResults results and MaxIndicators indicators in all. It
// returns a *fault.Invalid naming each field (under prefix), or nil.
func (c Content) Check(prefix string) error {
	bad := &fault.Invalid{Reason: "INVALID_ARGUMENT"}
	results := 0
	for _, o := range c.Objectives {
		results += len(o.Results)
	}
	if results > MaxResults {
		bad.Add(prefix+"objectives", fmt.Sprintf("the objectives have %d expected results in all; an application has at most %d", results, MaxResults))
	}
	if n := len(c.Indicators()); n > MaxIndicators {
		bad.Add(prefix+"objectives", fmt.Sprintf("the results have %d indicators in all; an application has at most %d", n, MaxIndicators))
	}
	seen := map[string]string{}
	id := func(field, id string) {
		switch {
		case id == "":
			bad.Add(field, "is empty; give it a short id (lower-case letters, digits and hyphens) that reports can refer to")
		case seen[id] != "":
			bad.Add(field, fmt.Sprintf("%q is already the id of %s; ids are unique within an application", id, seen[id]))
		default:
			seen[id] = field
		}
	}
	objectives := map[string]bool{}
	for i, o := range c.Objectives {
		at := fmt.Sprintf("%sobjectives[%d]", prefix, i)
		id(at+".id", o.ID)
		objectives[o.ID] = true
		for j, r := range o.Results {
			rat := fmt.Sprintf("%s.results[%d]", at, j)
			id(rat+".id", r.ID)
			for k, ind := range r.Indicators {
				iat := fmt.Sprintf("%s.indicators[%d]", rat, k)
				id(iat+".id", ind.ID)
				if !ind.Measure.Quantitative() && (ind.Baseline.Number != "" || ind.Target.Number != "") {
					bad.Add(iat, "a qualitative indicator has no numbers; write its baseline and target in their comments")
				}
			}
		}
	}
	for i, a := range c.Activities {
		at := fmt.Sprintf("%splanned_activities[%d]", prefix, i)
		id(at+".id", a.ID)
		if a.ObjectiveID != "" && !objectives[a.ObjectiveID] {
			bad.Add(at+".objective_id", fmt.Sprintf("%q is not one of this application's objectives", a.ObjectiveID))
		}
	}
	return bad.Err()
}

// Missing lists what an application of kind k must still say before it is submitted, one sentence per gap.
// A project, which the partnership reports against each year, needs its purpose, the problem, a whole results
// framework (each objective with a result, each result with an indicator, each indicator with a baseline and
// a target, numbers and dates for one that counts), planned activities, risks with their mitigation, and the
// gender, inclusion and anti-corruption considerations. The other kinds may say as much, and need none of it:
// an inception prepares the project that will.
func (c Content) Missing(k ApplicationKind) []string {
	if k != KindProject {
		return nil
	}
	var gaps []string
	need := func(ok bool, what string) {
		if !ok {
			gaps = append(gaps, what)
		}
	}
	need(strings.TrimSpace(c.Purpose) != "", "the purpose (purpose)")
	need(strings.TrimSpace(c.Problem) != "", "the problem the parties address (problem)")
	need(len(c.Objectives) > 0, "at least one objective (objectives)")
	for _, o := range c.Objectives {
		need(len(o.Results) > 0, fmt.Sprintf("an expected result of objective %q", o.ID))
		for _, r := range o.Results {
			need(len(r.Indicators) > 0, fmt.Sprintf("an indicator of result %q", r.ID))
			for _, ind := range r.Indicators {
				for _, v := range []struct {
					name  string
					value Value
				}{{"baseline", ind.Baseline}, {"target", ind.Target}} {
					if ind.Measure.Quantitative() {
						need(v.value.Number != "" && !v.value.On.IsZero(), fmt.Sprintf("a %s value and date of indicator %q", v.name, ind.ID))
					} else {
						need(strings.TrimSpace(v.value.Comment) != "", fmt.Sprintf("a %s, in words, of indicator %q", v.name, ind.ID))
					}
				}
			}
		}
	}
	need(len(c.Activities) > 0, "the activities planned (planned_activities)")
	need(len(c.Risks) > 0, "the risks and their mitigation (risks)")
	for i, r := range c.Risks {
		need(strings.TrimSpace(r.Mitigation) != "", fmt.Sprintf("the mitigation of risk %d", i+1))
	}
	need(strings.TrimSpace(c.GenderInclusion) != "", "the gender and inclusion considerations (gender_and_inclusion)")
	need(strings.TrimSpace(c.AntiCorruption) != "", "the anti-corruption considerations (anti_corruption)")
	return gaps
}

// CheckComplete refuses the submission of an application of kind k whose content still has gaps: a
// *fault.FailedPrecondition APPLICATION_INCOMPLETE with one violation per gap, subject the application.
func (c Content) CheckComplete(k ApplicationKind, applicationID string) error {
	return incomplete("APPLICATION_INCOMPLETE", "applications/"+applicationID, k.anApplication(), c.Missing(k))
}

// incomplete refuses to submit what still has gaps: nil without gaps, else a *fault.FailedPrecondition with
// reason, one CONTENT violation per gap on subject, and a message naming what (an application, the report)
// and every gap.
func incomplete(reason, subject, what string, gaps []string) error {
	if len(gaps) == 0 {
		return nil
	}
	vs := make([]fault.PreconditionViolation, len(gaps))
	for i, g := range gaps {
		vs[i] = fault.PreconditionViolation{Type: "CONTENT", Subject: subject, Description: "missing: " + g}
	}
	return &fault.FailedPrecondition{Reason: reason,
		Message: fmt.Sprintf("%s needs more before it is submitted; missing: %s", what, strings.Join(gaps, "; ")), Violations: vs}
}

// Indicators returns every indicator of the results framework, in order, with the result it measures.
func (c Content) Indicators() []IndicatorOf {
	var out []IndicatorOf
	for _, o := range c.Objectives {
		for _, r := range o.Results {
			for _, ind := range r.Indicators {
				out = append(out, IndicatorOf{Indicator: ind, ObjectiveID: o.ID, Result: r})
			}
		}
	}
	return out
}

// IndicatorOf is an indicator with where it sits in the framework.
type IndicatorOf struct {
	Indicator
	ObjectiveID string
	Result      Result
}
