package programme

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
	machine "github.com/partnerskap/partnerskap/platform/lifecycle"
)

// ReportKind is which report the Swedish party writes of an application.
type ReportKind string

// The kinds of report: the money of a year follows its partial report, the final claim the final report.
const (
	ReportPartial ReportKind = "partial"
	ReportFinal   ReportKind = "final"
)

// ReportStatus is where a report stands.
type ReportStatus string

// The statuses of a report.
const (
	ReportDraft     ReportStatus = "draft"
	ReportSubmitted ReportStatus = "submitted"
	ReportApproved  ReportStatus = "approved"
	ReportReturned  ReportStatus = "returned"
)

// ReportStep moves a report from one status to the next.
type ReportStep string

// The steps of a report's life.
const (
	ReportSubmit  ReportStep = "submit"
	ReportApprove ReportStep = "approve"
	ReportReturn  ReportStep = "return"
)

var reportLifecycle = machine.Machine[ReportStatus, ReportStep]{
	Subject: "report",
	Noun:    "a report",
	Edges: map[ReportStatus][]machine.Edge[ReportStatus, ReportStep]{
		ReportDraft:     {{Step: ReportSubmit, To: ReportSubmitted}},
		ReportSubmitted: {{Step: ReportApprove, To: ReportApproved}, {Step: ReportReturn, To: ReportReturned}},
		ReportReturned:  {{Step: ReportSubmit, To: ReportSubmitted}},
		ReportApproved:  nil,
	},
	Steps: []ReportStep{ReportSubmit, ReportApprove, ReportReturn},
}

// ReportStatuses returns every status in lifecycle order.
func ReportStatuses() []ReportStatus {
	return []ReportStatus{ReportDraft, ReportSubmitted, ReportApproved, ReportReturned}
}

// ApplyReportStep returns the status step s leads to from status from, or a *fault.FailedPrecondition
// naming the steps allowed instead.
func ApplyReportStep(from ReportStatus, s ReportStep) (ReportStatus, error) {
	return reportLifecycle.Apply(from, s)
}

// Editable reports whether a report in status s may still be changed: while it is a draft or returned.
func (s ReportStatus) Editable() bool { return s == ReportDraft || s == ReportReturned }

// Report is what a partnership reports of an application's year (partial) or of the whole application
// (final), against the results framework the application promised.
type Report struct {
	ID            string
	ApplicationID string
	Kind          ReportKind
	Year          int
	Status        ReportStatus
	ReportBody
	// ReturnReasons are ICLD's reasons per section, while the report is returned.
	ReturnReasons []SectionReason
}

// ReportBody is what the partnership writes in a report.
type ReportBody struct {
	Objectives []ObjectiveNarrative `json:"objectives,omitempty"`
	Indicators []IndicatorValue     `json:"indicators,omitempty"`
	Activities []ActivityDone       `json:"activities,omitempty"`
	Deviations string               `json:"deviations,omitempty"`
	Lessons    string               `json:"lessons,omitempty"`
}

// ObjectiveNarrative is what was done for an objective.
type ObjectiveNarrative struct {
	ObjectiveID string `json:"objective_id"`
	Narrative   string `json:"narrative"`
}

// IndicatorValue is the value an indicator reached, with what shows it.
type IndicatorValue struct {
	IndicatorID string `json:"indicator_id"`
	Value       Value  `json:"value"`
	Evidence    string `json:"evidence,omitempty"`
}

// ActivityDone says whether a planned activity was done.
type ActivityDone struct {
	ActivityID string `json:"activity_id"`
	Done       bool   `json:"done"`
	Comment    string `json:"comment,omitempty"`
}

// SectionReason is why ICLD returned one section of a report.
type SectionReason struct {
	Section string `json:"section"`
	Reason  string `json:"reason"`
}

// ReportPeriod is the period a report covers: its year for a partial report (within the application's own
// dates), the application's whole length for a final one.
func ReportPeriod(kind ReportKind, year int, app Application) Period {
	if kind == ReportFinal {
		return Period{From: app.Start, To: app.End}
	}
	from, to := Date{Year: year, Month: 1, Day: 1}, Date{Year: year, Month: 12, Day: 31}
	if app.Start.After(from) {
		from = app.Start
	}
	if app.End.Before(to) {
		to = app.End
	}
	return Period{From: from, To: to}
}

// ReportDue is when a report is due under rule: a partial report the given months after its year ends, a
// final one the given months after the application's last day (both on the last day of that month's span).
func ReportDue(rule ReportRule, kind ReportKind, year int, app Application) Date {
	if kind == ReportFinal {
		return app.End.AddMonths(rule.FinalMonthsAfterEnd)
	}
	return Date{Year: year + 1, Month: 1, Day: 1}.AddMonths(rule.PartialMonthsAfterYear).AddDays(-1)
}

// CheckNewReport checks a report about to be started on app: the application must have been approved (a
// report is of work ICLD funds), a partial report's year must be one of the application's years, and a
// final report's year is the application's last. It returns the year to store.
func CheckNewReport(kind ReportKind, year int, app Application) (int, error) {
	switch app.Status {
	case StatusApproved, StatusRunning, StatusClosed:
	default:
		return 0, &fault.FailedPrecondition{Reason: "APPLICATION_NOT_APPROVED",
			Message:    fmt.Sprintf("a report is of an approved application; this one is %s", app.Status),
			Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: "applications/" + app.ID, Description: "reports follow approval"}}}
	}
	if kind == ReportFinal {
		if year != 0 && year != app.End.Year {
			return 0, fault.InvalidField("report.year", fmt.Sprintf("a final report is of the application's last year, %d; leave it out or give that", app.End.Year))
		}
		return app.End.Year, nil
	}
	if year < app.Start.Year || year > app.End.Year {
		return 0, fault.InvalidField("report.year", fmt.Sprintf("give a year of the application, %d to %d", app.Start.Year, app.End.Year))
	}
	return year, nil
}

// Check checks a report's body against the application's content: every objective, indicator and activity
// it names is one of the application's, each named once, and each value fits its indicator's measure. It
// returns a *fault.Invalid naming each field (under prefix), or nil.
func (b ReportBody) Check(c Content, prefix string) error {
	bad := &fault.Invalid{Reason: "INVALID_ARGUMENT"}
	objectives, indicators, activities := map[string]bool{}, map[string]Indicator{}, map[string]bool{}
	for _, o := range c.Objectives {
		objectives[o.ID] = true
	}
	for _, ind := range c.Indicators() {
		indicators[ind.ID] = ind.Indicator
	}
	for _, a := range c.Activities {
		activities[a.ID] = true
	}
	once := func(seen map[string]bool, field, id, what string, known bool) {
		switch {
		case !known:
			bad.Add(field, fmt.Sprintf("%q is not one of the application's %s", id, what))
		case seen[id]:
			bad.Add(field, fmt.Sprintf("%q is reported twice; report each once", id))
		}
		seen[id] = true
	}
	seen := map[string]bool{}
	for i, o := range b.Objectives {
		once(seen, fmt.Sprintf("%sobjectives[%d].objective_id", prefix, i), o.ObjectiveID, "objectives", objectives[o.ObjectiveID])
	}
	seen = map[string]bool{}
	for i, v := range b.Indicators {
		ind, known := indicators[v.IndicatorID]
		field := fmt.Sprintf("%sindicators[%d]", prefix, i)
		once(seen, field+".indicator_id", v.IndicatorID, "indicators", known)
		switch {
		case !known:
		case ind.Measure.Quantitative() && v.Value.Number == "":
			bad.Add(field+".value.value", fmt.Sprintf("indicator %q counts %s; give the number reached", ind.ID, orWords(ind.Unit)))
		case !ind.Measure.Quantitative() && v.Value.Number != "":
			bad.Add(field+".value.value", fmt.Sprintf("indicator %q is qualitative; describe the value in value.comment", ind.ID))
		}
	}
	seen = map[string]bool{}
	for i, a := range b.Activities {
		once(seen, fmt.Sprintf("%sactivities[%d].activity_id", prefix, i), a.ActivityID, "planned activities", activities[a.ActivityID])
	}
	return bad.Err()
}

func orWords(unit string) string {
	if unit == "" {
		return "something"
	}
	return unit
}

// Missing lists what a report must still say before it is submitted: what was done for each objective of
// the application and the value each of its indicators reached.
func (b ReportBody) Missing(c Content) []string {
	var gaps []string
	narrated, valued := map[string]bool{}, map[string]bool{}
	for _, o := range b.Objectives {
		narrated[o.ObjectiveID] = strings.TrimSpace(o.Narrative) != ""
	}
	for _, v := range b.Indicators {
		valued[v.IndicatorID] = v.Value.Number != "" || strings.TrimSpace(v.Value.Comment) != ""
	}
	for _, o := range c.Objectives {
		if !narrated[o.ID] {
			gaps = append(gaps, fmt.Sprintf("what was done for objective %q", o.ID))
		}
	}
	for _, ind := range c.Indicators() {
		if !valued[ind.ID] {
			gaps = append(gaps, fmt.Sprintf("the value indicator %q reached", ind.ID))
		}
	}
	return gaps
}

// CheckComplete refuses to submit a report with gaps: a *fault.FailedPrecondition REPORT_INCOMPLETE, one
// violation per gap.
func (b ReportBody) CheckComplete(c Content, reportID string) error {
	return incomplete("REPORT_INCOMPLETE", "reports/"+reportID, "the report", b.Missing(c))
}

// ReasonSelfApproval refuses an approval by the person who wrote or submitted what is approved.
const ReasonSelfApproval = "SELF_APPROVAL"

// CheckFourEyes refuses an approver who created or submitted the report: another person at ICLD approves it.
func CheckFourEyes(approver, creator, submitter string) error {
	if approver != "" && (approver == creator || approver == submitter) {
		msg := "you wrote or submitted this report, so another coordinator must approve it"
		return &fault.FailedPrecondition{Reason: ReasonSelfApproval, Message: msg,
			Violations: []fault.PreconditionViolation{{Type: ReasonSelfApproval, Subject: approver, Description: msg}}}
	}
	return nil
}
