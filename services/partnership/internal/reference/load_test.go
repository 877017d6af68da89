package reference

import (
	"strings"
	"testing"
	"testing/fstest"
)

// goodFS is a small, well-formed copy of every file the loader reads; each malformed case changes one file.
func goodFS() fstest.MapFS {
	return fstest.MapFS{
		countiesFile: {Data: []byte("county_code,county_name,county_name_short\n" +
			"07,Kronobergs län,Kronoberg\n09,Gotlands län,Gotland\n")},
		municipalitiesFile: {Data: []byte("municipality_code,municipality_name,municipality_name_short,county_code\n" +
			"0780,Växjö kommun,Växjö,07\n0980,Gotlands kommun,Gotland,09\n")},
		countryFile:    {Data: []byte(countryXML(`<codelist-item><code>KE</code><name><narrative>Kenya</narrative></name></codelist-item>`))},
		sdgTargetsFile: {Data: []byte(sdgXML(`<codelist-item><code>16.7</code><name><narrative xml:lang="fr">Faire</narrative><narrative>Ensure</narrative></name></codelist-item>`))},
	}
}

func countryXML(items string) string {
	return `<?xml version="1.0"?><codelist name="Country" xml:lang="en"><codelist-items>` + items + `</codelist-items></codelist>`
}

func sdgXML(items string) string {
	return `<?xml version="1.0"?><codelist name="UNSDG-Targets" xml:lang="en"><codelist-items>` + items + `</codelist-items></codelist>`
}

func TestLoadWellFormed(t *testing.T) {
	tb, err := load(goodFS())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if got := tb.sdgTargets["16.7"]; got.Description != "Ensure" || got.Goal != "16" {
		t.Errorf("16.7 = %+v; want the English narrative and goal 16", got)
	}
	if got := tb.municipalities["0980"]; got.CountyCode != "09" {
		t.Errorf("0980 = %+v", got)
	}
}

func TestLoadWithdrawnSkipped(t *testing.T) {
	fsys := goodFS()
	fsys[countryFile] = &fstest.MapFile{Data: []byte(countryXML(
		`<codelist-item><code>KE</code><name><narrative>Kenya</narrative></name></codelist-item>` +
			`<codelist-item status="withdrawn"><code>AN</code><name><narrative>NETHERLAND ANTILLES</narrative></name></codelist-item>`))}
	tb, err := load(fsys)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if _, ok := tb.countries["AN"]; ok {
		t.Error("withdrawn AN was loaded")
	}
}

func TestLoadMalformed(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		data    string // "" with remove set deletes the file
		remove  bool
		wantErr string
	}{
		{"missing file", countiesFile, "", true, "file does not exist"},
		{"missing column", countiesFile, "code,county_name\n07,Kronobergs län\n", false, `no column "county_code"`},
		{"no rows", countiesFile, "county_code,county_name\n", false, "no rows"},
		{"ragged row", countiesFile, "county_code,county_name\n07,Kronobergs län,extra\n", false, "wrong number of fields"},
		{"county code lost its zero", countiesFile, "county_code,county_name\n7,Kronobergs län\n", false, `"7" is not 2 digits`},
		{"duplicate county", countiesFile, "county_code,county_name\n07,A\n07,B\n", false, "appears twice"},
		{"county without name", countiesFile, "county_code,county_name\n07,\n", false, "has no name"},
		{"municipality code lost its zero", municipalitiesFile, "municipality_code,municipality_name,county_code\n780,Växjö kommun,07\n", false, "not 4 digits"},
		{"municipality in unknown county", municipalitiesFile, "municipality_code,municipality_name,county_code\n0780,Växjö kommun,99\n", false, `county "99"`},
		{"duplicate municipality", municipalitiesFile, "municipality_code,municipality_name,county_code\n0780,A,07\n0780,B,07\n", false, "appears twice"},
		{"not XML", countryFile, "county_code,county_name\n", false, "EOF"},
		{"swapped codelists", countryFile, sdgXML(`<codelist-item><code>1.1</code><name><narrative>x</narrative></name></codelist-item>`), false, `want "Country"`},
		{"empty codelist", countryFile, countryXML(""), false, "no codelist items"},
		{"lower-case country", countryFile, countryXML(`<codelist-item><code>ke</code><name><narrative>Kenya</narrative></name></codelist-item>`), false, "not two capital letters"},
		{"duplicate country", countryFile, countryXML(strings.Repeat(`<codelist-item><code>KE</code><name><narrative>Kenya</narrative></name></codelist-item>`, 2)), false, "appears twice"},
		{"no English name", sdgTargetsFile, sdgXML(`<codelist-item><code>16.7</code><name><narrative xml:lang="fr">Faire</narrative></name></codelist-item>`), false, "no English name"},
		{"bad target code", sdgTargetsFile, sdgXML(`<codelist-item><code>16-7</code><name><narrative>x</narrative></name></codelist-item>`), false, "not of the form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := goodFS()
			if tt.remove {
				delete(fsys, tt.file)
			} else {
				fsys[tt.file] = &fstest.MapFile{Data: []byte(tt.data)}
			}
			_, err := load(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("load error = %v; want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestMustLoadPanicsOnMalformedData(t *testing.T) {
	fsys := goodFS()
	fsys[countiesFile] = &fstest.MapFile{Data: []byte("nonsense")}
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "embedded data is malformed") {
			t.Fatalf("recover() = %v; want a panic naming malformed embedded data", r)
		}
	}()
	mustLoad(fsys)
}

// TestEmbeddedFilesLoad runs the loader on the real embedded files, so a bad update fails here and not at
// the first request in production.
func TestEmbeddedFilesLoad(t *testing.T) {
	if _, err := load(files); err != nil {
		t.Fatal(err)
	}
}
