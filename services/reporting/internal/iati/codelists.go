package iati

import (
	"embed"
	"encoding/xml"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// The codelists are embedded rather than read from disk so that the service validates codes exactly as the
// tests did, with nothing to deploy beside the binary. codelists/SOURCE.md says where each file comes from.
//
//go:embed codelists/*.xml
var codelistFiles embed.FS

// The lists Check consults, by their IATI names (each is codelists/<name>.xml).
const (
	listActivityDateType    = "ActivityDateType"
	listActivityStatus      = "ActivityStatus"
	listDocumentCategory    = "DocumentCategory"
	listResultType          = "ResultType"
	listCountry             = "Country"
	listCurrency            = "Currency"
	listDescriptionType     = "DescriptionType"
	listLanguage            = "Language"
	listRegistrationAgency  = "OrganisationRegistrationAgency"
	listOrganisationRole    = "OrganisationRole"
	listOrganisationType    = "OrganisationType"
	listRelatedActivityType = "RelatedActivityType"
	listSector              = "Sector"
	listSectorVocabulary    = "SectorVocabulary"
	listTransactionType     = "TransactionType"
	listSDGGoals            = "UNSDG-Goals"
	listSDGTargets          = "UNSDG-Targets"
)

var requiredLists = []string{
	listActivityDateType, listActivityStatus, listCountry, listCurrency, listDescriptionType, listLanguage,
	listRegistrationAgency, listOrganisationRole, listOrganisationType, listRelatedActivityType, listSector,
	listSectorVocabulary, listTransactionType, listSDGGoals, listSDGTargets, listResultType, listDocumentCategory,
}

// sectorLists maps the sector vocabularies we can check to their codelists. Other vocabularies (national
// classifications, the reporting organisation's own) have no list here, so Check refuses them rather than
// publish codes nobody verified.
var sectorLists = map[string]string{
	"1": listSector,     // OECD DAC CRS purpose codes, 5 digits
	"7": listSDGGoals,   // UN Sustainable Development Goals
	"8": listSDGTargets, // UN Sustainable Development Goal targets
}

// codelist holds one list's codes; the value says whether the code is still active (withdrawn codes stay
// known so that Check can say "withdrawn" rather than "unknown").
type codelist map[string]bool

// lookup returns "" when code is an active item, else why it may not be used.
func (c codelist) lookup(name, code string) string {
	active, known := c[code]
	switch {
	case !known:
		return fmt.Sprintf("is not in the %s codelist", name)
	case !active:
		return fmt.Sprintf("is withdrawn from the %s codelist", name)
	}
	return ""
}

// codelists returns the parsed lists, parsing them on first use only: a process that never exports pays
// nothing.
var codelists = sync.OnceValues(func() (map[string]codelist, error) { return loadCodelists(codelistFiles) })

// codelistFile is the part of an IATI codelist file that Check needs.
type codelistFile struct {
	Name  string `xml:"name,attr"`
	Items []struct {
		Code   string `xml:"code"`
		Status string `xml:"status,attr"`
	} `xml:"codelist-items>codelist-item"`
}

// loadCodelists parses every codelists/*.xml in fsys and insists on the lists Check needs: a file replaced by
// one of another shape fails here, in the tests, instead of making every code look unknown.
func loadCodelists(fsys fs.FS) (map[string]codelist, error) {
	files, err := fs.Glob(fsys, "codelists/*.xml")
	if err != nil {
		return nil, err
	}
	out := make(map[string]codelist, len(files))
	for _, file := range files {
		name, list, err := loadCodelist(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("iati codelist %s: %w", file, err)
		}
		out[name] = list
	}
	for _, name := range requiredLists {
		if _, ok := out[name]; !ok {
			return nil, fmt.Errorf("iati codelist %s is missing from codelists/", name)
		}
	}
	return out, nil
}

func loadCodelist(fsys fs.FS, file string) (string, codelist, error) {
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return "", nil, err
	}
	var f codelistFile
	if err := xml.Unmarshal(raw, &f); err != nil {
		return "", nil, err
	}
	if want := strings.TrimSuffix(path.Base(file), ".xml"); f.Name != want {
		return "", nil, fmt.Errorf("names itself %q, not %q", f.Name, want)
	}
	if len(f.Items) == 0 {
		return "", nil, fmt.Errorf("has no codelist-item")
	}
	list := make(codelist, len(f.Items))
	for _, it := range f.Items {
		code := strings.TrimSpace(it.Code)
		switch {
		case code == "":
			return "", nil, fmt.Errorf("has an item without a code")
		case it.Status != "" && it.Status != "active" && it.Status != "withdrawn":
			return "", nil, fmt.Errorf("code %s has the unknown status %q", code, it.Status)
		}
		if _, dup := list[code]; dup {
			return "", nil, fmt.Errorf("code %s appears twice", code)
		}
		list[code] = it.Status != "withdrawn"
	}
	return f.Name, list, nil
}
