package domain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

// health is the brochure's equitable-health network, valid as written.
func health(t testing.TB) Network {
	return Network{
		ID: "n-health", Name: "Equitable health, East Africa", Theme: "equitable health", Cluster: ClusterEastAfrica,
		CohortStart: d(t, "2021-01-01"), DurationMonths: 48, Status: StatusRecruiting,
		CoordinatorSubject: "coordinator-1", ResearchAdvisor: "Dr. Amina Odhiambo", CommunicationContact: "ICLD communications",
		Experts: []Expert{{Name: "Ingrid Berg", Field: "public health", Organization: "Karolinska Institutet"}, {Name: "Independent"}},
	}
}

func TestNetworkEnd(t *testing.T) {
	tests := []struct {
		start  string
		months int
		want   string
	}{
		{"2021-01-01", 48, "2024-12-31"}, // the brochure's 2021-24
		{"2021-01-01", 0, "2024-12-31"},  // unset means the default four years
		{"2022-03-01", 48, "2026-02-28"},
		{"2024-03-01", 48, "2028-02-29"}, // the day before 1 March in a leap year
		{"2021-01-31", 1 * 12, "2022-01-30"},
		{"2020-02-29", 12, "2021-02-27"}, // 2021-02-28 (clamped) less one day
		{"2021-01-01", 120, "2030-12-31"},
		{"", 48, ""}, // no start, no end
	}
	for _, tt := range tests {
		n := Network{CohortStart: d(t, tt.start), DurationMonths: tt.months}
		if got := n.End().String(); got != tt.want {
			t.Errorf("start %s + %d months: End() = %s; want %s", tt.start, tt.months, got, tt.want)
		}
	}
	if (Network{}).Months() != DefaultDurationMonths || (Network{DurationMonths: 24}).Months() != 24 {
		t.Error("Months must default to 48 and keep a set duration")
	}
}

func TestNetworkValidate(t *testing.T) {
	long := strings.Repeat("å", 201)
	tests := []struct {
		name   string
		change func(*Network)
		want   map[string]string
	}{
		{"valid", func(*Network) {}, nil},
		{"default duration", func(n *Network) { n.DurationMonths = 0 }, nil},
		{"no status yet", func(n *Network) { n.Status = "" }, nil},
		{"a theme an admin names", func(n *Network) { n.Theme = "gender equality" }, nil},
		{"no people", func(n *Network) {
			n.CoordinatorSubject, n.ResearchAdvisor, n.CommunicationContact, n.Experts = "", "", "", nil
		}, nil},
		{"name 200 characters", func(n *Network) { n.Name = long[:200*2] }, nil},
		{"theme 100 characters", func(n *Network) { n.Theme = strings.Repeat("a", 100) }, nil},
		{"duration bounds", func(n *Network) { n.DurationMonths = 12 }, nil},
		{"duration upper bound", func(n *Network) { n.DurationMonths = 120 }, nil},
		{"no name", func(n *Network) { n.Name = "  " }, map[string]string{"network.display_name": "enter the network's name"}},
		{"long name", func(n *Network) { n.Name = long }, map[string]string{"network.display_name": "201 characters; at most 200"}},
		{"control character", func(n *Network) { n.Name = "Health\x00" }, map[string]string{"network.display_name": "control character"}},
		{"bad UTF-8", func(n *Network) { n.Name = "\xff" }, map[string]string{"network.display_name": "not valid UTF-8"}},
		{"no theme", func(n *Network) { n.Theme = "" }, map[string]string{"network.theme": `enter the theme, e.g. "human rights"`}},
		{"long theme", func(n *Network) { n.Theme = strings.Repeat("a", 101) }, map[string]string{"network.theme": "at most 100"}},
		{"no cluster", func(n *Network) { n.Cluster = "" }, map[string]string{"network.cluster": "choose the network's cluster: CLUSTER_EUROPE, CLUSTER_LATIN_AMERICA"}},
		{"unknown cluster", func(n *Network) { n.Cluster = "africa" }, map[string]string{"network.cluster": `"africa" is not a cluster`}},
		{"no cohort start", func(n *Network) { n.CohortStart = Date{} }, map[string]string{"network.cohort_start": "enter the cohort start"}},
		{"impossible cohort start", func(n *Network) { n.CohortStart = Date{Year: 2021, Month: 2, Day: 30} }, map[string]string{"network.cohort_start": "2021-02-30 is not a calendar date"}},
		{"cohort start out of range", func(n *Network) { n.CohortStart = Date{Year: 21, Month: 1, Day: 1} }, map[string]string{"network.cohort_start": "outside 1900 to 2200"}},
		{"too short", func(n *Network) { n.DurationMonths = 11 }, map[string]string{"network.duration_months": "12 to 120 months"}},
		{"too long", func(n *Network) { n.DurationMonths = 121 }, map[string]string{"network.duration_months": "not 121"}},
		{"negative", func(n *Network) { n.DurationMonths = -48 }, map[string]string{"network.duration_months": "not -48"}},
		{"unknown status", func(n *Network) { n.Status = "paused" }, map[string]string{"network.state": `"paused" is not a network state`}},
		{"people", func(n *Network) {
			n.CoordinatorSubject, n.ResearchAdvisor, n.CommunicationContact = long, "a\nb", long
		}, map[string]string{
			"network.coordinator":           "at most 200",
			"network.research_advisor":      "control character",
			"network.communication_contact": "at most 200",
		}},
		{"experts", func(n *Network) {
			n.Experts = []Expert{{Name: "ok"}, {Name: ""}, {Name: "x", Field: long, Organization: "a\tb"}}
		}, map[string]string{
			"network.experts[1].name":         "enter the expert's name",
			"network.experts[2].field":        "at most 200",
			"network.experts[2].organization": "control character",
		}},
		{"too many experts", func(n *Network) { n.Experts = make([]Expert, 101) }, map[string]string{"network.experts": "101 experts"}},
		{"everything at once", func(n *Network) { *n = Network{DurationMonths: 1} }, map[string]string{
			"network.display_name": "enter", "network.theme": "enter", "network.cluster": "choose",
			"network.cohort_start": "enter", "network.duration_months": "not 1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := health(t)
			tt.change(&n)
			faulttest.Invalid(t, n.Validate("network"), tt.want)
		})
	}
}

func TestNetworkValidatePrefix(t *testing.T) {
	n := health(t)
	n.Name = ""
	faulttest.Invalid(t, n.Validate(""), map[string]string{"display_name": "enter"})
	faulttest.Invalid(t, n.Validate("request.network"), map[string]string{"request.network.display_name": "enter"})
}

func TestNetworkValidateIsDeterministic(t *testing.T) {
	n := Network{CoordinatorSubject: "\x01", ResearchAdvisor: "\x01", CommunicationContact: "\x01"}
	first := fmt.Sprint(n.Validate("network"))
	for range 20 {
		if got := fmt.Sprint(n.Validate("network")); got != first {
			t.Fatalf("the same network gave %q, then %q", first, got)
		}
	}
}

func TestDefaultThemes(t *testing.T) {
	got := DefaultThemes()
	if strings.Join(got, "|") != "human rights|equitable health|climate action" {
		t.Fatalf("DefaultThemes() = %v", got)
	}
	got[0] = "changed"
	if DefaultThemes()[0] != "human rights" {
		t.Error("DefaultThemes must return a fresh slice")
	}
	for _, th := range DefaultThemes() {
		n := health(t)
		n.Theme = th
		faulttest.Invalid(t, n.Validate("network"), nil)
	}
}
