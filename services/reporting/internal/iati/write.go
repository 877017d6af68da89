package iati

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// ErrNoActivities is what Write returns, having written nothing, when next yields no activity: the schema
// requires at least one iati-activity, so an empty document would not be valid IATI.
var ErrNoActivities = errors.New("iati: no activity to write: an iati-activities document needs at least one")

// xmlNamespace is the namespace of xml:lang; encoding/xml writes it with the reserved prefix "xml" and
// declares nothing.
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// Write streams one iati-activities document to w: the header, then each activity next returns until ok is
// false. It holds one activity at a time and flushes w after each, so memory stays flat and a slow source
// still delivers a steady stream.
//
// Before writing anything Write checks h (CheckHeader) and asks for the first activity; with none it returns
// ErrNoActivities and w stays empty. Each activity is checked (Check, plus the identifier prefix and actual
// dates against h) before any of it is written; the first refusal ends the document early with a *Problems
// error, as does an error from next or from w. The output is then truncated: see the package documentation.
func Write(w io.Writer, h Header, next func() (a Activity, ok bool, err error)) error {
	if err := CheckHeader(h); err != nil {
		return err
	}
	a, ok, err := next()
	if err != nil {
		return fmt.Errorf("iati: read activity 1: %w", err)
	}
	if !ok {
		return ErrNoActivities
	}
	// The declaration goes straight to w: written as a token, encoding/xml would put the root element on its line.
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("iati: write the XML declaration: %w", err)
	}
	e := newEncoder(w, h)
	e.open("iati-activities", attr("version", Version), attr("generated-datetime", timestamp(h.GeneratedAt)))
	for n := 1; ok; n++ {
		if err := checkOne(h, a); err != nil {
			return err
		}
		e.activity(a)
		if e.err == nil {
			e.err = e.x.Flush()
		}
		if e.err != nil {
			return fmt.Errorf("iati: write activity %q: %w", a.Identifier, e.err)
		}
		if a, ok, err = next(); err != nil {
			return fmt.Errorf("iati: read activity %d: %w", n+1, err)
		}
	}
	return e.end(w)
}

// checkOne is Check plus the rules that need the header, reported together.
func checkOne(h Header, a Activity) error {
	err := Check(a)
	var p *Problems
	if err != nil && !errors.As(err, &p) {
		return err // the codelists did not load
	}
	more := checkAgainstHeader(h, a)
	if len(more) == 0 {
		return err
	}
	if p == nil {
		p = &Problems{Subject: fmt.Sprintf("activity %q", a.Identifier)}
	}
	p.List = append(p.List, more...)
	return p
}

// encoder writes elements token by token through encoding/xml, which escapes text and attribute values
// (& < > quotes, and replaces characters XML cannot carry). Its first error sticks and stops all output,
// so the element code reads as the document does, without an error check per element.
type encoder struct {
	x   *xml.Encoder
	h   Header
	err error
}

func newEncoder(w io.Writer, h Header) *encoder {
	x := xml.NewEncoder(w)
	x.Indent("", "  ")
	return &encoder{x: x, h: h}
}

func attr(name, value string) xml.Attr { return xml.Attr{Name: xml.Name{Local: name}, Value: value} }

func (e *encoder) token(t xml.Token) {
	if e.err == nil {
		e.err = e.x.EncodeToken(t)
	}
}

func (e *encoder) open(name string, attrs ...xml.Attr) {
	e.token(xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs})
}

func (e *encoder) close(name string) { e.token(xml.EndElement{Name: xml.Name{Local: name}}) }

// empty writes an element that has only attributes.
func (e *encoder) empty(name string, attrs ...xml.Attr) {
	e.open(name, attrs...)
	e.close(name)
}

// textElement writes <name>text</name>.
func (e *encoder) textElement(name, text string) {
	e.open(name)
	e.token(xml.CharData(text))
	e.close(name)
}

// narrated writes <name attrs><narrative>text</narrative></name>. The narrative carries no xml:lang: it
// inherits the activity's.
func (e *encoder) narrated(name, text string, attrs ...xml.Attr) {
	e.open(name, attrs...)
	e.textElement("narrative", text)
	e.close(name)
}

// end closes the root element and ends the file with a newline, as text files do.
func (e *encoder) end(w io.Writer) error {
	e.close("iati-activities")
	if e.err == nil {
		e.err = e.x.Close() // Close also flushes, and refuses a document with an element left open.
	}
	if e.err == nil {
		_, e.err = io.WriteString(w, "\n")
	}
	if e.err != nil {
		return fmt.Errorf("iati: finish the document: %w", e.err)
	}
	return nil
}

// activity writes one iati-activity, its children in the order of the schema's sequence.
func (e *encoder) activity(a Activity) {
	updated := a.LastUpdated
	if updated.IsZero() {
		updated = e.h.GeneratedAt
	}
	e.open("iati-activity",
		attr("last-updated-datetime", timestamp(updated)),
		xml.Attr{Name: xml.Name{Space: xmlNamespace, Local: "lang"}, Value: e.h.Lang},
		attr("default-currency", e.h.DefaultCurrency),
		attr("hierarchy", strconv.Itoa(a.HierarchyLevel)))
	e.textElement("iati-identifier", a.Identifier)
	e.narrated("reporting-org", e.h.ReportingOrgName, attr("ref", e.h.ReportingOrgRef), attr("type", e.h.ReportingOrgType))
	e.narrated("title", a.Title)
	e.narrated("description", a.Description, attr("type", descriptionGeneral))
	for _, p := range a.Participants {
		e.participant(p)
	}
	e.empty("activity-status", attr("code", strconv.Itoa(a.Status)))
	e.activityDate(dateTypePlannedStart, a.PlannedStart)
	e.activityDate(dateTypeActualStart, a.ActualStart)
	e.activityDate(dateTypePlannedEnd, a.PlannedEnd)
	e.activityDate(dateTypeActualEnd, a.ActualEnd)
	if a.RecipientCountry != "" {
		// One country, so no percentage: IATI reads a lone recipient as 100%.
		e.empty("recipient-country", attr("code", a.RecipientCountry))
	}
	for _, s := range a.Sectors {
		e.empty("sector", attr("vocabulary", s.Vocabulary), attr("code", s.Code), attr("percentage", strconv.Itoa(s.Percentage)))
	}
	for _, b := range a.Budgets {
		e.budget(b)
	}
	for _, t := range a.Transactions {
		e.transaction(t)
	}
	for _, d := range a.Documents {
		e.open("document-link", attr("url", d.URL), attr("format", d.Format))
		e.narrated("title", d.Title)
		e.empty("category", attr("code", d.Category))
		e.close("document-link")
	}
	for _, r := range a.Related {
		e.empty("related-activity", attr("ref", r.Ref), attr("type", strconv.Itoa(r.Type)))
	}
	for _, r := range a.Results {
		e.result(r)
	}
	e.close("iati-activity")
}

// result writes one result with its indicators, each with its baseline and its periods.
func (e *encoder) result(r Result) {
	e.open("result", attr("type", strconv.Itoa(r.Type)))
	e.narrated("title", r.Title)
	for _, ind := range r.Indicators {
		e.open("indicator", attr("measure", strconv.Itoa(ind.Measure)))
		e.narrated("title", ind.Title)
		if b := ind.Baseline; b.Year > 0 {
			attrs := []xml.Attr{attr("year", strconv.Itoa(b.Year))}
			if !b.Date.IsZero() {
				attrs = append(attrs, attr("iso-date", b.Date.String()))
			}
			if b.Value != "" {
				attrs = append(attrs, attr("value", b.Value))
			}
			e.open("baseline", attrs...)
			if b.Comment != "" {
				e.narrated("comment", b.Comment)
			}
			e.close("baseline")
		}
		for _, p := range ind.Periods {
			e.open("period")
			e.empty("period-start", attr("iso-date", p.Start.String()))
			e.empty("period-end", attr("iso-date", p.End.String()))
			if p.Target != "" {
				e.empty("target", attr("value", p.Target))
			}
			if p.Actual != "" || p.ActualComment != "" {
				var attrs []xml.Attr
				if p.Actual != "" {
					attrs = append(attrs, attr("value", p.Actual))
				}
				e.open("actual", attrs...)
				if p.ActualComment != "" {
					e.narrated("comment", p.ActualComment)
				}
				e.close("actual")
			}
			e.close("period")
		}
		e.close("indicator")
	}
	e.close("result")
}

func (e *encoder) participant(p Participant) {
	attrs := make([]xml.Attr, 0, 3)
	if p.Ref != "" {
		attrs = append(attrs, attr("ref", p.Ref))
	}
	if p.Type != "" {
		attrs = append(attrs, attr("type", p.Type))
	}
	attrs = append(attrs, attr("role", strconv.Itoa(p.Role)))
	if p.Name == "" {
		e.empty("participating-org", attrs...)
		return
	}
	e.narrated("participating-org", p.Name, attrs...)
}

func (e *encoder) activityDate(code string, d Date) {
	if !d.IsZero() {
		e.empty("activity-date", attr("type", code), attr("iso-date", d.String()))
	}
}

func (e *encoder) budget(b Budget) {
	e.open("budget")
	e.empty("period-start", attr("iso-date", b.Start.String()))
	e.empty("period-end", attr("iso-date", b.End.String()))
	e.value(b.ValueMinor, b.Currency, b.ValueDate, b.Start)
	e.close("budget")
}

func (e *encoder) transaction(t Transaction) {
	e.open("transaction")
	e.empty("transaction-type", attr("code", strconv.Itoa(t.Type)))
	e.empty("transaction-date", attr("iso-date", t.Date.String()))
	e.value(t.ValueMinor, t.Currency, t.ValueDate, t.Date)
	if t.Description != "" {
		e.narrated("description", t.Description)
	}
	e.close("transaction")
}

// value writes a currencyType element. The schema requires value-date; without one the amount is taken to be
// converted on fallback (the budget's start, the transaction's date), which for amounts in the default
// currency only states the obvious.
func (e *encoder) value(minor int64, currency string, valueDate, fallback Date) {
	if valueDate.IsZero() {
		valueDate = fallback
	}
	attrs := make([]xml.Attr, 0, 2)
	if currency != "" {
		attrs = append(attrs, attr("currency", currency))
	}
	attrs = append(attrs, attr("value-date", valueDate.String()))
	e.open("value", attrs...)
	e.token(xml.CharData(formatMinor(minor)))
	e.close("value")
}

// timestamp writes t as an xsd:dateTime in UTC, to the second.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// formatMinor writes an amount in minor units as a decimal with two decimals: -12345 is "-123.45". It works
// on the magnitude as a uint64, so even math.MinInt64 prints correctly.
func formatMinor(minor int64) string {
	mag := uint64(minor)
	buf := make([]byte, 0, 24)
	if minor < 0 {
		mag = -mag
		buf = append(buf, '-')
	}
	buf = strconv.AppendUint(buf, mag/100, 10)
	buf = append(buf, '.', byte('0'+mag%100/10), byte('0'+mag%10))
	return string(buf)
}
