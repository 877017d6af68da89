package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Report is what finance needs of a partnership's report (the partnership service owns reports): the money
// of a period follows its report, so a claim names the report it belongs to and is approved only after it.
type Report struct {
	ID            string
	ApplicationID string
	// Kind is "partial" (one accounting year) or "final" (the whole application).
	Kind string
	Year int
	// Status is the partnership service's word: "draft", "submitted", "returned" or "approved".
	Status string
}

// The report kinds and the status that lets money follow.
const (
	ReportPartial  = "partial"
	ReportFinal    = "final"
	ReportApproved = "approved"
)

// Reasons a claim's report refuses it.
const (
	ReasonReportNotNamed    = "REPORT_NOT_NAMED"
	ReasonReportNotApproved = "REPORT_NOT_APPROVED"
)

// describe names a report in a sentence: "the partial report of 2026 (id)".
func (r Report) describe() string {
	return fmt.Sprintf("the %s report of %d (%s)", r.Kind, r.Year, r.ID)
}

// CheckClaimReport checks that r is a report a claim may belong to: one of the application the claim's
// budget is for; the final report for a final claim and a partial report otherwise, of the year the claim's
// period lies in. It returns a *fault.Invalid on claim.report_id, or nil.
func CheckClaimReport(r Report, applicationID string, period Period, final bool) error {
	field := "claim.report_id"
	switch {
	case r.ApplicationID != applicationID:
		return fault.InvalidField(field, "is a report of another application; name a report of the application the budget is for")
	case final && r.Kind != ReportFinal:
		return fault.InvalidField(field, fmt.Sprintf("is %s; a final claim belongs to the application's final report", r.describe()))
	case !final && r.Kind == ReportFinal:
		return fault.InvalidField(field, "is the final report; a claim that belongs to it is the final claim (set final)")
	case !final && (period.From.Year != r.Year || period.To.Year != r.Year):
		return fault.InvalidField(field, fmt.Sprintf("is %s, but the claim's period runs %s to %s; a claim covers costs of its report's year", r.describe(), period.From, period.To))
	}
	return nil
}

// CheckReportNamed refuses to submit a claim that names no report: ICLD reimburses after the report.
func CheckReportNamed(reportID, claimID string) error {
	if reportID != "" {
		return nil
	}
	msg := "name the report this claim belongs to (PATCH the claim's report_id): ICLD reimburses a year's costs after its partial report, the last ones after the final report"
	return &fault.FailedPrecondition{Reason: ReasonReportNotNamed, Message: msg,
		Violations: []fault.PreconditionViolation{{Type: ReasonReportNotNamed, Subject: "claims/" + claimID, Description: msg}}}
}

// CheckReportApproved refuses to approve a claim before its report is approved, naming the report.
func CheckReportApproved(r Report) error {
	if r.Status == ReportApproved {
		return nil
	}
	msg := fmt.Sprintf("the claim belongs to %s, which is %s; ICLD approves the report before the money follows", r.describe(), r.Status)
	return &fault.FailedPrecondition{Reason: ReasonReportNotApproved, Message: msg,
		Violations: []fault.PreconditionViolation{{Type: ReasonReportNotApproved, Subject: "reports/" + r.ID, Description: msg}}}
}

// Document is what finance needs of a stored file: whose it is, what it is and the SHA-256 of its bytes.
type Document struct {
	ID            string
	PartnershipID string
	SHA256        string
	Size          int64
	// Kind is the document's kind as a word: "receipt", "decision", ...
	Kind string
	// Erased says it was erased with the person it was about: its bytes are gone.
	Erased bool
}

// CheckReceiptDocument checks that the document a receipt names holds the receipt: a receipt of the claim's
// partnership, still kept, with the SHA-256 the receipt gives. It returns a *fault.Invalid on field, or nil.
func CheckReceiptDocument(r Receipt, d Document, partnershipID, field string) error {
	switch {
	case d.PartnershipID != partnershipID:
		return fault.InvalidField(field+".document_id", "is not a document of the claim's partnership")
	case d.Kind != "receipt":
		return fault.InvalidField(field+".document_id", fmt.Sprintf("document %s is a %s, not a receipt; upload the receipt with kind DOCUMENT_KIND_RECEIPT", d.ID, strings.ReplaceAll(d.Kind, "_", " ")))
	case d.Erased:
		return fault.InvalidField(field+".document_id", fmt.Sprintf("document %s was erased; upload the receipt again", d.ID))
	case d.SHA256 != r.SHA256:
		return fault.InvalidField(field+".sha256", fmt.Sprintf("is not the SHA-256 of document %s (%s); give the document's", d.ID, d.SHA256))
	case r.Size != 0 && r.Size != d.Size:
		return fault.InvalidField(field+".size", fmt.Sprintf("document %s is %d bytes; give its size or leave it out", d.ID, d.Size))
	}
	return nil
}
