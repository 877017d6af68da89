package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"
)

// Cluster is a group of cooperation countries in one region of the world. A network gathers partnerships of
// one cluster, so the values are the partnership service's, which reports each partnership's cluster. The
// API's enum (partnerskap.type.v1.Cluster) names the same values: CLUSTER_EAST_AFRICA is "east_africa"
// (platform/enumword).
type Cluster string

// The clusters ICLD groups its cooperation countries in, spelled as the partnership service spells them.
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

// Label names c in words ("Southern Africa"); an unknown cluster is shown as its code.
func (c Cluster) Label() string {
	if l, ok := clusterLabels[c]; ok {
		return l
	}
	return string(c)
}

// clusterChoices lists the cluster codes for a message that asks the client to pick one.
func clusterChoices() string {
	names := make([]string, 0, len(clusterLabels))
	for _, c := range Clusters() {
		// As a client sends it: the API's enum value, whose name is the word in capitals after CLUSTER_
		// (platform/enumword), so that the refusal can be followed as written.
		names = append(names, "CLUSTER_"+strings.ToUpper(string(c)))
	}
	return prose.JoinOr(names)
}

// countryNames names the countries that are, or were, cooperation countries (programme.md), so that a
// refusal reads "Kenya (KE)". The partnership service reports only the code; this service may not import
// that service's ISO list, and any other code is shown as it is.
var countryNames = map[string]string{
	"BA": "Bosnia and Herzegovina", "XK": "Kosovo", "RS": "Serbia", "UA": "Ukraine",
	"CO": "Colombia", "GT": "Guatemala",
	"KE": "Kenya", "TZ": "Tanzania", "UG": "Uganda", "RW": "Rwanda",
	"BW": "Botswana", "ZA": "South Africa", "ZM": "Zambia", "ZW": "Zimbabwe",
	"VN": "Vietnam", "ID": "Indonesia", "CN": "China",
	"GE": "Georgia", "MD": "Moldova", "TR": "Türkiye",
	"MZ": "Mozambique", "NA": "Namibia",
}

// countryDisplay writes "Kenya (KE)", clear to people and still showing the code; an unknown code is quoted.
func countryDisplay(code string) string {
	if n, ok := countryNames[code]; ok {
		return fmt.Sprintf("%s (%s)", n, code)
	}
	if code == "" {
		return "an unknown country"
	}
	return "the country " + prose.Quote(code)
}
