package console

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The new claim form, read and checked before anything is sent: the console refuses here whatever it can
// know the API would refuse (a day that is no date or lies outside the period or the budget line's year, an
// amount it cannot read, a line without its receipt, one receipt for two costs), so that no receipt is
// stored for a claim that could never be created. What only the API knows (a receipt already claimed, the
// report's rules) is its refusal after the upload, shown beside the same inputs.

// Rows of the form: a few empty ones to start with, more on asking, never more than a page can hold.
const (
	claimFormRows    = 3
	claimFormMaxRows = 20
	// claimDescriptionMax is the API's longest description of a cost.
	claimDescriptionMax = 2000
)

// claimRowInput is one cost as typed, with what is wrong with each of its inputs, keyed by input name
// ("date", "line", "description", "amount", "receipt").
type claimRowInput struct {
	Date, Line, Description, Amount string
	// Stored is a receipt already uploaded by an earlier sending of this form, kept so a corrected form
	// need not upload it again.
	Stored storedReceipt
	Errors map[string]*text
	// Number counts the rows from 1, as the page names them.
	Number int
}

// storedReceipt is a receipt file the API keeps: what a claim line names of it.
type storedReceipt struct {
	DocumentID string `json:"id"`
	FileName   string `json:"fileName"`
	Size       string `json:"size"`
	SHA256     string `json:"sha256"`
}

// Empty says nothing was typed or chosen on the row: it is left out, not refused.
func (r claimRowInput) Empty() bool {
	return r.Date == "" && r.Line == "" && r.Description == "" && r.Amount == "" && r.Stored.DocumentID == ""
}

// claimFormInput is the whole form as typed.
type claimFormInput struct {
	PeriodStart, PeriodEnd, ReportID string
	Rows                             []claimRowInput
	// Errors are the problems of the period and report inputs, by input name.
	Errors map[string]*text
}

// receiptFile is a file chosen for a row, with what the console learnt of it while checking it.
type receiptFile struct {
	header *multipart.FileHeader
	name   string
	sha256 string
}

// claimCost is one row that passed the checks, ready to send.
type claimCost struct {
	// Row is the form's row, so the API's refusal of line i is put beside the right inputs.
	Row      int
	Day      time.Time
	Line     budgetLine
	Ore      int64
	Receipt  *receiptFile
	Describe string
}

// rowCount is how many rows the form shows: what the person asked for, within bounds.
func rowCount(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return claimFormRows
	}
	return min(n, claimFormMaxRows)
}

// readClaimForm reads the posted form against budget b, in l. It answers the form as typed (every problem
// beside its input), the costs to send, and whether nothing is wrong. files are the rows' chosen receipts.
func readClaimForm(l lang, form url.Values, files map[int]*multipart.FileHeader, b budget) (claimFormInput, []claimCost, bool) {
	in := claimFormInput{PeriodStart: strings.TrimSpace(form.Get("periodStart")), PeriodEnd: strings.TrimSpace(form.Get("periodEnd")),
		ReportID: form.Get("reportId"), Errors: map[string]*text{}}
	problem := func(key string) *text { return &text{Text: translate(l, key), Lang: l} }
	start, startOK := parseISODay(in.PeriodStart)
	end, endOK := parseISODay(in.PeriodEnd)
	if !startOK {
		in.Errors["periodStart"] = problem("claimNew.badDay")
	}
	if !endOK {
		in.Errors["periodEnd"] = problem("claimNew.badDay")
	} else if startOK && end.Before(start) {
		in.Errors["periodEnd"] = problem("claimNew.endBeforeStart")
	}
	lines := map[string]budgetLine{}
	for _, line := range b.Lines {
		lines[line.ID] = line
	}
	var costs []claimCost
	receipts := map[string]int{}
	for i := range rowCount(form.Get("rows")) {
		n := strconv.Itoa(i)
		row := claimRowInput{Date: strings.TrimSpace(form.Get("date-" + n)), Line: form.Get("line-" + n),
			Description: strings.TrimSpace(form.Get("description-" + n)), Amount: strings.TrimSpace(form.Get("amount-" + n)),
			Stored: storedReceipt{DocumentID: form.Get("document-" + n), FileName: form.Get("documentName-" + n),
				Size: form.Get("documentSize-" + n), SHA256: form.Get("documentSha256-" + n)},
			Errors: map[string]*text{}}
		file := files[i]
		if row.Empty() && file == nil {
			in.Rows = append(in.Rows, row)
			continue
		}
		cost := claimCost{Row: i, Describe: row.Description}
		day, dayOK := parseISODay(row.Date)
		line, lineOK := lines[row.Line]
		switch {
		case !dayOK:
			row.Errors["date"] = problem("claimNew.badDay")
		case startOK && endOK && (day.Before(start) || day.After(end)):
			row.Errors["date"] = problem("claimNew.outsidePeriod")
		case lineOK && line.Year != 0 && day.Year() != line.Year:
			row.Errors["date"] = &text{Text: translate(l, "claimNew.otherYear") + " " + strconv.Itoa(line.Year) + ".", Lang: l}
		}
		if !lineOK {
			row.Errors["line"] = problem("claimNew.chooseLine")
		}
		if len([]rune(row.Description)) > claimDescriptionMax {
			row.Errors["description"] = problem("claimNew.longDescription")
		}
		ore, amountOK := parseKronor(row.Amount)
		if !amountOK || ore <= 0 {
			row.Errors["amount"] = problem("claimNew.badAmount")
		}
		switch {
		case file != nil:
			receipt, err := checkReceipt(file)
			if err != nil {
				row.Errors["receipt"] = problem("claimNew.badReceipt")
				break
			}
			if j, dup := receipts[receipt.sha256]; dup {
				row.Errors["receipt"] = &text{Text: translate(l, "claimNew.sameReceipt") + " " + strconv.Itoa(j+1) + ".", Lang: l}
				break
			}
			receipts[receipt.sha256] = i
			cost.Receipt = receipt
			row.Stored = storedReceipt{} // a new file replaces the one kept from before
		case row.Stored.DocumentID != "":
			if j, dup := receipts[row.Stored.SHA256]; dup {
				row.Errors["receipt"] = &text{Text: translate(l, "claimNew.sameReceipt") + " " + strconv.Itoa(j+1) + ".", Lang: l}
			}
			receipts[row.Stored.SHA256] = i
		default:
			row.Errors["receipt"] = problem("claimNew.noReceipt")
		}
		cost.Day, cost.Line, cost.Ore = day, line, ore
		costs = append(costs, cost)
		in.Rows = append(in.Rows, row)
	}
	ok := len(in.Errors) == 0
	for _, row := range in.Rows {
		ok = ok && len(row.Errors) == 0
	}
	if len(costs) == 0 {
		in.Errors["rows"] = problem("claimNew.noCosts")
		ok = false
	}
	return in, costs, ok
}

// parseISODay reads a day as a date input sends it: YYYY-MM-DD.
func parseISODay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// checkReceipt reads a chosen file once: it must hold something, and its SHA-256 finds one file chosen for
// two costs before anything is stored.
func checkReceipt(h *multipart.FileHeader) (*receiptFile, error) {
	if h.Size <= 0 {
		return nil, io.ErrUnexpectedEOF
	}
	f, err := h.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return nil, err
	}
	return &receiptFile{header: h, name: receiptName(h.Filename), sha256: hex.EncodeToString(sum.Sum(nil))}, nil
}

// receiptNameMax is the longest file name the document service keeps.
const receiptNameMax = 200

// receiptName is the chosen file's name as the document service accepts one: without folders, letters,
// digits, spaces and . _ - ( ) only (anything else becomes "_"), at most 200 characters. A person's
// "Kvitto #3.pdf" is stored as "Kvitto _3.pdf" rather than refused.
func receiptName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" ._()-", r) {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	out := []rune(strings.TrimSpace(b.String()))
	if len(out) > receiptNameMax {
		out = out[len(out)-receiptNameMax:] // keep the end, where the file's type is
	}
	if len(out) == 0 || string(out) == "." || string(out) == "/" {
		return "receipt"
	}
	return string(out)
}
