package domain

import (
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

// jinja is Region Stockholm with Jinja, Uganda, whose inception starts on the health network's cohort start.
func jinja(t testing.TB) Candidate {
	return Candidate{
		PartnershipID: "p-jinja", Title: "Stockholm and Jinja", State: "inception",
		CountryCode: "UG", CountryCluster: ClusterEastAfrica, InceptionStart: d(t, "2021-01-01"),
	}
}

func TestCheckJoinEachRule(t *testing.T) {
	climate := Network{ID: "n-climate", Name: "Climate action", Status: StatusRunning}
	tests := []struct {
		name    string
		network func(*Network)
		cand    func(*Candidate)
		running []Network
		reason  string // "" means c may join
		text    string
	}{
		{name: "joins"},
		{name: "inception exactly 31 days early", cand: func(c *Candidate) { c.InceptionStart = d(t, "2020-12-01") }},
		{name: "inception exactly 31 days late", cand: func(c *Candidate) { c.InceptionStart = d(t, "2021-02-01") }},
		{name: "inception 32 days early", cand: func(c *Candidate) { c.InceptionStart = d(t, "2020-11-30") },
			reason: ReasonInceptionNotAligned, text: "starts on 2020-11-30, 32 days before the cohort start; a member's inception starts within 31 days of the cohort start on 2021-01-01 (2020-12-01 to 2021-02-01)"},
		{name: "inception 32 days late", cand: func(c *Candidate) { c.InceptionStart = d(t, "2021-02-02") },
			reason: ReasonInceptionNotAligned, text: "32 days after the cohort start"},
		{name: "tolerance across a leap day", network: func(n *Network) { n.CohortStart = d(t, "2024-02-15") },
			cand: func(c *Candidate) { c.InceptionStart = d(t, "2024-03-17") }}, // 31 days, counting 29 February
		{name: "one day past it across a leap day", network: func(n *Network) { n.CohortStart = d(t, "2024-02-15") },
			cand:   func(c *Candidate) { c.InceptionStart = d(t, "2024-03-18") },
			reason: ReasonInceptionNotAligned, text: "32 days after"},
		{name: "no inception application", cand: func(c *Candidate) { c.InceptionStart = Date{}; c.State = "submitted" },
			reason: ReasonInceptionNotAligned, text: `the partnership "Stockholm and Jinja" has no inception application; create the inception application first, starting within 31 days`},
		{name: "planned network", network: func(n *Network) { n.Status = StatusPlanned },
			reason: ReasonNetworkNotRecruiting, text: `the network "Equitable health, East Africa" is still planned; partnerships join while it is recruiting`},
		{name: "running network", network: func(n *Network) { n.Status = StatusRunning },
			reason: ReasonNetworkNotRecruiting, text: "is already running"},
		{name: "closed network", network: func(n *Network) { n.Status = StatusClosed },
			reason: ReasonNetworkNotRecruiting, text: "is closed; a closed network takes no new members"},
		{name: "unknown status", network: func(n *Network) { n.Status = "" },
			reason: ReasonNetworkNotRecruiting, text: "only while it is recruiting"},
		{name: "Kenya in a Southern Africa network", network: func(n *Network) { n.Cluster = ClusterSouthernAfrica },
			cand:   func(c *Candidate) { c.CountryCode, c.CountryCluster = "KE", ClusterEastAfrica },
			reason: ReasonClusterMismatch, text: "Kenya (KE) lies in East Africa; this network is for Southern Africa"},
		{name: "country in no cluster", cand: func(c *Candidate) { c.CountryCode, c.CountryCluster = "FR", "" },
			reason: ReasonClusterMismatch, text: `the country "FR" lies in no cluster of the programme; this network is for East Africa`},
		{name: "already in a running network", running: []Network{climate},
			reason: ReasonAlreadyInANetwork, text: `"Stockholm and Jinja" is already a member of the network "Climate action", which is running; a partnership belongs to one network at a time`},
		{name: "already in a recruiting network", running: []Network{{ID: "n-x", Name: "Rights", Status: StatusRecruiting}},
			reason: ReasonAlreadyInANetwork, text: `the network "Rights", which is recruiting`},
		{name: "closed and planned others and the network itself do not count",
			running: []Network{{ID: "n-old", Status: StatusClosed}, {ID: "n-next", Status: StatusPlanned}, {ID: "n-health", Status: StatusRecruiting}}},
		{name: "completed partnership", cand: func(c *Candidate) { c.State = "completed" },
			reason: ReasonPartnershipClosed, text: `the partnership "Stockholm and Jinja" is completed; completed and terminated partnerships cannot join`},
		{name: "terminated partnership", cand: func(c *Candidate) { c.State = "terminated" },
			reason: ReasonPartnershipClosed, text: "is terminated"},
		{name: "active partnership may join", cand: func(c *Candidate) { c.State = "active" }},
		{name: "no title names the id", cand: func(c *Candidate) { c.Title = ""; c.State = "terminated" },
			reason: ReasonPartnershipClosed, text: "partnership p-jinja is terminated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, c := health(t), jinja(t)
			if tt.network != nil {
				tt.network(&n)
			}
			if tt.cand != nil {
				tt.cand(&c)
			}
			err := CheckJoin(n, c, tt.running, DefaultMembershipRule())
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("CheckJoin = %v; want nil", err)
				}
				return
			}
			fp := faulttest.Precondition(t, err, tt.reason, TypeNetworkMembership, tt.text)
			if len(fp.Violations) != 1 {
				t.Errorf("got %d violations, want 1: %+v", len(fp.Violations), fp.Violations)
			}
		})
	}
}

func TestCheckJoinListsEveryBrokenRule(t *testing.T) {
	n := health(t)
	n.Status, n.Cluster = StatusClosed, ClusterSouthernAfrica
	c := jinja(t)
	c.State, c.CountryCode, c.InceptionStart = "terminated", "KE", Date{}
	running := []Network{{ID: "a", Name: "A", Status: StatusRunning}, {ID: "b", Name: "B", Status: StatusRecruiting}}
	fp := faulttest.Precondition(t, CheckJoin(n, c, running, DefaultMembershipRule()), ReasonNetworkNotRecruiting, TypeNetworkMembership, "is closed")
	var got []string
	for _, v := range fp.Violations {
		got = append(got, v.Subject)
	}
	want := "networks/n-health partnerships/p-jinja partnerships/p-jinja partnerships/p-jinja partnerships/p-jinja partnerships/p-jinja"
	if strings.Join(got, " ") != want {
		t.Errorf("subjects %v; want %s", got, want)
	}
	for _, text := range []string{"Kenya (KE) lies in East Africa", `network "A"`, `network "B"`, "no inception application", "is terminated"} {
		if !strings.Contains(fp.Message, text) {
			t.Errorf("message %q lacks %q", fp.Message, text)
		}
	}

	// The Reason is the first broken rule's, in the documented order.
	n = health(t)
	c.State = "inception"
	fp = faulttest.Precondition(t, CheckJoin(n, c, nil, DefaultMembershipRule()), ReasonInceptionNotAligned, TypeNetworkMembership, "no inception")
	if len(fp.Violations) != 1 {
		t.Errorf("violations %+v", fp.Violations)
	}
	c.CountryCluster = ClusterSouthernAfrica
	faulttest.Precondition(t, CheckJoin(n, c, running, DefaultMembershipRule()), ReasonClusterMismatch, TypeNetworkMembership, "this network is for East Africa")
}

func TestCheckJoinToleranceIsData(t *testing.T) {
	n, c := health(t), jinja(t)
	c.InceptionStart = d(t, "2021-03-01") // 59 days late
	if err := CheckJoin(n, c, nil, MembershipRule{ToleranceDays: 59}); err != nil {
		t.Errorf("tolerance 59: %v", err)
	}
	faulttest.Precondition(t, CheckJoin(n, c, nil, MembershipRule{ToleranceDays: 58}), ReasonInceptionNotAligned, TypeNetworkMembership, "within 58 days")
	c.InceptionStart = n.CohortStart
	if err := CheckJoin(n, c, nil, MembershipRule{}); err != nil {
		t.Errorf("tolerance 0, same day: %v", err)
	}
	c.InceptionStart = n.CohortStart.AddDays(1)
	faulttest.Precondition(t, CheckJoin(n, c, nil, MembershipRule{}), ReasonInceptionNotAligned, TypeNetworkMembership, "1 day after the cohort start; a member's inception starts within 0 days")
	faulttest.Precondition(t, CheckJoin(n, c, nil, MembershipRule{ToleranceDays: -5}), ReasonInceptionNotAligned, TypeNetworkMembership, "within 0 days")
}

func TestMembershipRuleValidate(t *testing.T) {
	if DefaultMembershipRule().ToleranceDays != 31 {
		t.Fatalf("default tolerance %d; want 31", DefaultMembershipRule().ToleranceDays)
	}
	faulttest.Invalid(t, DefaultMembershipRule().Validate("rule"), nil)
	faulttest.Invalid(t, MembershipRule{}.Validate("rule"), nil)
	faulttest.Invalid(t, MembershipRule{ToleranceDays: 366}.Validate("rule"), nil)
	faulttest.Invalid(t, MembershipRule{ToleranceDays: -1}.Validate("rule"), map[string]string{"rule.tolerance_days": "0 to 366 days"})
	faulttest.Invalid(t, MembershipRule{ToleranceDays: 367}.Validate(""), map[string]string{"tolerance_days": "not 367"})
}

func TestMembershipActiveAndCheckRemoval(t *testing.T) {
	active := Membership{NetworkID: "n-health", PartnershipID: "p-jinja", Joined: d(t, "2021-01-10")}
	removed := active
	removed.Removed, removed.RemovalReason = d(t, "2022-05-01"), "the partnership ended early"
	if !active.Active() || removed.Active() {
		t.Fatal("Active must follow Removed")
	}
	tests := []struct {
		name   string
		m      Membership
		reason string
		want   map[string]string
	}{
		{"removed with a reason", active, "moved to the climate network", nil},
		{"multi-line reason", active, "line one\nline two", nil},
		{"reason of 2000 characters", active, strings.Repeat("ö", 2000), nil},
		{"no reason", active, "", map[string]string{"reason": "enter the reason for the removal"}},
		{"blank reason", active, " \n ", map[string]string{"reason": "enter the reason"}},
		{"reason too long", active, strings.Repeat("a", 2001), map[string]string{"reason": "2001 characters; at most 2000"}},
		{"control character", active, "a\x07", map[string]string{"reason": "control character"}},
		{"bad input first, even when already removed", removed, "", map[string]string{"reason": "enter"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { faulttest.Invalid(t, CheckRemoval(tt.m, tt.reason), tt.want) })
	}
	faulttest.Precondition(t, CheckRemoval(removed, "again"), ReasonAlreadyRemoved, TypeNetworkMembership,
		`partnership p-jinja was removed from this network on 2022-05-01 ("the partnership ended early"); a removal is recorded once`)
}
