package iati

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/services/reporting/internal/iati/xsd"
)

var update = flag.Bool("update", false, "rewrite testdata/programme.xml from the writer's output")

// The three levels of the programme, every field set, make a document the IATI 2.03 schema accepts; the
// golden file shows a reviewer exactly what the export looks like.
func TestWriteProgrammeValidates(t *testing.T) {
	doc := writeDoc(t, header(), programme())
	mustValidate(t, doc)

	golden := filepath.Join("testdata", "programme.xml")
	if *update {
		if err := os.WriteFile(golden, doc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestWriteProgrammeValidates -update to create it)", err)
	}
	if !bytes.Equal(doc, want) {
		t.Errorf("output differs from %s (rerun with -update if the change is intended):\n%s", golden, doc)
	}
}

// Reading the document back gives the hierarchy, the links and the amounts the caller gave, so nothing is
// lost between the rows and the XML.
func TestWriteReadsBack(t *testing.T) {
	var doc struct {
		Version    string `xml:"version,attr"`
		Generated  string `xml:"generated-datetime,attr"`
		Activities []struct {
			Lang      string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			Currency  string `xml:"default-currency,attr"`
			Hierarchy int    `xml:"hierarchy,attr"`
			Updated   string `xml:"last-updated-datetime,attr"`
			ID        string `xml:"iati-identifier"`
			Related   []struct {
				Ref  string `xml:"ref,attr"`
				Type int    `xml:"type,attr"`
			} `xml:"related-activity"`
			Values []string `xml:"transaction>value"`
		} `xml:"iati-activity"`
	}
	if err := xml.Unmarshal(writeDoc(t, header(), programme()), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.03" || doc.Generated != "2025-11-20T09:30:00Z" || len(doc.Activities) != 3 {
		t.Fatalf("version %q, generated %q, %d activities", doc.Version, doc.Generated, len(doc.Activities))
	}
	for i, a := range doc.Activities {
		if a.Hierarchy != i+1 || a.Lang != "en" || a.Currency != "SEK" || a.Updated == "" {
			t.Errorf("activity %d: hierarchy %d, xml:lang %q, currency %q, updated %q", i+1, a.Hierarchy, a.Lang, a.Currency, a.Updated)
		}
	}
	p := doc.Activities[1]
	if len(p.Related) != 2 || p.Related[0] != (struct {
		Ref  string `xml:"ref,attr"`
		Type int    `xml:"type,attr"`
	}{icld + "-N-CLIMATE-2022", 1}) || p.Related[1].Type != 2 || p.Related[1].Ref != doc.Activities[2].ID {
		t.Errorf("partnership related activities: %+v", p.Related)
	}
	if got := strings.Join(doc.Activities[2].Values, " "); got != "500000.00 134000.50 -1200.00" {
		t.Errorf("transaction values %q", got)
	}
}

// The schema requires at least one iati-activity, so an empty document cannot validate (xmllint says so);
// Write therefore refuses before writing a byte, and the caller decides what "nothing to publish" means.
func TestWriteEmpty(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, header(), source(nil))
	if !errors.Is(err, ErrNoActivities) || buf.Len() != 0 {
		t.Fatalf("Write of no activity: %v, %d bytes written", err, buf.Len())
	}
	empty := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<iati-activities version="2.03" generated-datetime="2025-11-20T09:30:00Z"></iati-activities>` + "\n"
	err = xsd.ValidateReader(context.Background(), strings.NewReader(empty))
	if err == nil || !strings.Contains(err.Error(), "Expected is ( iati-activity )") {
		t.Fatalf("the schema should refuse an iati-activities without an activity; xmllint said: %v", err)
	}
}

// Text and attribute values full of markup, Swedish letters, quotes and characters XML cannot hold are
// escaped: the document validates and reads back as the caller wrote it.
func TestWriteEscapes(t *testing.T) {
	const title = `Miljö & ungdom: <"delaktighet"> i Växjö, Malmö & Åre's 'kommuner'` + "\n" + `tab	here`
	as := programme()[2:]
	as[0].Title = title
	as[0].Description = "]]> <![CDATA[ not markup ]]> &amp; &lt;"
	as[0].Participants = append(as[0].Participants, Participant{Name: `Kommunförbundet "Skåne" & <Blekinge>`, Role: 4})
	as[0].Transactions[0].Description = "ÅÄÖ åäö, control\x01char and a lone \xff byte"
	doc := writeDoc(t, header(), as)
	mustValidate(t, doc)

	var back struct {
		Activity struct {
			Title       string   `xml:"title>narrative"`
			Description string   `xml:"description>narrative"`
			Orgs        []string `xml:"participating-org>narrative"`
			Tx          []string `xml:"transaction>description>narrative"`
		} `xml:"iati-activity"`
	}
	if err := xml.Unmarshal(doc, &back); err != nil {
		t.Fatal(err)
	}
	a := back.Activity
	if a.Title != title || a.Description != as[0].Description || a.Orgs[len(a.Orgs)-1] != `Kommunförbundet "Skåne" & <Blekinge>` {
		t.Errorf("read back title %q, description %q, orgs %q", a.Title, a.Description, a.Orgs)
	}
	// Characters XML 1.0 cannot carry become U+FFFD rather than breaking the document.
	if a.Tx[0] != "ÅÄÖ åäö, control\uFFFDchar and a lone \uFFFD byte" {
		t.Errorf("transaction description read back as %q", a.Tx[0])
	}
	if bytes.Contains(doc, []byte("<Blekinge>")) || bytes.Contains(doc, []byte("<![CDATA[")) {
		t.Errorf("markup leaked into the document:\n%s", doc)
	}
}

// A bad activity stops the document before any of it is written, naming the activity and every problem.
func TestWriteStopsAtBadActivity(t *testing.T) {
	as := programme()
	as[1].Status = 9
	as[1].RecipientCountry = "XX"
	var buf bytes.Buffer
	err := Write(&buf, header(), source(as))
	var p *Problems
	if !errors.As(err, &p) || p.Subject != `activity "`+as[1].Identifier+`"` || len(p.List) != 2 {
		t.Fatalf("Write with a bad second activity: %v", err)
	}
	if strings.Contains(buf.String(), as[1].Identifier+"</iati-identifier>") {
		t.Errorf("part of the bad activity was written:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), as[0].Identifier) {
		t.Errorf("the good first activity was not flushed before the refusal")
	}
}

// The rules that need the header: the identifier's prefix, and no actual date after the document's day;
// they are reported together with Check's.
func TestWriteChecksAgainstHeader(t *testing.T) {
	as := programme()[:1]
	as[0].Identifier = "SE-ON-5560000000-N-1"
	as[0].ActualStart = day(2026, 1, 1)
	as[0].Status = 0
	err := Write(new(bytes.Buffer), header(), source(as))
	for _, want := range []string{
		`activity status "0" is not in the ActivityStatus codelist`,
		"does not start with the reporting-org ref SE-ON-2021004284",
		"actual start 2026-01-01 is after the document's date 2025-11-20",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
}

func TestWriteRefusesBadHeader(t *testing.T) {
	h := header()
	h.DefaultCurrency = "SEKK"
	var buf bytes.Buffer
	if err := Write(&buf, h, source(programme())); err == nil || !strings.Contains(err.Error(), `default currency "SEKK" is not in the Currency codelist`) || buf.Len() != 0 {
		t.Fatalf("Write with a bad header: %v, %d bytes", err, buf.Len())
	}
}

// Errors of the source and of the writer end the document and come back wrapped, naming where it stopped.
func TestWritePassesOnErrors(t *testing.T) {
	boom := errors.New("connection reset")
	calls := 0
	next := func() (Activity, bool, error) {
		calls++
		if calls == 2 {
			return Activity{}, false, boom
		}
		return programme()[0], true, nil
	}
	if err := Write(new(bytes.Buffer), header(), next); !errors.Is(err, boom) || !strings.Contains(err.Error(), "read activity 2") {
		t.Errorf("source error: %v", err)
	}
	if err := Write(failingWriter{boom}, header(), source(programme())); !errors.Is(err, boom) {
		t.Errorf("writer error: %v", err)
	}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestFormatMinor(t *testing.T) {
	for minor, want := range map[int64]string{
		0: "0.00", 5: "0.05", 50: "0.50", 100: "1.00", 123456: "1234.56", -1: "-0.01", -120000: "-1200.00",
		math.MaxInt64: "92233720368547758.07", math.MinInt64: "-92233720368547758.08",
	} {
		if got := formatMinor(minor); got != want {
			t.Errorf("formatMinor(%d) = %q, want %q", minor, got, want)
		}
	}
}

// Many activities, each flushed on its own, still make one valid document.
func TestWriteManyValidates(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, header(), generate(2_000, nil)); err != nil {
		t.Fatal(err)
	}
	mustValidate(t, buf.Bytes())
}
