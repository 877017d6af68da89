package iati

import (
	"strings"
	"testing"
	"testing/fstest"
)

// The embedded lists load, and hold the codes the programme and the writer itself use.
func TestCodelistsHoldTheProgrammesCodes(t *testing.T) {
	lists, err := codelists()
	if err != nil {
		t.Fatal(err)
	}
	for list, codes := range map[string][]string{
		listActivityDateType:    {dateTypePlannedStart, dateTypeActualStart, dateTypePlannedEnd, dateTypeActualEnd},
		listDescriptionType:     {descriptionGeneral},
		listActivityStatus:      {"1", "2", "3", "4", "5", "6"},
		listOrganisationRole:    {"1", "2", "3", "4"},
		listOrganisationType:    {"10", "11"},
		listRelatedActivityType: {"1", "2", "3"},
		listTransactionType:     {"2", "3"},
		listSector:              {"15150", "15112", "15185"},
		listSDGTargets:          {"16.6", "16.7"},
		listSDGGoals:            {"16"},
		listSectorVocabulary:    {"1", "7", "8"},
		listCountry:             {"ZM", "VN", "XK", "BA", "UA", "CO", "KE", "TZ", "UG", "RW", "BW", "ZA", "ZW"},
		listCurrency:            {"SEK", "EUR", "USD"},
		listLanguage:            {"en", "sv", "fr"},
		listRegistrationAgency:  {"SE-ON", "XM-DAC", "XI-IATI"},
	} {
		for _, code := range codes {
			if why := lists[list].lookup(list, code); why != "" {
				t.Errorf("%s %s", code, why)
			}
		}
	}
	for v, list := range sectorLists {
		if _, ok := lists[list]; !ok {
			t.Errorf("sector vocabulary %s points at %s, which is not loaded", v, list)
		}
	}
}

// A replaced or damaged file fails loudly instead of making every code look unknown.
func TestLoadCodelistsRefusesDamage(t *testing.T) {
	full := fstest.MapFS{}
	for _, name := range requiredLists {
		full["codelists/"+name+".xml"] = &fstest.MapFile{Data: []byte(
			`<codelist name="` + name + `"><codelist-items><codelist-item><code>1</code></codelist-item></codelist-items></codelist>`)}
	}
	if _, err := loadCodelists(full); err != nil {
		t.Fatalf("a minimal complete set: %v", err)
	}
	for name, tc := range map[string]struct{ data, want string }{
		"renamed":   {`<codelist name="Other"><codelist-items><codelist-item><code>1</code></codelist-item></codelist-items></codelist>`, `names itself "Other"`},
		"empty":     {`<codelist name="Currency"><codelist-items></codelist-items></codelist>`, "has no codelist-item"},
		"no code":   {`<codelist name="Currency"><codelist-items><codelist-item><code> </code></codelist-item></codelist-items></codelist>`, "without a code"},
		"twice":     {`<codelist name="Currency"><codelist-items><codelist-item><code>A</code></codelist-item><codelist-item><code>A</code></codelist-item></codelist-items></codelist>`, "A appears twice"},
		"status":    {`<codelist name="Currency"><codelist-items><codelist-item status="retired"><code>A</code></codelist-item></codelist-items></codelist>`, `unknown status "retired"`},
		"not xml":   {`Currency,SEK`, "EOF"},
		"truncated": {`<codelist name="Currency"><codelist-items><codelist-item>`, "unexpected EOF"},
	} {
		fsys := fstest.MapFS{}
		for k, v := range full {
			fsys[k] = v
		}
		fsys["codelists/Currency.xml"] = &fstest.MapFile{Data: []byte(tc.data)}
		if _, err := loadCodelists(fsys); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want %q, got %v", name, tc.want, err)
		}
	}
	delete(full, "codelists/Language.xml")
	if _, err := loadCodelists(full); err == nil || !strings.Contains(err.Error(), "Language is missing") {
		t.Errorf("a missing list: %v", err)
	}
}
