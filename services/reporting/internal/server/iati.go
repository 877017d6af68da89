package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/genproto/googleapis/api/httpbody"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/reporting/internal/iati"
	"github.com/partnerskap/partnerskap/services/reporting/internal/store"
)

// Sida funds the programme; its IATI organisation identifier is SE-0.
var sida = iati.Participant{Ref: "SE-0", Name: "Swedish International Development Cooperation Agency (Sida)", Type: "10", Role: 1}

// chunkSize is how much XML one stream message carries: large enough to be cheap, small enough that memory
// stays flat whatever the size of the document.
const chunkSize = 32 << 10

// streamWriter sends what is written to it as HttpBody messages of chunkSize.
type streamWriter struct {
	stream pb.ReportingService_ExportIatiServer
	buf    []byte
	sent   bool
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for len(w.buf) >= chunkSize {
		if err := w.send(w.buf[:chunkSize]); err != nil {
			return 0, err
		}
		w.buf = w.buf[chunkSize:]
	}
	return len(p), nil
}

func (w *streamWriter) send(b []byte) error {
	w.sent = true
	return w.stream.Send(&httpbody.HttpBody{ContentType: "application/xml", Data: append([]byte(nil), b...)})
}

func (w *streamWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	err := w.send(w.buf)
	w.buf = w.buf[:0]
	return err
}

// ExportIati streams the year's IATI document: networks (hierarchy 1), partnerships (2) and funded
// applications (3), each read from PostgreSQL one row at a time and written as it comes.
func (s *Server) ExportIati(req *pb.ExportIatiRequest, stream pb.ReportingService_ExportIatiServer) error {
	ctx := stream.Context()
	year := int(req.GetYear())
	h := iati.Header{GeneratedAt: time.Now().UTC(), ReportingOrgRef: s.opts.IATI.Ref, ReportingOrgName: s.opts.IATI.Name,
		ReportingOrgType: s.opts.IATI.Type, DefaultCurrency: "SEK", Lang: "en"}
	extending := iati.Participant{Ref: h.ReportingOrgRef, Name: h.ReportingOrgName, Type: h.ReportingOrgType, Role: 3}
	id := func(kind, local string) string { return h.ReportingOrgRef + "-" + kind + "-" + local }

	// The three row kinds are read one after another in one read-only snapshot, feeding activities through a
	// channel, so that Write pulls them one at a time and nothing holds the whole document.
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	activities := make(chan iati.Activity)
	failed := make(chan error, 1)
	go func() {
		defer close(activities)
		defer func() {
			if p := recover(); p != nil {
				failed <- fmt.Errorf("iati export: %v", p)
			}
		}()
		send := func(a iati.Activity) error {
			select {
			case activities <- a:
				return nil
			case <-readCtx.Done():
				return readCtx.Err()
			}
		}
		failed <- store.Snapshot(readCtx, s.pool, func(tx pgx.Tx) error {
			err := store.IATINetworks(readCtx, tx, year, func(n store.IATINetwork) error {
				a := iati.Activity{Identifier: id("N", n.ID), HierarchyLevel: 1, LastUpdated: n.Updated, Title: n.Name,
					Description: "Thematic network of municipal partnerships: " + n.Theme, Status: networkStatus(n.Status),
					PlannedStart: n.Start, PlannedEnd: n.End, Participants: []iati.Participant{sida, extending},
					Sectors: []iati.Sector{{Vocabulary: "1", Code: "15112", Percentage: 50}, {Vocabulary: "1", Code: "15185", Percentage: 50}}}
				if n.Status == "running" || n.Status == "closed" {
					a.ActualStart = n.Start
				}
				for _, p := range n.Partnerships {
					a.Related = append(a.Related, iati.Related{Type: 2, Ref: id("P", p)})
				}
				return send(a)
			})
			if err != nil {
				return err
			}
			err = store.IATIPartnerships(readCtx, tx, year, func(p store.IATIPartnership) error {
				a := iati.Activity{Identifier: id("P", p.ID), HierarchyLevel: 2, LastUpdated: p.Updated, Title: p.Title,
					Description: p.Challenge, Status: partnershipStatus(p.State), PlannedStart: p.Start, PlannedEnd: p.End,
					RecipientCountry: p.CountryCode, Participants: parties(sida, extending, p), Sectors: sectors(p)}
				if a.Description == "" {
					a.Description = p.Title
				}
				for _, n := range p.Networks {
					a.Related = append(a.Related, iati.Related{Type: 1, Ref: id("N", n)})
				}
				for _, app := range p.Applications {
					a.Related = append(a.Related, iati.Related{Type: 2, Ref: id("A", app)})
				}
				for _, d := range p.Documents {
					a.Documents = append(a.Documents, iati.DocumentLink{URL: s.opts.IATI.DocumentBaseURL + "/v1/public/documents/" + d.ID + ":download",
						Format: d.ContentType, Title: d.FileName, Category: documentCategory(d.Kind)})
				}
				return send(a)
			})
			if err != nil {
				return err
			}
			return store.IATIApplications(readCtx, tx, year, func(app store.IATIApplication) error {
				return send(applicationActivity(app, app.Partnership, sida, extending, id))
			})
		})
	}()
	w := &streamWriter{stream: stream}
	var readErr error
	err := iati.Write(w, h, func() (iati.Activity, bool, error) {
		if a, ok := <-activities; ok {
			return a, true, nil
		}
		// The reader is done: a failure there must not pass for the end of the document.
		readErr = <-failed
		return iati.Activity{}, false, readErr
	})
	stopReading()
	for range activities { // let the reader return when Write stopped early
	}
	if readErr == nil {
		select {
		case readErr = <-failed:
		default:
		}
	}
	if readErr != nil && !errors.Is(readErr, context.Canceled) {
		err = readErr
	}
	if errors.Is(err, iati.ErrNoActivities) {
		return &fault.NotFound{Kind: "funded application in year", ID: fmt.Sprint(year)}
	}
	if err != nil {
		return err
	}
	return w.flush()
}

func applicationActivity(app store.IATIApplication, p store.IATIPartnership, sida, extending iati.Participant, id func(kind, local string) string) iati.Activity {
	a := iati.Activity{Identifier: id("A", app.ID), HierarchyLevel: 3, LastUpdated: app.Updated,
		Title: fmt.Sprintf("%s: %s", p.Title, kindTitle(app.Kind)), Description: p.Challenge, Status: applicationStatus(app.Status),
		PlannedStart: app.Start, PlannedEnd: app.End, RecipientCountry: p.CountryCode, Participants: parties(sida, extending, p),
		Sectors: sectors(p), Related: []iati.Related{{Type: 1, Ref: id("P", app.PartnershipID)}}}
	if a.Description == "" {
		a.Description = a.Title
	}
	today := civil.DateOf(time.Now())
	if app.Status == "running" || app.Status == "closed" {
		a.ActualStart = app.Start
	}
	if app.Status == "closed" && !app.End.After(today) {
		a.ActualEnd = app.End
	}
	for _, y := range app.BudgetByYear {
		start, end := civil.Date{Year: y.Year, Month: time.January, Day: 1}, civil.Date{Year: y.Year, Month: time.December, Day: 31}
		if start.Before(app.Start) {
			start = app.Start
		}
		if end.After(app.End) {
			end = app.End
		}
		if end.Before(start) {
			continue // a line outside the application's years; finance refuses them, older data may hold one
		}
		a.Budgets = append(a.Budgets, iati.Budget{Start: start, End: end, ValueMinor: y.Minor})
	}
	if !app.Approved.IsZero() {
		a.Transactions = append(a.Transactions, iati.Transaction{Type: 2, Date: app.Approved, ValueMinor: app.ApprovedMinor,
			Description: "Approved budget"})
	}
	for _, pay := range app.Payments {
		a.Transactions = append(a.Transactions, iati.Transaction{Type: 3, Date: pay.Date, ValueMinor: pay.Minor, Description: "Reimbursement paid"})
	}
	a.Results = results(app)
	return a
}

// documentCategory is the DocumentCategory code of a kind of document: results for report attachments,
// memoranda of understanding for agreements and decisions, budget for receipts.
func documentCategory(kind string) string {
	switch kind {
	case "report_attachment":
		return "A08"
	case "receipt":
		return "A05"
	}
	return "A09"
}

// results are an application's expected results as IATI results: each indicator with its baseline and, per
// calendar year of the application, its target (in the year the target is dated) and the value the year's
// approved report gave.
func results(app store.IATIApplication) []iati.Result {
	var out []iati.Result
	for _, r := range app.Framework.Results {
		res := iati.Result{Type: int(r.GetLevel()), Title: r.GetStatement()}
		for _, ind := range r.GetIndicators() {
			i := iati.Indicator{Measure: int(ind.GetMeasure()), Title: ind.GetName()}
			baseline := civil.Date{}
			if d := ind.GetBaselineDate(); d != nil {
				baseline = civil.Date{Year: int(d.GetYear()), Month: time.Month(d.GetMonth()), Day: int(d.GetDay())}
			}
			if ind.GetBaselineValue() != "" || !baseline.IsZero() {
				year := baseline.Year
				if year == 0 {
					year = app.Start.Year
				}
				i.Baseline = iati.IndicatorValue{Year: year, Date: baseline, Value: ind.GetBaselineValue()}
			}
			targetYear := app.End.Year
			if d := ind.GetTargetDate(); d != nil && d.GetYear() != 0 {
				targetYear = int(d.GetYear())
			}
			actuals := map[int]store.Actual{}
			for _, a := range app.Framework.Actuals[ind.GetId()] {
				actuals[a.Year] = a // the last of a year is the newest: a final report after the year's partial one
			}
			for year := app.Start.Year; year <= app.End.Year; year++ {
				p := iati.ResultPeriod{Start: civil.Date{Year: year, Month: time.January, Day: 1}, End: civil.Date{Year: year, Month: time.December, Day: 31}}
				if p.Start.Before(app.Start) {
					p.Start = app.Start
				}
				if p.End.After(app.End) {
					p.End = app.End
				}
				if year == targetYear {
					p.Target = ind.GetTargetValue()
				}
				if a, ok := actuals[year]; ok {
					p.Actual, p.ActualComment = a.Value.GetValue(), a.Value.GetComment()
				}
				if p.Target != "" || p.Actual != "" || p.ActualComment != "" {
					i.Periods = append(i.Periods, p)
				}
			}
			res.Indicators = append(res.Indicators, i)
		}
		if len(res.Indicators) > 0 {
			out = append(out, res)
		}
	}
	return out
}

func parties(sida, extending iati.Participant, p store.IATIPartnership) []iati.Participant {
	out := []iati.Participant{sida, extending}
	swedish := iati.Participant{Name: p.SwedishName, Type: "11", Role: 4}
	if len(p.SwedishOrgNumber) == 10 {
		swedish.Ref = "SE-ON-" + p.SwedishOrgNumber
	}
	if swedish.Name != "" {
		out = append(out, swedish)
	}
	if p.InternationalName != "" {
		out = append(out, iati.Participant{Name: p.InternationalName, Type: "11", Role: 4})
	}
	return out
}

// sectors places every partnership in local government (DAC 15112 decentralisation, 15185 local government
// administration) and, when its core areas include participation, in 15150 democratic participation; and in
// the SDG targets it names. Percentages are spread evenly, the remainder to the first.
func sectors(p store.IATIPartnership) []iati.Sector {
	dac := []string{"15112", "15185"}
	for _, a := range p.CoreAreas {
		if a == "participation" || a == "equity_inclusion" {
			dac = append(dac, "15150")
			break
		}
	}
	out := spread("1", dac)
	return append(out, spread("8", p.SDGTargets)...)
}

func spread(vocabulary string, codes []string) []iati.Sector {
	var out []iati.Sector
	for i, c := range codes {
		share := 100 / len(codes)
		if i == 0 {
			share += 100 % len(codes)
		}
		out = append(out, iati.Sector{Vocabulary: vocabulary, Code: c, Percentage: share})
	}
	return out
}

func kindTitle(kind string) string {
	switch kind {
	case "inception":
		return "inception phase"
	case "project":
		return "project"
	case "steering_group":
		return "steering group"
	}
	return kind
}

// The ActivityStatus codes: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled.
func applicationStatus(s string) int {
	switch s {
	case "running":
		return 2
	case "closed":
		return 4
	}
	return 1
}

func partnershipStatus(s string) int {
	switch s {
	case "inception", "active":
		return 2
	case "completed":
		return 4
	case "terminated":
		return 5
	}
	return 1
}

func networkStatus(s string) int {
	switch s {
	case "running":
		return 2
	case "closed":
		return 4
	}
	return 1
}
