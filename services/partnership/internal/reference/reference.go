// Package reference answers questions about the public code lists the partnership service validates against:
// Swedish municipalities and counties (SCB codes), countries (the IATI Country codelist, ISO 3166-1 with XK)
// and UN SDG targets (the IATI UNSDG-Targets codelist).
//
// The data is embedded at build time, so the service never depends on files beside the binary and every
// replica answers alike. It is parsed once, on first use; malformed embedded data is a build defect, not a
// run-time condition, so the loader panics rather than letting the service run with a partial list (the tests
// exercise the loader on every embedded file, so such a build never passes CI). See README.md for sources.
package reference

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"
)

//go:embed sweden/municipalities.csv sweden/counties.csv iati/Country.xml iati/UNSDG-Targets.xml
var files embed.FS

// Municipality is one of Sweden's municipalities (kommuner).
type Municipality struct {
	// Code is the 4-digit SCB municipality code, e.g. "1280" for Malmö; a string because of leading zeros.
	Code string
	// Name is the official name as SCB lists it, e.g. "Malmö kommun".
	Name string
	// CountyCode is the 2-digit code of the county the municipality lies in, e.g. "12".
	CountyCode string
}

// County is one of Sweden's counties (län); each is also the area of one region.
type County struct {
	// Code is the 2-digit SCB county code, e.g. "09" for Gotland.
	Code string
	// Name is the county's name, e.g. "Gotlands län".
	Name string
}

// Country is a country or territory from the IATI Country codelist.
type Country struct {
	// Code is the ISO 3166-1 alpha-2 code, or IATI's user-assigned XK for Kosovo.
	Code string
	// Name is the English name as the codelist spells it.
	Name string
}

// SDGTarget is one target of the UN Sustainable Development Goals, such as 16.7.
type SDGTarget struct {
	// Code is the target's code, e.g. "16.7" or "16.a".
	Code string
	// Goal is the number of the goal the target belongs to, e.g. "16".
	Goal string
	// Description is the target's English wording.
	Description string
}

// tables holds every list, keyed by code, after one successful parse.
type tables struct {
	municipalities map[string]Municipality
	counties       map[string]County
	countries      map[string]Country
	sdgTargets     map[string]SDGTarget
}

// data parses the embedded files on first use; sync.OnceValue keeps start-up cheap for tools that import
// the package without looking anything up, and makes concurrent first calls safe.
var data = sync.OnceValue(func() *tables { return mustLoad(files) })

// mustLoad is the one place that turns a load error into a panic, kept apart so a test can prove that it
// does so on malformed data.
func mustLoad(fsys fs.FS) *tables {
	t, err := load(fsys)
	if err != nil {
		panic(fmt.Sprintf("reference: embedded data is malformed: %v", err))
	}
	return t
}

// MunicipalityByCode finds a municipality by its 4-digit SCB code. Codes match exactly: "0780", not "780".
func MunicipalityByCode(code string) (Municipality, bool) {
	m, ok := data().municipalities[code]
	return m, ok
}

// CountyByCode finds a county by its 2-digit SCB code. Codes match exactly: "09", not "9".
func CountyByCode(code string) (County, bool) {
	c, ok := data().counties[code]
	return c, ok
}

// CountryByCode finds a country by its code in the IATI Country codelist, in capitals as the list has them
// ("KE", not "ke"). Withdrawn codes such as AN are not found: no new record may use them.
func CountryByCode(code string) (Country, bool) {
	c, ok := data().countries[code]
	return c, ok
}

// SDGTargetByCode finds an SDG target by its code as the UN writes it, e.g. "16.7" or "16.a".
func SDGTargetByCode(code string) (SDGTarget, bool) {
	t, ok := data().sdgTargets[code]
	return t, ok
}
