package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/partnership/internal/reference"
)

// OrganizationField is the request path of an organisation in Create/Update requests; Validate uses it so
// that violations point at the request's fields.
const OrganizationField = "organization"

// Limits on organisation text, in characters.
const (
	MaxOrgNameLen        = 200
	MaxGovernmentKindLen = 100
)

// GotlandCountyCode is the county of Region Gotland, a municipality that also carries a region's duties
// and so has a municipality's organisation number (212000-0803) while acting as a region.
const GotlandCountyCode = "09"

// Organization is a party to partnerships: a Swedish public body or a local government abroad.
type Organization struct {
	ID   string
	Kind OrgKind
	// Name is the name people use, e.g. "Malmö stad" (request field display_name).
	Name string
	// Swedish is set for the Swedish kinds and must be nil for an international local government.
	Swedish *SwedishDetails
	// International is set for an international local government and must be nil otherwise.
	International *InternationalDetails
}

// SwedishDetails identify a Swedish organisation in Swedish registers.
type SwedishDetails struct {
	// OrgNumber should come from ParseOrgNumber; Validate parses it again so a hand-built value is checked.
	OrgNumber OrgNumber
	// MunicipalityCode is the 4-digit SCB code: required for a municipality, optional (the seat) otherwise.
	MunicipalityCode string
	// CountyCode is the 2-digit SCB county code: required for a region, optional otherwise.
	CountyCode string
}

// InternationalDetails place a local government abroad.
type InternationalDetails struct {
	// CountryCode is the code in the IATI Country codelist (ISO 3166-1 alpha-2, XK for Kosovo), in capitals.
	CountryCode string
	// GovernmentKind is what the government calls itself, e.g. "city council", "province", "district";
	// free text because every country has its own tiers.
	GovernmentKind string
}

// Validate checks o against the programme's rules and returns a *fault.Invalid listing every problem, with
// field paths under "organization" (display_name, kind, swedish.org_number, swedish.municipality_code,
// swedish.county_code, international.country_code, international.government_kind), or nil.
func (o Organization) Validate() error { return o.ValidateAt(OrganizationField) }

// ValidateAt is Validate with another path prefix, for requests that carry an organisation elsewhere.
func (o Organization) ValidateAt(prefix string) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	if msg := prose.CheckText(strings.TrimSpace(o.Name), "the name", 1, MaxOrgNameLen, false); msg != "" {
		v.Add(prefix+".display_name", msg)
	}
	switch {
	case o.Kind.IsSwedish():
		o.validateSwedish(v, prefix)
	case o.Kind.IsInternational():
		o.validateInternational(v, prefix)
	default:
		kinds := make([]string, len(orgKinds))
		for i, k := range orgKinds {
			kinds[i] = string(k)
		}
		v.Add(prefix+".kind", "choose the kind of organisation: "+strings.Join(kinds, ", "))
	}
	return v.Err()
}

func (o Organization) validateSwedish(v *fault.Invalid, prefix string) {
	if o.International != nil {
		v.Add(prefix+".international", o.Kind.Label()+" is Swedish and has no international details; leave them out")
	}
	s := o.Swedish
	if s == nil {
		v.Add(prefix+".swedish", o.Kind.Label()+" needs Swedish details, starting with its organisation number")
		return
	}
	p := prefix + ".swedish"
	num, numErr := ParseOrgNumber(string(s.OrgNumber))
	if numErr != nil {
		v.Add(p+".org_number", numErr.Error())
	}

	mun, munOK := reference.Municipality{}, false
	switch {
	case s.MunicipalityCode != "":
		if mun, munOK = reference.MunicipalityByCode(s.MunicipalityCode); !munOK {
			v.Add(p+".municipality_code", unknownMunicipality(s.MunicipalityCode))
		}
	case o.Kind == KindMunicipality:
		v.Add(p+".municipality_code", "enter the municipality's 4-digit SCB code, e.g. 1280 for Malmö")
	}

	switch {
	case s.CountyCode != "":
		if _, ok := reference.CountyByCode(s.CountyCode); !ok {
			v.Add(p+".county_code", fmt.Sprintf("%q is not an SCB county code; use the 2-digit code, e.g. 12 for Skåne", s.CountyCode))
		} else if munOK && mun.CountyCode != s.CountyCode {
			// Both codes are stored; if they disagree every report by county would be wrong.
			v.Add(p+".county_code", fmt.Sprintf("municipality %s lies in county %s, not %s; correct the county code or leave it out", mun.Code, mun.CountyCode, s.CountyCode))
		}
	case o.Kind == KindRegion:
		v.Add(p+".county_code", "enter the 2-digit SCB code of the region's county, e.g. 12 for Skåne")
	}

	if numErr == nil {
		if msg := seriesProblem(o.Kind, num, s.CountyCode); msg != "" {
			v.Add(p+".org_number", msg)
		}
	}
}

// unknownMunicipality explains an unknown code, spotting the commonest slip: a leading zero lost in a
// spreadsheet ("780" for Växjö's "0780").
func unknownMunicipality(code string) string {
	if len(code) == 3 {
		if _, ok := reference.MunicipalityByCode("0" + code); ok {
			return fmt.Sprintf("SCB municipality codes have 4 digits; did you mean 0%s?", code)
		}
	}
	return fmt.Sprintf("%q is not an SCB municipality code; use the 4-digit code, e.g. 1280 for Malmö", code)
}

// seriesProblem checks that the number's series fits the kind: Skatteverket numbers municipalities in
// 212000- and regions in 232100-, so a mismatch means the wrong number (often a municipal company's) or the
// wrong kind was entered. Region Gotland is the exception: a municipality acting as a region.
func seriesProblem(kind OrgKind, num OrgNumber, countyCode string) string {
	head := string(num[:6]) + "-"
	switch kind {
	case KindMunicipality:
		if !num.HasPrefix(MunicipalityOrgPrefix) {
			return "a municipality's organisation number begins with 212000-, the series for municipalities; " +
				"this one begins with " + head + ", so it belongs to another organisation, such as a municipal company"
		}
	case KindRegion:
		gotland := countyCode == GotlandCountyCode && num.HasPrefix(MunicipalityOrgPrefix)
		if !num.HasPrefix(RegionOrgPrefix) && !gotland {
			return "a region's organisation number begins with 232100-, the series for regions " +
				"(only Region Gotland, a municipality, has one beginning 212000-); this one begins with " + head
		}
	default:
		if num.HasPrefix(MunicipalityOrgPrefix) || num.HasPrefix(RegionOrgPrefix) {
			return "numbers beginning with " + head + " belong to municipalities and regions, not to " +
				kind.Label() + "; choose the kind municipality or region, or enter the organisation's own number"
		}
	}
	return ""
}

func (o Organization) validateInternational(v *fault.Invalid, prefix string) {
	if o.Swedish != nil {
		v.Add(prefix+".swedish", "an international local government has no Swedish details; leave them out")
	}
	in := o.International
	if in == nil {
		v.Add(prefix+".international", "an international local government needs its country and the kind of government it is")
		return
	}
	p := prefix + ".international"
	code := in.CountryCode
	switch {
	case code == "":
		v.Add(p+".country_code", "enter the country's two-letter code, e.g. KE for Kenya")
	case strings.EqualFold(code, "SE"):
		v.Add(p+".country_code", "the international party is a local government abroad; "+
			"register a Swedish body as a municipality, region or another Swedish kind")
	default:
		if _, ok := reference.CountryByCode(code); !ok {
			if _, upperOK := reference.CountryByCode(strings.ToUpper(code)); upperOK {
				v.Add(p+".country_code", fmt.Sprintf("write the country code in capitals: %s", strings.ToUpper(code)))
			} else {
				v.Add(p+".country_code", fmt.Sprintf("%q is not a country code in the IATI Country codelist "+
					"(ISO 3166-1 alpha-2, with XK for Kosovo)", code))
			}
		}
	}
	gk := strings.TrimSpace(in.GovernmentKind)
	if gk == "" {
		v.Add(p+".government_kind", "enter the kind of government, e.g. city council, province or district")
	} else if msg := prose.CheckText(gk, "the kind of government", 1, MaxGovernmentKindLen, false); msg != "" {
		v.Add(p+".government_kind", msg)
	}
}

// MunicipalityName returns the name of o's municipality from reference data, e.g. for a confirmation
// screen; ok is false when o has no known municipality code.
func (o Organization) MunicipalityName() (name string, ok bool) {
	if o.Swedish == nil {
		return "", false
	}
	m, ok := reference.MunicipalityByCode(o.Swedish.MunicipalityCode)
	return m.Name, ok
}

// CountyName returns the name of o's county: the county code if set, otherwise the county its municipality
// lies in. ok is false when neither is known.
func (o Organization) CountyName() (name string, ok bool) {
	if o.Swedish == nil {
		return "", false
	}
	code := o.Swedish.CountyCode
	if code == "" {
		m, found := reference.MunicipalityByCode(o.Swedish.MunicipalityCode)
		if !found {
			return "", false
		}
		code = m.CountyCode
	}
	c, ok := reference.CountyByCode(code)
	return c.Name, ok
}

// CountryName returns the English name of an international organisation's country from the IATI codelist.
func (o Organization) CountryName() (name string, ok bool) {
	if o.International == nil {
		return "", false
	}
	c, ok := reference.CountryByCode(o.International.CountryCode)
	return c.Name, ok
}

// IdentityChanges names, as request field paths, the fields of an organisation's legal identity (its
// organisation number, SCB codes and country) that differ between before and after. An organisation's own
// staff may keep its name up to date, but who it legally is decides what it may apply for, so only ICLD staff
// change that.
func IdentityChanges(before, after Organization) []string {
	var changed []string
	if b, a := before.Swedish, after.Swedish; b != nil || a != nil {
		var bs, as SwedishDetails
		if b != nil {
			bs = *b
		}
		if a != nil {
			as = *a
		}
		if bs.OrgNumber != as.OrgNumber {
			changed = append(changed, "organization.swedish.org_number")
		}
		if bs.MunicipalityCode != as.MunicipalityCode {
			changed = append(changed, "organization.swedish.municipality_code")
		}
		if bs.CountyCode != as.CountyCode {
			changed = append(changed, "organization.swedish.county_code")
		}
	}
	if b, a := before.International, after.International; (b == nil) != (a == nil) || (b != nil && b.CountryCode != a.CountryCode) {
		changed = append(changed, "organization.international.country_code")
	}
	return changed
}
