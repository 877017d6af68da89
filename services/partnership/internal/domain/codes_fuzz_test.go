package domain

import (
	"errors"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// FuzzOrganizationCodes feeds arbitrary organisation numbers, SCB municipality and county codes and country
// codes, all outside input, through validation: it must never panic, and must answer either nil or a
// *fault.Invalid naming fields, never another error.
func FuzzOrganizationCodes(f *testing.F) {
	f.Add("212000-1124", "1280", "12", "ZM")
	f.Add("2120000662", "780", "7", "xk")
	f.Add("", "\x00", "99", "SE")
	f.Fuzz(func(t *testing.T, orgNumber, municipality, county, country string) {
		swedish := Organization{Kind: KindMunicipality, Name: "X", Swedish: &SwedishDetails{OrgNumber: OrgNumber(orgNumber), MunicipalityCode: municipality, CountyCode: county}}
		international := Organization{Kind: KindInternationalLocalGovernment, Name: "X", International: &InternationalDetails{CountryCode: country, GovernmentKind: "city"}}
		for _, o := range []Organization{swedish, international} {
			err := o.Validate()
			var invalid *fault.Invalid
			if err != nil && (!errors.As(err, &invalid) || len(invalid.Violations) == 0) {
				t.Fatalf("validation answered %T %v", err, err)
			}
		}
	})
}
