package programme

import (
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

func TestDefaultCountries(t *testing.T) {
	all := DefaultCountries()
	if len(all) != 22 {
		t.Fatalf("%d default countries; want 14 current and 8 former", len(all))
	}
	current := 0
	for i, c := range all {
		faulttest.Invalid(t, c.Validate("country"), nil)
		if c.Period.OpenEnded() {
			current++
		}
		others := append(append([]CountryEligibility{}, all[:i]...), all[i+1:]...)
		if err := CheckNoOverlap(others, c); err != nil {
			t.Errorf("%s appears twice: %v", c.CountryCode, err)
		}
	}
	if current != 14 {
		t.Errorf("%d current countries; want 14", current)
	}
	// The Växjö–An Giang demo partnership must stay valid: Vietnam was eligible when it began.
	if _, err := CheckEligible(all, "VN", d(t, "2015-06-01")); err != nil {
		t.Errorf("Vietnam on 2015-06-01: %v", err)
	}
}

func TestCheckEligible(t *testing.T) {
	versions := DefaultCountries()
	returning := append(append([]CountryEligibility{}, versions...),
		CountryEligibility{ID: "mz2", CountryCode: "MZ", Cluster: ClusterSouthernAfrica, Period: per("2027-01-01", "")})
	tests := []struct {
		name     string
		versions []CountryEligibility
		code, on string
		wantMsg  string
	}{
		{"current country", versions, "KE", "2026-11-26", ""},
		{"current country on its first day", versions, "XK", "2010-01-01", ""},
		{"former country on its last day", versions, "VN", "2022-12-31", ""},
		{"former country, eligibility ended the day before", versions, "VN", "2023-01-01",
			"Vietnam (VN) was a cooperation country from 2010-01-01 to 2022-12-31, not on 2023-01-01"},
		{"former country, years later", versions, "VN", "2026-11-26",
			"Vietnam (VN) was a cooperation country from 2010-01-01 to 2022-12-31, not on 2026-11-26"},
		{"before it became eligible", versions, "KE", "2009-12-31",
			"Kenya (KE) becomes a cooperation country from 2010-01-01, not on 2009-12-31"},
		{"eligible again later", returning, "MZ", "2025-05-05",
			"Mozambique (MZ) was a cooperation country from 2010-01-01 to 2022-12-31 and becomes one again from 2027-01-01, not on 2025-05-05"},
		{"eligible again, first day", returning, "MZ", "2027-01-01", ""},
		{"never", versions, "NO", "2026-11-26", "Norway (NO) has never been a cooperation country"},
		{"formal ISO name replaced", versions, "TZ", "2009-01-01", "Tanzania (TZ) becomes"},
		{"unknown code", versions, "QQ", "2026-11-26", `"QQ" is not a known country code`},
		{"lower case is not matched", versions, "ke", "2026-11-26", `"ke" is not a known country code`},
		{"no data at all", nil, "KE", "2026-11-26", "Kenya (KE) has never been a cooperation country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckEligible(tt.versions, tt.code, d(t, tt.on))
			if tt.wantMsg == "" {
				if err != nil || got.CountryCode != tt.code || !got.Period.Contains(d(t, tt.on)) {
					t.Fatalf("got %+v, %v; want the version valid on %s", got, err, tt.on)
				}
				return
			}
			fp := faulttest.Precondition(t, err, ReasonCountryNotEligible, TypeEligibility, tt.wantMsg)
			if fp.Violations[0].Subject != "countries/"+tt.code {
				t.Errorf("Subject = %q", fp.Violations[0].Subject)
			}
			if got != (CountryEligibility{}) {
				t.Errorf("got %+v alongside the error", got)
			}
		})
	}
}

// TestClusterOf: a partnership keeps the cluster of its eligibility date, also when the country later moves
// to another cluster or leaves; a day no version covers has no cluster.
func TestClusterOf(t *testing.T) {
	versions := append(DefaultCountries(),
		CountryEligibility{CountryCode: "VN", Cluster: ClusterSouthernAfrica, Period: per("2030-01-01", "")}) // not real: a move
	tests := []struct {
		code, on string
		want     Cluster
	}{
		{"ZM", "2026-11-26", ClusterSouthernAfrica},
		{"VN", "2015-06-01", ClusterAsia},
		{"VN", "2022-12-31", ClusterAsia},
		{"VN", "2026-11-26", ""},
		{"VN", "2030-01-01", ClusterSouthernAfrica},
		{"NO", "2026-11-26", ""},
		{"KE", "2009-12-31", ""},
	}
	for _, tt := range tests {
		if got := ClusterOf(versions, tt.code, d(t, tt.on)); got != tt.want {
			t.Errorf("ClusterOf(%s, %s) = %q, want %q", tt.code, tt.on, got, tt.want)
		}
	}
}

func TestCountryEligibilityValidate(t *testing.T) {
	ok := CountryEligibility{CountryCode: "KE", Cluster: ClusterEastAfrica, Period: per("2010-01-01", "")}
	tests := []struct {
		name string
		edit func(*CountryEligibility)
		want map[string]string
	}{
		{"valid", func(*CountryEligibility) {}, nil},
		{"Kosovo's user-assigned code", func(c *CountryEligibility) { c.CountryCode = "XK"; c.Cluster = ClusterEurope }, nil},
		{"no code", func(c *CountryEligibility) { c.CountryCode = "" }, map[string]string{"c.country_code": "enter the country's two-letter code"}},
		{"lower case", func(c *CountryEligibility) { c.CountryCode = "ke" }, map[string]string{"c.country_code": "capitals: KE"}},
		{"unknown code", func(c *CountryEligibility) { c.CountryCode = "QQ" }, map[string]string{"c.country_code": `"QQ" is not a country code`}},
		{"three letters", func(c *CountryEligibility) { c.CountryCode = "KEN" }, map[string]string{"c.country_code": "two-letter ISO 3166-1"}},
		{"unknown cluster", func(c *CountryEligibility) { c.Cluster = "oceania" }, map[string]string{"c.cluster": `"oceania" is not a cluster; choose europe`}},
		{"no cluster", func(c *CountryEligibility) { c.Cluster = "" }, map[string]string{"c.cluster": "is not a cluster"}},
		{"ends before it starts", func(c *CountryEligibility) { c.Period = per("2020-01-01", "2019-12-31") },
			map[string]string{"c.valid_to": "before the first day"}},
		{"no start", func(c *CountryEligibility) { c.Period = Period{} }, map[string]string{"c.valid_from": "enter the first day"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			faulttest.Invalid(t, c.Validate("c"), tt.want)
		})
	}
	faulttest.Invalid(t, ok.Validate(""), nil)
	bad := ok
	bad.Cluster = "x"
	faulttest.Invalid(t, bad.Validate(""), map[string]string{"cluster": "not a cluster"})
}

func TestCheckCountryCode(t *testing.T) {
	faulttest.Invalid(t, CheckCountryCode("UA", "country"), nil)
	faulttest.Invalid(t, CheckCountryCode("ua", "country"), map[string]string{"country": "capitals: UA"})
	faulttest.Invalid(t, CheckCountryCode("", "country"), map[string]string{"country": "enter the country's"})
	faulttest.Invalid(t, CheckCountryCode("AN", "country"), map[string]string{"country": "not a country code"}) // withdrawn
}

func TestClusters(t *testing.T) {
	for _, c := range Clusters() {
		if !c.Valid() || c.Label() == string(c) {
			t.Errorf("cluster %q: valid %v, label %q", c, c.Valid(), c.Label())
		}
	}
	if Cluster("oceania").Valid() || Cluster("").Valid() {
		t.Error("unknown clusters must not be valid")
	}
	if got := ClusterLatinAmerica.Label(); got != "Latin America" {
		t.Errorf("Label = %q", got)
	}
}

func TestCheckNoOverlap(t *testing.T) {
	existing := []CountryEligibility{
		{ID: "1", CountryCode: "VN", Cluster: ClusterAsia, Period: per("2010-01-01", "2022-12-31")},
		{ID: "2", CountryCode: "KE", Cluster: ClusterEastAfrica, Period: per("2010-01-01", "")},
	}
	tests := []struct {
		name    string
		c       CountryEligibility
		wantMsg string
	}{
		{"next day after the end", CountryEligibility{CountryCode: "VN", Period: per("2023-01-01", "")}, ""},
		{"touching the last day", CountryEligibility{CountryCode: "VN", Period: per("2022-12-31", "")},
			"the period from 2022-12-31 overlaps the eligibility of Vietnam (VN) from 2010-01-01 to 2022-12-31"},
		{"inside", CountryEligibility{CountryCode: "KE", Period: per("2020-01-01", "2020-12-31")}, "Kenya (KE) from 2010-01-01"},
		{"another country's dates do not matter", CountryEligibility{CountryCode: "UG", Period: per("2010-01-01", "")}, ""},
		{"an update of itself", CountryEligibility{ID: "1", CountryCode: "VN", Period: per("2010-01-01", "2024-12-31")}, ""},
		{"a new version without an ID", CountryEligibility{CountryCode: "VN", Period: per("2015-01-01", "2015-12-31")}, "overlaps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNoOverlap(existing, tt.c)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("got %v; want none", err)
				}
				return
			}
			faulttest.Precondition(t, err, ReasonPeriodOverlap, TypeEligibility, tt.wantMsg)
		})
	}
}
