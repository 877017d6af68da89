package console

import (
	"encoding/json"
	"slices"
	"strconv"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

// partnerReport is what the console reads of the API's Report: what a partnership reports of an
// application's year (partial) or of the whole application (final), against the results it promised.
// (Named so, beside the reporting service's portfolio reports, which are another thing.)
type partnerReport struct {
	ID                   string            `json:"id"`
	PartnershipID        string            `json:"partnershipId"`
	ApplicationID        string            `json:"applicationId"`
	Kind                 string            `json:"kind"`
	Year                 int               `json:"year"`
	State                string            `json:"state"`
	Objectives           []objectiveReport `json:"objectives"`
	Indicators           []indicatorReport `json:"indicators"`
	Activities           []activityReport  `json:"activities"`
	Deviations           string            `json:"deviations"`
	Lessons              string            `json:"lessons"`
	Visits               []json.RawMessage `json:"visits"`
	DueDate              json.RawMessage   `json:"dueDate"`
	ReturnReasons        []sectionReason   `json:"returnReasons"`
	Etag                 string            `json:"etag"`
	CreateTime           string            `json:"createTime"`
	UpdateTime           string            `json:"updateTime"`
	Creator              string            `json:"creator"`
	Updater              string            `json:"updater"`
	Submitter            string            `json:"submitter"`
	SubmitTime           string            `json:"submitTime"`
	Approver             string            `json:"approver"`
	ApproveTime          string            `json:"approveTime"`
	FinancialUnavailable bool              `json:"financialUnavailable"`
}

// objectiveReport is what was done for one objective of the application.
type objectiveReport struct {
	ObjectiveID string `json:"objectiveId"`
	Narrative   string `json:"narrative"`
}

// indicatorReport is the value an indicator reached in the period, with what shows it.
type indicatorReport struct {
	IndicatorID string          `json:"indicatorId"`
	Value       *indicatorValue `json:"value"`
	Evidence    string          `json:"evidence"`
}

// activityReport says whether a planned activity was done.
type activityReport struct {
	ActivityID string `json:"activityId"`
	Done       bool   `json:"done"`
	Comment    string `json:"comment"`
}

// sectionReason is why ICLD returned one section of a report.
type sectionReason struct {
	Section string `json:"section"`
	Reason  string `json:"reason"`
}

// YearText shows the year reported, or "–" when the API gave none.
func (r partnerReport) YearText() string {
	if r.Year == 0 {
		return "–"
	}
	return strconv.Itoa(r.Year)
}

// Named reports whether the section is one of the whole sections the page has words for ("lessons"),
// rather than one item of them ("objectives/youth-voice"), which is shown as ICLD wrote it.
func (s sectionReason) Named() bool { return slices.Contains(reportSections, s.Section) }

// Due shows the day the report is due.
func (r partnerReport) Due() string { return formatDay(r.DueDate) }

// Objective is what the report says of the objective id ("" when nothing yet).
func (r partnerReport) Objective(id string) string {
	for _, o := range r.Objectives {
		if o.ObjectiveID == id {
			return o.Narrative
		}
	}
	return ""
}

// Indicator is the value the report gives the indicator id, if any.
func (r partnerReport) Indicator(id string) *indicatorReport {
	for i := range r.Indicators {
		if r.Indicators[i].IndicatorID == id {
			return &r.Indicators[i]
		}
	}
	return nil
}

// Activity is what the report says of the planned activity id, if anything.
func (r partnerReport) Activity(id string) *activityReport {
	for i := range r.Activities {
		if r.Activities[i].ActivityID == id {
			return &r.Activities[i]
		}
	}
	return nil
}

var (
	partnerReportStates = enumNames(partnershipv1.ReportState_name)
	partnerReportKinds  = enumNames(partnershipv1.ReportKind_name)
)

// reportSections are the sections ICLD may return a report for (SectionReason in report.proto).
var reportSections = []string{"objectives", "indicators", "activities", "deviations", "lessons"}

// reportSteps says which steps lead out of each state of a report, and reportStepRoles who may take them
// (cooperation_service.proto): the partnership submits, ICLD approves or returns.
var (
	reportSteps = map[string][]string{
		"REPORT_STATE_DRAFT":     {"submit"},
		"REPORT_STATE_RETURNED":  {"submit"},
		"REPORT_STATE_SUBMITTED": {"approve", "return"},
	}
	reportStepRoles = map[string][]string{
		"submit":  {"admin", "coordinator", "member"},
		"approve": {"admin", "coordinator"},
		"return":  {"admin", "coordinator"},
	}
)

// mayTakeReportStep reports whether role may take step from state.
func mayTakeReportStep(role, state, step string) bool {
	return slices.Contains(reportSteps[state], step) && slices.Contains(reportStepRoles[step], role)
}

// reportableApplication reports whether a report may be started on an application in state: approved, running or
// closed (CreateReport's rule), so the form offers only those.
func reportableApplication(state string) bool {
	return slices.Contains([]string{"APPLICATION_STATE_APPROVED", "APPLICATION_STATE_RUNNING", "APPLICATION_STATE_CLOSED"}, state)
}
