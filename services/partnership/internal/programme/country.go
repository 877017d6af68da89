package programme

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/partnership/internal/reference"
)

// Cluster is a group of cooperation countries in one region of the world; networks and budgets follow it.
type Cluster string

// The clusters ICLD groups its cooperation countries in.
const (
	ClusterEurope         Cluster = "europe"
	ClusterLatinAmerica   Cluster = "latin_america"
	ClusterEastAfrica     Cluster = "east_africa"
	ClusterSouthernAfrica Cluster = "southern_africa"
	ClusterAsia           Cluster = "asia"
)

// clusterLabels names each cluster in words, for messages.
var clusterLabels = map[Cluster]string{
	ClusterEurope:         "Europe",
	ClusterLatinAmerica:   "Latin America",
	ClusterEastAfrica:     "East Africa",
	ClusterSouthernAfrica: "Southern Africa",
	ClusterAsia:           "Asia",
}

// Clusters returns every cluster in the order programme.md lists them, Asia (former countries only) last.
func Clusters() []Cluster {
	return []Cluster{ClusterEurope, ClusterLatinAmerica, ClusterEastAfrica, ClusterSouthernAfrica, ClusterAsia}
}

// Valid reports whether c is a known cluster.
func (c Cluster) Valid() bool {
	_, ok := clusterLabels[c]
	return ok
}

// Label names c in words ("Latin America"); an unknown cluster is shown as its code.
func (c Cluster) Label() string {
	if l, ok := clusterLabels[c]; ok {
		return l
	}
	return string(c)
}

// CountryEligibility is one version of a country's place in the programme. A country may have several
// versions that do not overlap (eligible, dropped, eligible again); a partnership keeps the eligibility it
// had when it was approved, so versions are ended, never deleted.
type CountryEligibility struct {
	// ID is assigned by the store; empty for a version not yet stored.
	ID string
	// CountryCode is ISO 3166-1 alpha-2 in capitals, or XK for Kosovo.
	CountryCode string
	Cluster     Cluster
	Period      Period
}

// DefaultCountries returns the cooperation countries of programme.md, for seeding an empty database. IDs
// are empty: the store assigns them.
func DefaultCountries() []CountryEligibility {
	start := Date{Year: 2010, Month: 1, Day: 1}
	current := Period{From: start}
	// The former countries' dates are defaults, not history: programme.md only says they were on earlier
	// lists. 2010-01-01 keeps old partnerships (Växjö with An Giang, Vietnam) valid, and 2022-12-31 is a
	// placeholder end; the administrator corrects both through the API.
	former := Period{From: start, To: Date{Year: 2022, Month: 12, Day: 31}}
	groups := []struct {
		cluster Cluster
		period  Period
		codes   []string
	}{
		{ClusterEurope, current, []string{"BA", "XK", "RS", "UA"}},
		{ClusterLatinAmerica, current, []string{"CO", "GT"}},
		{ClusterEastAfrica, current, []string{"KE", "TZ", "UG", "RW"}},
		{ClusterSouthernAfrica, current, []string{"BW", "ZA", "ZM", "ZW"}},
		{ClusterAsia, former, []string{"VN", "ID", "CN"}},
		{ClusterEurope, former, []string{"GE", "MD", "TR"}},
		{ClusterSouthernAfrica, former, []string{"MZ", "NA"}},
	}
	var out []CountryEligibility
	for _, g := range groups {
		for _, code := range g.codes {
			out = append(out, CountryEligibility{CountryCode: code, Cluster: g.cluster, Period: g.period})
		}
	}
	return out
}

// commonNames are the names officials use where the ISO list's formal name would read oddly in a sentence
// ("Tanzania, the United Republic of").
var commonNames = map[string]string{
	"VN": "Vietnam",
	"TZ": "Tanzania",
	"MD": "Moldova",
}

// CountryName names a country for messages: its common name, else the name in the IATI Country list, else
// the code itself.
func CountryName(code string) string {
	if n, ok := commonNames[code]; ok {
		return n
	}
	if c, ok := reference.CountryByCode(code); ok {
		return c.Name
	}
	return code
}

// countryDisplay writes "Vietnam (VN)", so that a message is clear to people and still shows the code.
func countryDisplay(code string) string {
	if n := CountryName(code); n != code {
		return fmt.Sprintf("%s (%s)", n, code)
	}
	return prose.Quote(code)
}

// CheckCountryCode checks that code is a country code the programme can use: known in the IATI Country
// list and written in capitals. It returns a *fault.Invalid naming field, or nil.
func CheckCountryCode(code, field string) error {
	if msg := countryCodeProblem(code); msg != "" {
		return fault.InvalidField(field, msg)
	}
	return nil
}

func countryCodeProblem(code string) string {
	if code == "" {
		return "enter the country's two-letter code, e.g. KE for Kenya"
	}
	if _, ok := reference.CountryByCode(code); ok {
		return ""
	}
	if up := strings.ToUpper(code); up != code {
		if _, ok := reference.CountryByCode(up); ok {
			return fmt.Sprintf("write country codes in capitals: %s", up)
		}
	}
	return fmt.Sprintf("%s is not a country code; use the two-letter ISO 3166-1 code, e.g. KE for Kenya", prose.Quote(code))
}

// Validate checks c's own fields and returns a *fault.Invalid naming prefix.country_code, prefix.cluster,
// prefix.valid_from and prefix.valid_to, or nil.
func (c CountryEligibility) Validate(prefix string) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	if msg := countryCodeProblem(c.CountryCode); msg != "" {
		v.Add(path(prefix, "country_code"), msg)
	}
	if !c.Cluster.Valid() {
		v.Add(path(prefix, "cluster"), fmt.Sprintf("%s is not a cluster; choose %s", prose.Quote(string(c.Cluster)), clusterChoices()))
	}
	validatePeriod(v, c.Period, path(prefix, "valid_from"), path(prefix, "valid_to"))
	return v.Err()
}

func clusterChoices() string {
	names := make([]string, 0, len(clusterLabels))
	for _, c := range Clusters() {
		names = append(names, string(c))
	}
	return prose.JoinAnd(names)
}

// EligibilityOn returns the version under which the country with code is a cooperation country on the date
// on, and false when there is none. Versions of one country never overlap (CheckNoOverlap), so there is at
// most one.
func EligibilityOn(versions []CountryEligibility, code string, on Date) (CountryEligibility, bool) {
	for _, v := range versions {
		if v.CountryCode == code && v.Period.Contains(on) {
			return v, true
		}
	}
	return CountryEligibility{}, false
}

// ClusterOf is a partnership's cluster: that of its international party's country (code) in the version in
// force on its eligibility date, which it keeps when the country later changes cluster or leaves the
// programme (programme.md). It is empty when no version covers that day, which can happen only after an
// administrator shortened a period. The partnership service answers with it and its events carry it; no
// other service works it out.
func ClusterOf(versions []CountryEligibility, code string, eligibilityDate Date) Cluster {
	v, _ := EligibilityOn(versions, code, eligibilityDate)
	return v.Cluster
}

// CheckEligible finds the version under which the country with code is a cooperation country on the date
// on. When there is none it returns a *fault.FailedPrecondition (Reason COUNTRY_NOT_ELIGIBLE, Type
// ELIGIBILITY) that names the country and every period it was, or will be, eligible, if ever.
func CheckEligible(versions []CountryEligibility, code string, on Date) (CountryEligibility, error) {
	if v, ok := EligibilityOn(versions, code, on); ok {
		return v, nil
	}
	var past, future []string
	for _, v := range versions {
		if v.CountryCode != code {
			continue
		}
		if v.Period.From.After(on) {
			future = append(future, v.Period.phrase())
		} else {
			past = append(past, v.Period.phrase())
		}
	}
	name := countryDisplay(code)
	var msg string
	switch {
	case len(past) == 0 && len(future) == 0:
		msg = name + " has never been a cooperation country"
		if _, ok := reference.CountryByCode(code); !ok {
			msg = fmt.Sprintf("%s is not a known country code, and no such country has been a cooperation country", prose.Quote(code))
		}
	case len(future) == 0:
		msg = fmt.Sprintf("%s was a cooperation country %s, not on %s", name, prose.JoinAnd(past), on)
	case len(past) == 0:
		msg = fmt.Sprintf("%s becomes a cooperation country %s, not on %s", name, prose.JoinAnd(future), on)
	default:
		msg = fmt.Sprintf("%s was a cooperation country %s and becomes one again %s, not on %s", name, prose.JoinAnd(past), prose.JoinAnd(future), on)
	}
	return CountryEligibility{}, &fault.FailedPrecondition{
		Reason:     ReasonCountryNotEligible,
		Message:    msg,
		Violations: []fault.PreconditionViolation{{Type: TypeEligibility, Subject: "countries/" + code, Description: msg}},
	}
}

// CheckNoOverlap checks that c does not share a day with another version of the same country's
// eligibility. A version with c's own ID is skipped, so an update may move its own dates. It returns a
// *fault.FailedPrecondition (Reason PERIOD_OVERLAP, Type ELIGIBILITY) listing the clashing periods, or nil.
func CheckNoOverlap(existing []CountryEligibility, c CountryEligibility) error {
	var clashes []Period
	for _, e := range existing {
		if e.CountryCode != c.CountryCode || (c.ID != "" && e.ID == c.ID) {
			continue
		}
		if e.Period.Overlaps(c.Period) {
			clashes = append(clashes, e.Period)
		}
	}
	if len(clashes) == 0 {
		return nil
	}
	return overlapFault(TypeEligibility, "countries/"+c.CountryCode, "the eligibility of "+countryDisplay(c.CountryCode), c.Period, clashes)
}
