package reference

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"
)

// Paths of the embedded files, relative to this package; load takes an fs.FS so tests can feed it broken
// copies.
const (
	municipalitiesFile = "sweden/municipalities.csv"
	countiesFile       = "sweden/counties.csv"
	countryFile        = "iati/Country.xml"
	sdgTargetsFile     = "iati/UNSDG-Targets.xml"
)

// The formats codes must have. Checking them at load catches a file replaced by one with another layout
// (say, SCB codes that lost their leading zeros in a spreadsheet) before it can make valid input look invalid.
var (
	municipalityCodeRE = regexp.MustCompile(`^[0-9]{4}$`)
	countyCodeRE       = regexp.MustCompile(`^[0-9]{2}$`)
	countryCodeRE      = regexp.MustCompile(`^[A-Z]{2}$`)
	sdgTargetCodeRE    = regexp.MustCompile(`^([1-9][0-9]?)\.([0-9]{1,2}|[a-z])$`)
)

// load parses every list and cross-checks them; it returns the first problem it finds.
func load(fsys fs.FS) (*tables, error) {
	counties, err := loadCounties(fsys)
	if err != nil {
		return nil, err
	}
	municipalities, err := loadMunicipalities(fsys, counties)
	if err != nil {
		return nil, err
	}
	countries, err := loadCountries(fsys)
	if err != nil {
		return nil, err
	}
	targets, err := loadSDGTargets(fsys)
	if err != nil {
		return nil, err
	}
	return &tables{municipalities: municipalities, counties: counties, countries: countries, sdgTargets: targets}, nil
}

func loadCounties(fsys fs.FS) (map[string]County, error) {
	out := map[string]County{}
	err := readCSV(fsys, countiesFile, []string{"county_code", "county_name"}, func(row []string) error {
		c := County{Code: row[0], Name: row[1]}
		switch {
		case !countyCodeRE.MatchString(c.Code):
			return fmt.Errorf("county code %q is not 2 digits", c.Code)
		case c.Name == "":
			return fmt.Errorf("county %s has no name", c.Code)
		}
		if _, dup := out[c.Code]; dup {
			return fmt.Errorf("county code %s appears twice", c.Code)
		}
		out[c.Code] = c
		return nil
	})
	return out, err
}

func loadMunicipalities(fsys fs.FS, counties map[string]County) (map[string]Municipality, error) {
	out := map[string]Municipality{}
	cols := []string{"municipality_code", "municipality_name", "county_code"}
	err := readCSV(fsys, municipalitiesFile, cols, func(row []string) error {
		m := Municipality{Code: row[0], Name: row[1], CountyCode: row[2]}
		switch {
		case !municipalityCodeRE.MatchString(m.Code):
			return fmt.Errorf("municipality code %q is not 4 digits", m.Code)
		case m.Name == "":
			return fmt.Errorf("municipality %s has no name", m.Code)
		}
		// A municipality pointing at an unknown county would let validation accept a municipality whose
		// county cannot be named, so the two files must agree.
		if _, ok := counties[m.CountyCode]; !ok {
			return fmt.Errorf("municipality %s lies in county %q, which %s does not list", m.Code, m.CountyCode, countiesFile)
		}
		if _, dup := out[m.Code]; dup {
			return fmt.Errorf("municipality code %s appears twice", m.Code)
		}
		out[m.Code] = m
		return nil
	})
	return out, err
}

// readCSV reads a CSV file with a header row and calls row for each record with the named columns, in the
// order asked for. Looking columns up by name lets the source add or reorder columns without breaking us.
func readCSV(fsys fs.FS, name string, columns []string, row func([]string) error) error {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))))
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: reading header: %w", name, err)
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.TrimSpace(h)] = i
	}
	pick := make([]int, len(columns))
	for i, c := range columns {
		j, ok := index[c]
		if !ok {
			return fmt.Errorf("%s: no column %q", name, c)
		}
		pick[i] = j
	}
	rows := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		vals := make([]string, len(pick))
		for i, j := range pick {
			vals[i] = strings.TrimSpace(rec[j])
		}
		if err := row(vals); err != nil {
			return fmt.Errorf("%s line %d: %w", name, rows+2, err)
		}
		rows++
	}
	if rows == 0 {
		return fmt.Errorf("%s: no rows", name)
	}
	return nil
}

// codelist is the part of an IATI codelist file that we read.
type codelist struct {
	Name  string         `xml:"name,attr"`
	Lang  string         `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Items []codelistItem `xml:"codelist-items>codelist-item"`
}

type codelistItem struct {
	Status     string      `xml:"status,attr"`
	Code       string      `xml:"code"`
	Narratives []narrative `xml:"name>narrative"`
}

type narrative struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Text string `xml:",chardata"`
}

// readCodelist parses an IATI codelist, checks that it is the list we expect (so two files swapped by
// mistake fail loudly), and calls item with each active item's code and English name.
func readCodelist(fsys fs.FS, file, listName string, item func(code, english string) error) error {
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return err
	}
	var cl codelist
	if err := xml.Unmarshal(raw, &cl); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if cl.Name != listName {
		return fmt.Errorf("%s: holds codelist %q, want %q", file, cl.Name, listName)
	}
	if len(cl.Items) == 0 {
		return fmt.Errorf("%s: no codelist items", file)
	}
	for _, it := range cl.Items {
		// Withdrawn codes stay in the list for old data; new records must not use them.
		if it.Status == "withdrawn" {
			continue
		}
		code := strings.TrimSpace(it.Code)
		english := englishNarrative(cl.Lang, it.Narratives)
		if english == "" {
			return fmt.Errorf("%s: item %q has no English name", file, code)
		}
		if err := item(code, english); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

// englishNarrative picks the English text: a narrative without xml:lang is in the codelist's own language.
func englishNarrative(listLang string, ns []narrative) string {
	for _, n := range ns {
		lang := n.Lang
		if lang == "" {
			lang = listLang
		}
		if lang == "" || strings.EqualFold(lang, "en") {
			if t := strings.Join(strings.Fields(n.Text), " "); t != "" {
				return t
			}
		}
	}
	return ""
}

func loadCountries(fsys fs.FS) (map[string]Country, error) {
	out := map[string]Country{}
	err := readCodelist(fsys, countryFile, "Country", func(code, name string) error {
		if !countryCodeRE.MatchString(code) {
			return fmt.Errorf("country code %q is not two capital letters", code)
		}
		if _, dup := out[code]; dup {
			return fmt.Errorf("country code %s appears twice", code)
		}
		out[code] = Country{Code: code, Name: name}
		return nil
	})
	return out, err
}

func loadSDGTargets(fsys fs.FS) (map[string]SDGTarget, error) {
	out := map[string]SDGTarget{}
	err := readCodelist(fsys, sdgTargetsFile, "UNSDG-Targets", func(code, text string) error {
		m := sdgTargetCodeRE.FindStringSubmatch(code)
		if m == nil {
			return fmt.Errorf("SDG target code %q is not of the form 16.7 or 16.a", code)
		}
		if _, dup := out[code]; dup {
			return fmt.Errorf("SDG target %s appears twice", code)
		}
		out[code] = SDGTarget{Code: code, Goal: m[1], Description: text}
		return nil
	})
	return out, err
}
