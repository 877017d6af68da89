package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// day is a calendar day in the programme's time zone.
type day struct{ time.Time }

func today() day {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		loc = time.UTC
	}
	y, m, d := time.Now().In(loc).Date()
	return day{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d day) plus(months, days int) day { return day{d.AddDate(0, months, days)} }
func (d day) json() string {
	return fmt.Sprintf(`{"year":%d,"month":%d,"day":%d}`, d.Year(), int(d.Month()), d.Day())
}
func (d day) iso() string { return d.Format("2006-01-02") }

// TestProgrammeRulesWalkthrough walks a partnership through inception with a balanced steering group, two
// visits (one in each country), a project application in its window, and activation; then shows each rule
// refusing its broken case through REST.
func TestProgrammeRulesWalkthrough(t *testing.T) {
	s := startSuite(t)
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	now := today()

	countries := admin.do("GET", "/v1/countries?date="+now.iso(), "").must(t, http.StatusOK)
	var codes []string
	for _, c := range list(countries.body, "countries") {
		codes = append(codes, str(c.(map[string]any), "country_code"))
	}
	if !slices.Contains(codes, "ZM") || slices.Contains(codes, "VN") {
		t.Fatalf("countries eligible today: %v", codes)
	}
	then := admin.do("GET", "/v1/countries?date=2019-03-01", "").must(t, http.StatusOK)
	if !strings.Contains(then.raw, `"VN"`) {
		t.Fatalf("Vietnam should have been eligible in 2019: %s", then.raw)
	}

	malmo := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Malmö stad",
		"swedish":{"org_number":"2120001124","municipality_code":"1280"}}`).must(t, http.StatusCreated).str("id")
	lusaka := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
		"display_name":"Lusaka City Council","international":{"country_code":"ZM","government_kind":"city council"}}`).must(t, http.StatusCreated).str("id")
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, malmo)}
	partner := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RolePartner, lusaka)}
	newPartnership := func(title string) string {
		return member.do("POST", "/v1/partnerships", `{"swedish_organization_id":"`+malmo+`","international_organization_id":"`+lusaka+`",
			"title":"`+title+`","core_areas":["CORE_AREA_PARTICIPATION"]}`).must(t, http.StatusCreated).str("id")
	}
	id := newPartnership("Youth and the environment")
	base := "/v1/partnerships/" + id
	member.do("POST", base+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", base+":approve", `{}`).must(t, http.StatusOK)

	// Inception: may be submitted at any time; about twelve months.
	inception := member.do("POST", base+"/applications", `{"kind":"APPLICATION_KIND_INCEPTION",
		"start_date":`+now.json()+`,"end_date":`+now.plus(12, 0).json()+`}`).must(t, http.StatusCreated).str("id")
	incomplete := member.do("POST", base+"/applications/"+inception+":submit", `{}`).must(t, http.StatusBadRequest)
	if incomplete.reason() != "TEAM_INCOMPLETE" || !strings.Contains(incomplete.raw, "politicians from the majority") {
		t.Fatalf("an inception without its team was not refused for it: %s", incomplete.raw)
	}
	setTeam(t, member, id, inception, false, malmo, lusaka)
	member.do("POST", base+"/applications/"+inception+":submit", `{}`).must(t, http.StatusOK)
	for _, step := range []string{"approve", "start", "close"} {
		coordinator.do("POST", base+"/applications/"+inception+":"+step, `{}`).must(t, http.StatusOK)
	}

	// A balanced steering group.
	for _, org := range []string{malmo, lusaka} {
		for i, role := range []string{"MAJORITY_POLITICIAN", "OPPOSITION_POLITICIAN", "LEADING_OFFICIAL"} {
			member.do("POST", base+"/steering-group/members", fmt.Sprintf(`{"organization_id":"%s","display_name":"Person %d",
				"email":"person%d.%s@example.org","role":"MEMBER_ROLE_%s"}`, org, i, i, org[24:], role)).must(t, http.StatusCreated)
		}
	}
	if check := member.do("GET", base+"/steering-group:check", "").must(t, http.StatusOK); check.body["passes"] != true {
		t.Fatalf("a balanced steering group failed its check: %s", check.raw)
	}

	// Two visits held this year, one hosted by each party: on New Year's Day and today, the only two days that
	// are in this year and over whatever day the test runs.
	newYear := day{time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)}
	member.do("POST", base+"/visits", `{"start_date":`+newYear.json()+`,"end_date":`+newYear.json()+`,
		"host_organization_id":"`+malmo+`","travellers":[{"organization_id":"`+lusaka+`","count":4}],"purpose":"Kick-off in Malmö"}`).must(t, http.StatusCreated)
	partner.do("POST", base+"/visits", `{"start_date":`+now.json()+`,"end_date":`+now.json()+`,
		"host_organization_id":"`+lusaka+`","travellers":[{"organization_id":"`+malmo+`","count":3}],"purpose":"Workshops in Lusaka"}`).must(t, http.StatusCreated)
	compliance := coordinator.do("GET", base+"/compliance", "").must(t, http.StatusOK)
	years := list(compliance.body, "years")
	if len(years) != 1 || years[0].(map[string]any)["compliant"] != true {
		t.Fatalf("two visits, one hosted by each party, should comply: %s", compliance.raw)
	}

	// A project application, submitted inside a window for projects.
	ensureWindow(t, admin, "APPLICATION_KIND_PROJECT", now)
	project := member.do("POST", base+"/applications", `{"kind":"APPLICATION_KIND_PROJECT",
		"start_date":`+now.plus(1, 0).json()+`,"end_date":`+now.plus(25, 0).json()+`}`).must(t, http.StatusCreated).str("id")
	setTeam(t, member, id, project, true, malmo, lusaka)
	// Submitted without its results framework, it is refused naming what is missing; with it, accepted.
	unfinished := member.do("POST", base+"/applications/"+project+":submit", `{}`).must(t, http.StatusBadRequest)
	if unfinished.reason() != "APPLICATION_INCOMPLETE" || !strings.Contains(unfinished.raw, "at least one objective") {
		t.Fatalf("a project without its framework: %s", unfinished.raw)
	}
	written := member.do("PATCH", base+"/applications/"+project, `{`+framework(now.plus(1, 0))+`}`).must(t, http.StatusOK)
	if len(list(written.body, "objectives")) != 1 || written.str("purpose") == "" {
		t.Fatalf("the framework written: %s", written.raw)
	}
	member.do("POST", base+"/applications/"+project+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", base+":activate", `{}`).must(t, http.StatusOK)

	// A partnership in inception without visits is listed as out of compliance.
	lagging := newPartnership("Lagging behind")
	member.do("POST", "/v1/partnerships/"+lagging+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", "/v1/partnerships/"+lagging+":approve", `{}`).must(t, http.StatusOK)
	out := coordinator.do("GET", fmt.Sprintf("/v1/compliance?year=%d", now.Year()), "").must(t, http.StatusOK)
	if !strings.Contains(out.raw, lagging) || strings.Contains(out.raw, id) {
		t.Fatalf("compliance list should name the lagging partnership only: %s", out.raw)
	}

	// Erasing a person keeps the role facts.
	erased := admin.do("POST", "/v1/people:erase", `{"email":"person0.`+malmo[24:]+`@example.org","reason":"the person asked"}`).must(t, http.StatusOK)
	if fmt.Sprint(erased.body["erased"]) != "1" {
		t.Fatalf("erase: %s", erased.raw)
	}
	if check := member.do("GET", base+"/steering-group:check", "").must(t, http.StatusOK); check.body["passes"] != true {
		t.Fatalf("erasing a person changed the composition: %s", check.raw)
	}

	refusals := []struct {
		name   string
		c      client
		method string
		path   string
		body   string
		status int
		want   string // a field or a reason the answer must name
	}{
		{"end before start", member, "POST", base + "/applications", `{"kind":"APPLICATION_KIND_DISSEMINATION","start_date":` + now.json() + `,"end_date":` + now.plus(0, -1).json() + `}`, 400, "application.end_date"},
		{"project under 12 months", admin, "POST", base + "/applications", `{"kind":"APPLICATION_KIND_PROJECT","start_date":` + now.json() + `,"end_date":` + now.plus(12, -2).json() + `,"waiver_reason":"test"}`, 400, "application.end_date"},
		{"project over 36 months", admin, "POST", base + "/applications", `{"kind":"APPLICATION_KIND_PROJECT","start_date":` + now.json() + `,"end_date":` + now.plus(36, 1).json() + `,"waiver_reason":"test"}`, 400, "application.end_date"},
		{"second inception", member, "POST", base + "/applications", `{"kind":"APPLICATION_KIND_INCEPTION","start_date":` + now.json() + `,"end_date":` + now.plus(12, 0).json() + `}`, 400, "INCEPTION_EXISTS"},
		{"visit hosted by a stranger", member, "POST", base + "/visits", `{"start_date":` + now.json() + `,"end_date":` + now.json() + `,"host_organization_id":"0190c5a2-8c6e-7000-8000-000000000001","travellers":[{"organization_id":"` + lusaka + `","count":2}],"purpose":"x"}`, 400, "visit.host_organization_id"},
		{"unknown country", admin, "POST", "/v1/countries", `{"country_code":"QQ","cluster":"CLUSTER_EUROPE","valid_from":` + now.json() + `}`, 400, "country.country_code"},
		{"unknown cluster", admin, "POST", "/v1/countries", `{"country_code":"NO","cluster":"CLUSTER_ARCTIC","valid_from":` + now.json() + `}`, 400, ""},
		{"overlapping eligibility", admin, "POST", "/v1/countries", `{"country_code":"ZM","cluster":"CLUSTER_SOUTHERN_AFRICA","valid_from":` + now.json() + `}`, 400, "PERIOD_OVERLAP"},
		{"overlapping rules", admin, "POST", "/v1/programme-rules", `{"valid_from":` + now.json() + `,"durations":[` +
			`{"kind":"APPLICATION_KIND_INCEPTION","min_months":6,"max_months":18},{"kind":"APPLICATION_KIND_PROJECT","min_months":12,"max_months":36},` +
			`{"kind":"APPLICATION_KIND_STEERING_GROUP","min_months":12,"max_months":12},{"kind":"APPLICATION_KIND_DEVELOPMENT","min_months":1,"max_months":24},` +
			`{"kind":"APPLICATION_KIND_DISSEMINATION","min_months":1,"max_months":12}],` +
			`"inception_team":{"majority_politicians":1,"opposition_politicians":1,"officials_min":1,"officials_max":2},` +
			`"project_team":{"officials_min":3,"officials_max":5,"project_managers":1},"visits":{"min_meetings_per_year":2,"min_hosted_per_party":1}}`, 400, "PERIOD_OVERLAP"},
		{"third party duplicates a party", admin, "POST", "/v1/partnerships", `{"swedish_organization_id":"` + malmo + `","international_organization_id":"` + lusaka + `","third_organization_id":"` + malmo + `","title":"Three","core_areas":["CORE_AREA_PARTICIPATION"]}`, 400, "partnership.third_organization_id"},
		{"team member of a stranger", member, "PUT", base + "/applications/" + project + "/team", `{"members":[{"organization_id":"0190c5a2-8c6e-7000-8000-000000000001","display_name":"X","role":"MEMBER_ROLE_OFFICIAL"}]}`, 400, "members[0].organization_id"},
		// Fields are named as the client wrote them: these bodies and this query use lowerCamelCase.
		{"end before start, camelCase", member, "POST", base + "/applications", `{"kind":"APPLICATION_KIND_DISSEMINATION","startDate":` + now.json() + `,"endDate":` + now.plus(0, -1).json() + `}`, 400, "application.endDate"},
		{"team member of a stranger, camelCase", member, "PUT", base + "/applications/" + project + "/team", `{"members":[{"organizationId":"0190c5a2-8c6e-7000-8000-000000000001","displayName":"X","role":"MEMBER_ROLE_OFFICIAL"}]}`, 400, "members[0].organizationId"},
		{"page too large, camelCase", admin, "GET", "/v1/partnerships?pageSize=900", "", 400, "pageSize"},
		{"member may not waive", member, "POST", base + "/applications", `{"kind":"APPLICATION_KIND_PROJECT","start_date":` + now.json() + `,"end_date":` + now.plus(12, 0).json() + `,"waiver_reason":"please"}`, 403, "WAIVER_ADMIN_ONLY"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			r.c.t = t
			got := r.c.do(r.method, r.path, r.body)
			if got.status != r.status {
				t.Fatalf("want %d, got %d: %.400s", r.status, got.status, got.raw)
			}
			if r.want != "" && !slices.Contains(got.fields(), r.want) && got.reason() != r.want {
				t.Fatalf("the answer does not name %s: %.400s", r.want, got.raw)
			}
		})
	}
	apps := member.do("GET", base+"/applications", "").must(t, http.StatusOK)
	if n := len(list(apps.body, "applications")); n != 2 {
		t.Fatalf("refused applications were written: %d applications", n)
	}

	// A country that is no longer eligible, and one that never was.
	vietnam := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
		"display_name":"An Giang province","international":{"country_code":"VN","government_kind":"province"}}`).must(t, http.StatusCreated).str("id")
	late := member.do("POST", "/v1/partnerships", `{"swedish_organization_id":"`+malmo+`","international_organization_id":"`+vietnam+`",
		"title":"Water","core_areas":["CORE_AREA_PARTICIPATION"]}`).must(t, http.StatusBadRequest)
	if late.reason() != "COUNTRY_NOT_ELIGIBLE" || !strings.Contains(late.str("message"), "Viet") {
		t.Fatalf("a partnership with Vietnam today: %s", late.raw)
	}
	admin.do("POST", "/v1/partnerships", `{"swedish_organization_id":"`+malmo+`","international_organization_id":"`+vietnam+`",
		"title":"Water","core_areas":["CORE_AREA_PARTICIPATION"],"eligibility_date":{"year":2019,"month":3,"day":1}}`).must(t, http.StatusCreated)
}

// ensureWindow makes sure a window for kind is open today: the default windows (mid-February to mid-March,
// mid-September to mid-October) may not cover the day the test runs, so the admin adds one, as ICLD would.
func ensureWindow(t *testing.T, admin client, kind string, now day) {
	t.Helper()
	windows := admin.do("GET", "/v1/application-windows?kind="+kind+"&date="+now.iso(), "").must(t, http.StatusOK)
	closes := now.plus(0, 7)
	for _, w := range list(windows.body, "windows") {
		m := w.(map[string]any)
		opens := m["opens"].(map[string]any)
		start := day{time.Date(int(opens["year"].(float64)), time.Month(int(opens["month"].(float64))), int(opens["day"].(float64)), 0, 0, 0, 0, time.UTC)}
		if !start.After(now.Time) {
			return // open today
		}
		if start.Before(closes.Time) {
			closes = start.plus(0, -1)
		}
	}
	admin.do("POST", "/v1/application-windows", `{"kind":"`+kind+`","opens":`+now.json()+`,"closes":`+closes.json()+`}`).must(t, http.StatusCreated)
}

// framework is the content a project needs before it is submitted, as the JSON members of an application:
// one objective with an outcome measured by a counted indicator from start to two years on, a planned
// activity, a risk and the considerations the programme asks for.
func framework(start day) string {
	return `"purpose":"Young people influence local environmental decisions","problem":"Young people are not heard",
		"objectives":[{"id":"youth-voice","statement":"Young people are heard","results":[{"id":"councils",
		"level":"RESULT_LEVEL_OUTCOME","statement":"Youth councils advise the city","indicators":[{"id":"proposals",
		"name":"Youth proposals decided on","measure":"INDICATOR_MEASURE_UNIT","unit":"proposals",
		"baseline":{"value":"0","date":"` + start.iso() + `"},"target":{"value":"12","date":"` + start.plus(24, 0).iso() + `"}}]}]}],
		"plannedActivities":[{"id":"workshops","year":` + fmt.Sprint(start.Year()) + `,"objectiveId":"youth-voice","description":"Workshops in schools"}],
		"risks":[{"description":"Elections change the majority","mitigation":"Both majority and opposition sit in the steering group"}],
		"genderAndInclusion":"Half of the participants are girls","antiCorruption":"Four eyes on every payment"`
}
