package domain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault/faulttest"
)

// training is a joint training of two health-network members, valid as written.
func training(t testing.TB) Activity {
	return Activity{
		Kind: KindJointTraining, Title: "Primary care data", Start: d(t, "2022-09-12"), End: d(t, "2022-09-14"),
		Host:           "Region Västerbotten",
		Participations: []Participation{{PartnershipID: "p-jinja", Participants: 6}, {PartnershipID: "p-homabay", Participants: 1}},
		Outcomes:       "Shared indicators.\nA joint plan.",
		Links:          []string{"https://icld.se/en/networks", "http://example.org/report.pdf?x=1#p2"},
	}
}

var members = []string{"p-jinja", "p-homabay", "p-uasingishu"}

func TestActivityValidate(t *testing.T) {
	long := strings.Repeat("x", 201)
	tests := []struct {
		name   string
		change func(*Activity)
		want   map[string]string
	}{
		{"valid", func(*Activity) {}, nil},
		{"one day", func(a *Activity) { a.End = a.Start }, nil},
		{"no participations, host, outcomes or links", func(a *Activity) {
			a.Participations, a.Host, a.Outcomes, a.Links = nil, "", "", nil
		}, nil},
		{"every kind", func(a *Activity) { a.Kind = KindResearchOutput }, nil},
		{"participant bounds", func(a *Activity) {
			a.Participations = []Participation{{"p-jinja", 1}, {"p-homabay", 500}}
		}, nil},
		{"20 links", func(a *Activity) { a.Links = make([]string, 20); fill(a.Links) }, nil},
		{"no kind", func(a *Activity) { a.Kind = "" }, map[string]string{"activity.kind": "choose the kind of activity: joint_training, south_south_visit, conference or research_output"}},
		{"unknown kind", func(a *Activity) { a.Kind = "workshop" }, map[string]string{"activity.kind": `"workshop" is not a kind of activity`}},
		{"no title", func(a *Activity) { a.Title = " " }, map[string]string{"activity.title": "enter the title"}},
		{"long title", func(a *Activity) { a.Title = long }, map[string]string{"activity.title": "at most 200"}},
		{"end before start", func(a *Activity) { a.End = d(t, "2022-09-11") },
			map[string]string{"activity.end_date": "the activity ends on 2022-09-11, before it starts on 2022-09-12"}},
		{"no dates", func(a *Activity) { a.Start, a.End = Date{}, Date{} }, map[string]string{
			"activity.start_date": "enter the first day of the activity", "activity.end_date": "enter the last day"}},
		{"impossible end, no order check", func(a *Activity) { a.End = Date{Year: 2022, Month: 2, Day: 29} },
			map[string]string{"activity.end_date": "2022-02-29 is not a calendar date"}},
		{"bad start, no order check", func(a *Activity) { a.Start = Date{Year: 2022, Month: 13, Day: 1}; a.End = d(t, "2000-01-01") },
			map[string]string{"activity.start_date": "not a calendar date"}},
		{"long host", func(a *Activity) { a.Host = long }, map[string]string{"activity.host": "at most 200"}},
		{"outcomes with a control character", func(a *Activity) { a.Outcomes = "ok\x00" }, map[string]string{"activity.outcomes": "control character"}},
		{"outcomes too long", func(a *Activity) { a.Outcomes = strings.Repeat("a", 5001) }, map[string]string{"activity.outcomes": "at most 5000"}},
		{"not a member", func(a *Activity) { a.Participations[1].PartnershipID = "p-kisumu" },
			map[string]string{"activity.participations[1].partnership_id": "partnership p-kisumu is not an active member of this network"}},
		{"no partnership", func(a *Activity) { a.Participations[0].PartnershipID = "" },
			map[string]string{"activity.participations[0].partnership_id": "choose the member partnership"}},
		{"listed twice", func(a *Activity) { a.Participations[1].PartnershipID = "p-jinja" },
			map[string]string{"activity.participations[1].partnership_id": "listed twice (also at activity.participations[0])"}},
		{"no participants", func(a *Activity) { a.Participations[0].Participants = 0 },
			map[string]string{"activity.participations[0].participants": "1 to 500, not 0"}},
		{"too many participants", func(a *Activity) { a.Participations[1].Participants = 501 },
			map[string]string{"activity.participations[1].participants": "not 501"}},
		{"too many links", func(a *Activity) { a.Links = make([]string, 21); fill(a.Links) },
			map[string]string{"activity.links": "21 links are given; at most 20"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := training(t)
			tt.change(&a)
			faulttest.Invalid(t, a.Validate(members, "activity"), tt.want)
		})
	}
}

func TestActivityValidateOnlyActiveMembers(t *testing.T) {
	a := training(t)
	faulttest.Invalid(t, a.Validate(nil, ""), map[string]string{
		"participations[0].partnership_id": "not an active member",
		"participations[1].partnership_id": "not an active member",
	})
}

func TestActivityLinks(t *testing.T) {
	tests := []struct {
		link string
		want string // "" means the link is accepted
	}{
		{"https://icld.se", ""},
		{"http://icld.se/a?b=c", ""},
		{"HTTPS://ICLD.SE/", ""},
		{"https://[2001:db8::1]/report", ""},
		{"", "enter the link"},
		{"icld.se", "is not a web address"},
		{"ftp://icld.se/report", "is not a web address"},
		{"javascript:alert(1)", "is not a web address"},
		{"file:///etc/passwd", "is not a web address"},
		{"https://", "is not a web address"},
		{"https:///path", "is not a web address"},
		{"https://icld.se/a b", "is not a web address"},
		{"https://icld.se/%zz", "is not a web address"},
		{"mailto:info@icld.se", "is not a web address"},
		{"https://icld.se/\n", "control character"},
		{"https://icld.se/" + strings.Repeat("a", 2000), "at most 2000"},
	}
	for _, tt := range tests {
		a := training(t)
		a.Links = []string{"https://icld.se", tt.link}
		var want map[string]string
		if tt.want != "" {
			want = map[string]string{"activity.links[1]": tt.want}
		}
		t.Run(tt.link, func(t *testing.T) { faulttest.Invalid(t, a.Validate(members, "activity"), want) })
	}
}

func TestActivityKinds(t *testing.T) {
	got := fmt.Sprint(ActivityKinds())
	if got != "[joint_training south_south_visit conference research_output]" {
		t.Fatalf("ActivityKinds() = %s", got)
	}
	for _, k := range ActivityKinds() {
		if !k.Valid() {
			t.Errorf("%s not valid", k)
		}
	}
	if ActivityKind("").Valid() || ActivityKind("Conference").Valid() {
		t.Error("unknown kinds must not be valid")
	}
}

// fill gives each link a distinct valid address.
func fill(links []string) {
	for i := range links {
		links[i] = fmt.Sprintf("https://example.org/%d", i)
	}
}
