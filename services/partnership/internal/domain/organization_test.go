package domain

import (
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"

	"github.com/partnerskap/partnerskap/services/partnership/internal/reference"
)

func malmo() Organization {
	return Organization{ID: "o1", Kind: KindMunicipality, Name: "Malmö stad",
		Swedish: &SwedishDetails{OrgNumber: "2120001124", MunicipalityCode: "1280"}}
}

func lusaka() Organization {
	return Organization{ID: "o2", Kind: KindInternationalLocalGovernment, Name: "Lusaka City Council",
		International: &InternationalDetails{CountryCode: "ZM", GovernmentKind: "city council"}}
}

func TestOrganizationValidate(t *testing.T) {
	const (
		name  = "organization.display_name"
		kind  = "organization.kind"
		swe   = "organization.swedish"
		num   = "organization.swedish.org_number"
		mun   = "organization.swedish.municipality_code"
		cty   = "organization.swedish.county_code"
		intl  = "organization.international"
		ctry  = "organization.international.country_code"
		gkind = "organization.international.government_kind"
	)
	swedish := func(k OrgKind, n OrgNumber, munCode, county string) Organization {
		return Organization{Kind: k, Name: "Org", Swedish: &SwedishDetails{OrgNumber: n, MunicipalityCode: munCode, CountyCode: county}}
	}
	abroad := func(country, gov string) Organization {
		return Organization{Kind: KindInternationalLocalGovernment, Name: "Gov",
			International: &InternationalDetails{CountryCode: country, GovernmentKind: gov}}
	}
	with := func(o Organization, f func(*Organization)) Organization { f(&o); return o }

	tests := []struct {
		name string
		org  Organization
		want map[string]string
	}{
		{"Malmö stad", malmo(), nil},
		{"Växjö kommun, number typed with hyphen", swedish(KindMunicipality, "212000-0662", "0780", "07"), nil},
		{"Gotland as municipality", swedish(KindMunicipality, "2120000803", "0980", ""), nil},
		{"Region Stockholm", swedish(KindRegion, "2321000016", "", "01"), nil},
		{"Region Gotland has a municipality number", swedish(KindRegion, "2120000803", "0980", "09"), nil},
		{"municipal company", swedish(KindMunicipalCompany, "5560160680", "", ""), nil},
		{"local federation with seat", swedish(KindLocalFederation, "2220000000", "1280", "12"), nil},
		{"municipal association", swedish(KindMunicipalAssociation, "8020020007", "", ""), nil},
		{"Lusaka", lusaka(), nil},
		{"Kosovo", abroad("XK", "municipality"), nil},
		{"name of 200 characters with å", with(malmo(), func(o *Organization) { o.Name = strings.Repeat("å", 200) }), nil},
		{"name padded with spaces", with(malmo(), func(o *Organization) { o.Name = "  Malmö stad  " }), nil},

		{"empty name", with(malmo(), func(o *Organization) { o.Name = "" }), map[string]string{name: "enter the name"}},
		{"blank name", with(malmo(), func(o *Organization) { o.Name = " \t " }), map[string]string{name: "enter the name"}},
		{"name too long", with(malmo(), func(o *Organization) { o.Name = strings.Repeat("a", 201) }), map[string]string{name: "201 characters; at most 200"}},
		{"control character in name", with(malmo(), func(o *Organization) { o.Name = "Malmö\x00stad" }), map[string]string{name: "control character"}},
		{"invalid UTF-8 name", with(malmo(), func(o *Organization) { o.Name = "Malm\xf6" }), map[string]string{name: "UTF-8"}},
		{"no kind", with(malmo(), func(o *Organization) { o.Kind = "" }), map[string]string{kind: "choose the kind"}},
		{"unknown kind", with(malmo(), func(o *Organization) { o.Kind = "kommun" }), map[string]string{kind: "municipality, region"}},

		{"Swedish kind without details", Organization{Kind: KindRegion, Name: "R"}, map[string]string{swe: "a region needs Swedish details"}},
		{"Swedish kind with international details", with(malmo(), func(o *Organization) { o.International = &InternationalDetails{CountryCode: "ZM"} }),
			map[string]string{intl: "leave them out"}},
		{"no org number", swedish(KindMunicipalCompany, "", "", ""), map[string]string{num: "enter an organisation number"}},
		{"wrong check digit", swedish(KindMunicipality, "2120001125", "1280", ""), map[string]string{num: "the check digit should be 4, not 5"}},
		{"municipality without code", swedish(KindMunicipality, "2120001124", "", ""), map[string]string{mun: "4-digit SCB code"}},
		{"municipality with unknown code", swedish(KindMunicipality, "2120001124", "9999", ""), map[string]string{mun: `"9999" is not an SCB municipality code`}},
		{"municipality code without leading zero", swedish(KindMunicipality, "2120000662", "780", ""), map[string]string{mun: "did you mean 0780?"}},
		{"county does not match municipality", swedish(KindMunicipality, "2120001124", "1280", "07"), map[string]string{cty: "municipality 1280 lies in county 12, not 07"}},
		{"unknown county", swedish(KindMunicipalCompany, "5560160680", "", "02"), map[string]string{cty: `"02" is not an SCB county code`}},
		{"municipality with a company's number", swedish(KindMunicipality, "5560160680", "1280", ""), map[string]string{num: "begins with 212000-"}},
		{"municipality with a region's number", swedish(KindMunicipality, "2321000016", "0180", ""), map[string]string{num: "this one begins with 232100-"}},
		{"region without county", swedish(KindRegion, "2321000016", "", ""), map[string]string{cty: "county, e.g. 12"}},
		{"region with a municipality number outside Gotland", swedish(KindRegion, "2120001124", "", "12"), map[string]string{num: "begins with 232100-"}},
		{"company with a municipality number", swedish(KindMunicipalCompany, "2120001124", "", ""), map[string]string{num: "belong to municipalities and regions, not to a municipal company"}},
		{"federation with a region number", swedish(KindLocalFederation, "2321000016", "", ""), map[string]string{num: "not to a local federation"}},

		{"international without details", Organization{Kind: KindInternationalLocalGovernment, Name: "G"}, map[string]string{intl: "needs its country"}},
		{"international with Swedish details", with(lusaka(), func(o *Organization) { o.Swedish = &SwedishDetails{OrgNumber: "2120001124"} }),
			map[string]string{swe: "no Swedish details"}},
		{"no country", abroad("", "district"), map[string]string{ctry: "enter the country's two-letter code"}},
		{"Sweden", abroad("SE", "municipality"), map[string]string{ctry: "abroad"}},
		{"Sweden in lower case", abroad("se", "municipality"), map[string]string{ctry: "abroad"}},
		{"lower-case country", abroad("ke", "county"), map[string]string{ctry: "in capitals: KE"}},
		{"unknown country", abroad("ZZ", "county"), map[string]string{ctry: `"ZZ" is not a country code`}},
		{"withdrawn country", abroad("AN", "island council"), map[string]string{ctry: `"AN" is not a country code`}},
		{"alpha-3 country", abroad("KEN", "county"), map[string]string{ctry: "ISO 3166-1 alpha-2"}},
		{"no government kind", abroad("KE", "  "), map[string]string{gkind: "enter the kind of government"}},
		{"government kind too long", abroad("KE", strings.Repeat("x", 101)), map[string]string{gkind: "101 characters; at most 100"}},

		{"several problems at once", Organization{Kind: KindMunicipality, Swedish: &SwedishDetails{OrgNumber: "12", MunicipalityCode: "12345", CountyCode: "x"}},
			map[string]string{name: "enter the name", num: "10 digits, not 2", mun: "not an SCB municipality code", cty: "not an SCB county code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := faulttest.Invalid(t, tt.org.Validate(), tt.want)
			// Messages name codes, never names looked up in reference data: those belong to the helpers.
			if tt.org.Swedish != nil {
				if m, ok := reference.MunicipalityByCode(tt.org.Swedish.MunicipalityCode); ok {
					for _, v := range vs {
						if strings.Contains(v.Description, m.Name) {
							t.Errorf("%s mentions %q", v.Field, m.Name)
						}
					}
				}
			}
		})
	}
}

func TestOrganizationValidateAtPrefix(t *testing.T) {
	o := malmo()
	o.Name = ""
	faulttest.Invalid(t, o.ValidateAt("organizations[2]"), map[string]string{"organizations[2].display_name": "enter the name"})
}

func TestOrganizationNames(t *testing.T) {
	tests := []struct {
		name                     string
		org                      Organization
		wantMun, wantCty, wantCo string
	}{
		{"municipality derives its county", malmo(), "Malmö kommun", "Skåne län", ""},
		{"county code wins", Organization{Swedish: &SwedishDetails{MunicipalityCode: "0980", CountyCode: "09"}}, "Gotlands kommun", "Gotlands län", ""},
		{"region", Organization{Swedish: &SwedishDetails{CountyCode: "01"}}, "", "Stockholms län", ""},
		{"unknown codes", Organization{Swedish: &SwedishDetails{MunicipalityCode: "9999"}}, "", "", ""},
		{"international", lusaka(), "", "", "Zambia"},
		{"nothing", Organization{}, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				what string
				get  func() (string, bool)
				want string
			}{
				{"MunicipalityName", tt.org.MunicipalityName, tt.wantMun},
				{"CountyName", tt.org.CountyName, tt.wantCty},
				{"CountryName", tt.org.CountryName, tt.wantCo},
			} {
				got, ok := c.get()
				if got != c.want || ok != (c.want != "") {
					t.Errorf("%s() = %q, %v; want %q", c.what, got, ok, c.want)
				}
			}
		})
	}
}

func TestOrgKinds(t *testing.T) {
	tests := []struct {
		k                      OrgKind
		valid, swedish, abroad bool
		labelContains          string
	}{
		{KindMunicipality, true, true, false, "a municipality"},
		{KindRegion, true, true, false, "a region"},
		{KindLocalFederation, true, true, false, "kommunalförbund"},
		{KindMunicipalCompany, true, true, false, "municipal company"},
		{KindMunicipalAssociation, true, true, false, "owned or controlled by municipalities"},
		{KindInternationalLocalGovernment, true, false, true, "international local government"},
		{KindUnspecified, false, false, false, "unspecified"},
		{"kommun", false, false, false, "unspecified"},
	}
	for _, tt := range tests {
		if tt.k.Valid() != tt.valid || tt.k.IsSwedish() != tt.swedish || tt.k.IsInternational() != tt.abroad ||
			!strings.Contains(tt.k.Label(), tt.labelContains) {
			t.Errorf("%q: Valid %v IsSwedish %v IsInternational %v Label %q", tt.k, tt.k.Valid(), tt.k.IsSwedish(), tt.k.IsInternational(), tt.k.Label())
		}
	}
	if got := OrgKinds(); len(got) != 6 {
		t.Errorf("OrgKinds() = %v", got)
	}
}
