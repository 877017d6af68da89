package console

import (
	"encoding/json"
	"slices"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

// application is what the console reads of the API's Application (lowerCamelCase JSON): one phase a
// partnership applies for, with the results framework it promises.
type application struct {
	ID                 string            `json:"id"`
	PartnershipID      string            `json:"partnershipId"`
	Kind               string            `json:"kind"`
	State              string            `json:"state"`
	StartDate          json.RawMessage   `json:"startDate"`
	EndDate            json.RawMessage   `json:"endDate"`
	WaiverReason       string            `json:"waiverReason"`
	Etag               string            `json:"etag"`
	CreateTime         string            `json:"createTime"`
	UpdateTime         string            `json:"updateTime"`
	Creator            string            `json:"creator"`
	Updater            string            `json:"updater"`
	Purpose            string            `json:"purpose"`
	Problem            string            `json:"problem"`
	Objectives         []objective       `json:"objectives"`
	PlannedActivities  []plannedActivity `json:"plannedActivities"`
	Risks              []risk            `json:"risks"`
	GenderAndInclusion string            `json:"genderAndInclusion"`
	AntiCorruption     string            `json:"antiCorruption"`
	Revision           int               `json:"revision"`
	ReturnReason       string            `json:"returnReason"`
}

// objective is one thing an application sets out to achieve, with the results expected of it.
type objective struct {
	ID        string           `json:"id"`
	Statement string           `json:"statement"`
	Results   []expectedResult `json:"results"`
}

// expectedResult is a result an objective expects (an output or an outcome), measured by its indicators.
type expectedResult struct {
	ID         string      `json:"id"`
	Level      string      `json:"level"`
	Statement  string      `json:"statement"`
	Indicators []indicator `json:"indicators"`
}

// indicator measures a result from a baseline to a target.
type indicator struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Measure     string          `json:"measure"`
	Unit        string          `json:"unit"`
	Baseline    *indicatorValue `json:"baseline"`
	Target      *indicatorValue `json:"target"`
	Measurement string          `json:"measurement"`
}

// indicatorValue is an indicator's value on a day: a decimal number as text (never a float here) and a
// comment, all a qualitative indicator has.
type indicatorValue struct {
	Value   string          `json:"value"`
	Date    json.RawMessage `json:"date"`
	Comment string          `json:"comment"`
}

// Day shows the day the value holds for.
func (v *indicatorValue) Day() string {
	if v == nil {
		return ""
	}
	return formatDay(v.Date)
}

// plannedActivity is a piece of work planned for a year.
type plannedActivity struct {
	ID          string `json:"id"`
	Year        int    `json:"year"`
	ObjectiveID string `json:"objectiveId"`
	Description string `json:"description"`
}

// risk is something that could keep the work from its results, and what the parties do about it.
type risk struct {
	Description string `json:"description"`
	Mitigation  string `json:"mitigation"`
}

// Period shows the application's first and last day.
func (a application) Period() string { return formatDay(a.StartDate) + " – " + formatDay(a.EndDate) }

// Indicators lists every indicator of the application, with the result it measures, in the
// framework's order: what a report gives values for.
func (a application) Indicators() []measuredIndicator {
	var out []measuredIndicator
	for _, o := range a.Objectives {
		for _, r := range o.Results {
			for _, ind := range r.Indicators {
				out = append(out, measuredIndicator{Indicator: ind, Result: r.Statement})
			}
		}
	}
	return out
}

// measuredIndicator is an indicator with the statement of the result it measures.
type measuredIndicator struct {
	Indicator indicator
	Result    string
}

// The application's enums, from the generated code so a value added to the proto asks for its words in the
// catalogue test.
var (
	applicationStates = enumNames(partnershipv1.ApplicationState_name)
	applicationPhases = enumNames(partnershipv1.ApplicationKind_name)
	resultLevels      = enumNames(partnershipv1.ResultLevel_name)
	indicatorMeasures = enumNames(partnershipv1.IndicatorMeasure_name)
)

// applicationLifecycle is the path of an application that goes the whole way, as its page shows it; an
// application is returned (and submitted again) or rejected from submitted.
var applicationLifecycle = []string{"APPLICATION_STATE_DRAFT", "APPLICATION_STATE_SUBMITTED",
	"APPLICATION_STATE_APPROVED", "APPLICATION_STATE_RUNNING", "APPLICATION_STATE_CLOSED"}

// applicationSteps says which steps lead out of each state, as the partnership service's lifecycle has
// them (services/partnership/internal/programme/status.go). The page offers only these; the API decides.
var applicationSteps = map[string][]string{
	"APPLICATION_STATE_DRAFT":     {"submit"},
	"APPLICATION_STATE_RETURNED":  {"submit"},
	"APPLICATION_STATE_SUBMITTED": {"approve", "return", "reject"},
	"APPLICATION_STATE_APPROVED":  {"start"},
	"APPLICATION_STATE_RUNNING":   {"close"},
}

// stepRoles are the roles the API lets take each step (cooperation_service.proto). The applicant submits;
// ICLD decides, starts and closes.
var stepRoles = map[string][]string{
	"submit":  {"admin", "coordinator", "member"},
	"approve": {"admin", "coordinator"},
	"return":  {"admin", "coordinator"},
	"reject":  {"admin", "coordinator"},
	"start":   {"admin", "coordinator"},
	"close":   {"admin", "coordinator"},
}

// mayTake reports whether role may take step from state, so the page offers only the buttons that can work.
func mayTake(role, state, step string) bool {
	return slices.Contains(applicationSteps[state], step) && slices.Contains(stepRoles[step], role)
}

// mayApply reports whether role may start a new application (the API decides whose partnership).
func mayApply(role string) bool {
	return slices.Contains([]string{"admin", "coordinator", "member"}, role)
}
