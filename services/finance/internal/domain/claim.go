package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// maxReceiptBytes bounds a receipt file: a phone photo or a scanned PDF, not a video.
const maxReceiptBytes = 25 << 20

// Receipt describes the file that proves a cost; the file itself is stored elsewhere, and the hash ties this
// line to exactly that file, so a receipt cannot be swapped afterwards unnoticed.
type Receipt struct {
	FileName string
	// Size is in bytes.
	Size int64
	// SHA256 is the file's SHA-256 in lower-case hex, 64 characters.
	SHA256 string
	// DocumentID is the stored file (the partnership service's document) that holds it.
	DocumentID string
}

// ClaimLine is one cost a municipality asks to have reimbursed.
type ClaimLine struct {
	// ID is stable, so that decisions can name the line.
	ID string
	// Date is the day the cost was paid.
	Date     Date
	Category Category
	// BudgetLineID names the approved budget line the cost is charged to; it must be a line of the same budget.
	BudgetLineID string
	Description  string
	// Cost is the amount as paid and its SEK value; for a cost paid in SEK the conversion is at rate 1.
	Cost    money.Conversion
	Receipt Receipt
}

// ValidateClaimLines checks a claim's lines against the approved budget lines they are charged to and the
// claim's reporting period: a date within the period and in the budget line's year (a cost falls in the
// year it was paid, so it cannot spend another year's money), a line of this budget (not of another), the
// same category as that budget line, an eligible category, a positive cost converted to SEK, and receipt
// metadata, each receipt on one line only. It returns a *fault.Invalid naming fields "lines[i].<field>", or
// nil.
// MaxClaimLineMinor is the largest cost one claim line may carry, in öre: 100 million kronor, over thirty times
// what a whole network partnership receives in all (about SEK 3 million, programme.md). A line may exceed its
// budget line, since an approval can take part of it, but never this.
const MaxClaimLineMinor = 100_000_000 * 100

func ValidateClaimLines(lines []ClaimLine, budget []Line, period Period) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	receipts := map[string]int{}
	byID := make(map[string]Line, len(budget))
	for _, b := range budget {
		byID[b.ID] = b
	}
	ids := map[string]int{}
	for i, l := range lines {
		at := fmt.Sprintf("lines[%d]", i)
		if j, dup := ids[l.ID]; dup {
			v.Add(at+".id", fmt.Sprintf("lines[%d] already has the id %q; give each line its own", j, l.ID))
		} else if l.ID == "" {
			v.Add(at+".id", "give the line an id")
		}
		ids[l.ID] = i
		b, ok := byID[l.BudgetLineID]
		switch {
		case l.Date.IsZero() || !l.Date.Valid():
			v.Add(at+".date", "give the day the cost was paid, as YYYY-MM-DD")
		case !period.Contains(l.Date):
			v.Add(at+".date", fmt.Sprintf("%s is outside the claim's period %s", l.Date, period))
		case ok && l.Date.Year != b.Year:
			v.Add(at+".date", fmt.Sprintf("the budget line %q is for %d; a cost paid in %d is claimed on a line of that year", b.ID, b.Year, l.Date.Year))
		}
		if j, dup := receipts[l.Receipt.SHA256]; dup && l.Receipt.SHA256 != "" {
			v.Add(at+".receipt.sha256", fmt.Sprintf("lines[%d] has the same receipt; a receipt proves one cost", j))
		}
		receipts[l.Receipt.SHA256] = i
		switch {
		case !ok:
			v.Add(at+".budget_line_id", fmt.Sprintf("%q is not a line of this claim's budget; charge the cost to one of its lines", l.BudgetLineID))
		case !l.Category.Valid():
			v.Add(at+".category", unknownCategory(l.Category))
		case !l.Category.Eligible():
			v.Add(at+".category", l.Category.Refusal())
		case l.Category != b.Category:
			v.Add(at+".category", fmt.Sprintf("the budget line %q is for %s, not %s", b.ID, b.Category.Label(), l.Category.Label()))
		}
		if err := l.Cost.Original.Check(money.Positive); err != nil {
			v.Add(at+".cost.original", err.Error())
		}
		switch {
		case l.Cost.SEK.Currency != money.SEK || !l.Cost.SEK.IsPositive():
			v.Add(at+".cost.sek", "the cost in SEK must be above 0; give a rate that does not round the cost to nothing")
		case l.Cost.SEK.Minor > MaxClaimLineMinor:
			// Refused at once, not left in a draft: no budget could reimburse it, and an amount near the int64
			// limit would only wait to overflow a later sum.
			v.Add(at+".cost.sek", fmt.Sprintf("the cost is %s; no budget of the programme could reimburse a line over %s", l.Cost.SEK, money.Amount{Currency: money.SEK, Minor: MaxClaimLineMinor}))
		}
		validateReceipt(v, l.Receipt, at+".receipt")
	}
	return v.Err()
}

func validateReceipt(v *fault.Invalid, r Receipt, at string) {
	if name := strings.TrimSpace(r.FileName); name == "" || strings.ContainsAny(name, `/\`) || len(name) > 255 {
		v.Add(at+".file_name", "give the receipt's file name, without folders, at most 255 characters")
	}
	if r.Size <= 0 || r.Size > maxReceiptBytes {
		v.Add(at+".size", fmt.Sprintf("a receipt file is 1 byte to %d MiB", maxReceiptBytes>>20))
	}
	if len(r.SHA256) != 64 || strings.Trim(r.SHA256, "0123456789abcdef") != "" {
		v.Add(at+".sha256", "give the SHA-256 of the file as 64 lower-case hexadecimal characters")
	}
	if r.DocumentID == "" {
		v.Add(at+".document_id", "name the stored receipt: upload the file first (POST /v1/documents with kind DOCUMENT_KIND_RECEIPT) and give its id")
	}
}

// LineDecision is a coordinator's decision on one claim line: how much of it, in SEK, is approved and why
// any part is not.
type LineDecision struct {
	LineID string
	// Approved is 0 SEK up to the line's SEK cost.
	Approved money.Amount
	// Reason is required whenever less than the whole line is approved, so the municipality learns why.
	Reason string
}

// decideLines checks one decision per claim line and returns the claim's resulting status and approved total:
// approved when every line is approved in full, partly_approved when something but not everything is, and
// rejected when nothing is. It returns a *fault.Invalid naming fields "decisions[i].<field>" for a missing,
// unknown or repeated line, an amount outside 0..cost, or a missing reason. DecideClaim applies it first.
func decideLines(lines []ClaimLine, decisions []LineDecision) (Status, money.Amount, error) {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	cost := make(map[string]money.Amount, len(lines))
	for _, l := range lines {
		cost[l.ID] = l.Cost.SEK
	}
	seen := map[string]bool{}
	total := money.Zero(money.SEK)
	full := true
	for i, d := range decisions {
		at := fmt.Sprintf("decisions[%d]", i)
		c, ok := cost[d.LineID]
		switch {
		case !ok:
			v.Add(at+".line_id", fmt.Sprintf("%q is not a line of this claim", d.LineID))
			continue
		case seen[d.LineID]:
			v.Add(at+".line_id", fmt.Sprintf("the line %q is decided twice", d.LineID))
			continue
		}
		seen[d.LineID] = true
		if d.Approved.Currency != money.SEK || d.Approved.IsNegative() || d.Approved.Minor > c.Minor {
			v.Add(at+".approved", fmt.Sprintf("approve from 0 SEK up to the line's cost of %s", c))
			continue
		}
		if d.Approved.Minor < c.Minor {
			full = false
			if strings.TrimSpace(d.Reason) == "" {
				v.Add(at+".reason", "say why the line is not approved in full")
			}
		}
		var err error
		if total, err = total.Add(d.Approved); err != nil {
			return "", money.Amount{}, money.Invalid(err, at+".approved")
		}
	}
	for _, l := range lines {
		if !seen[l.ID] {
			v.Add("decisions", fmt.Sprintf("decide the line %q too", l.ID))
		}
	}
	if err := v.Err(); err != nil {
		return "", money.Amount{}, err
	}
	switch {
	case full:
		return StatusApproved, total, nil
	case total.IsZero():
		return StatusRejected, total, nil
	}
	return StatusPartlyApproved, total, nil
}

// CheckFourEyes refuses an approval by the one who created or submitted what is approved: every krona is
// seen by two people. Budget approval calls it directly; a claim's decision through DecideClaim.
func CheckFourEyes(approver, creator, submitter string) error {
	if approver != "" && (approver == creator || approver == submitter) {
		msg := "you wrote or submitted this, so another coordinator must approve it"
		return &fault.FailedPrecondition{Reason: ReasonSelfApproval, Message: msg,
			Violations: []fault.PreconditionViolation{{Type: ReasonSelfApproval, Subject: approver, Description: msg}}}
	}
	return nil
}
