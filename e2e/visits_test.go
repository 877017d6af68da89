package e2e

import (
	"net/http"
	"slices"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// TestVisitsArePlannedThenHeld walks a visit through the gateway as the partners live it: planned for next
// month and moved, refused as held before it takes place, cancelled with a reason; another planned for today
// and held, after which it counts for the year's compliance and only its outcomes change. Each refusal is a
// 4xx naming the field or the state, and another organisation's member learns nothing.
func TestVisitsArePlannedThenHeld(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	stranger := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.vaxjo)}
	approvedInception(t, member, coordinator, d.partnership) // in inception: its years are measured
	base := "/v1/partnerships/" + d.partnership + "/visits"
	now := today()
	visit := func(start, end day, state string) string {
		return `{"startDate":` + start.json() + `,"endDate":` + end.json() + `,"hostOrganizationId":"` + d.lusaka +
			`","travellers":[{"organizationId":"` + d.malmo + `","count":3}],"purpose":"Youth councils meet","state":"` + state + `"}`
	}
	meetings := func() float64 {
		years := list(member.do("GET", "/v1/partnerships/"+d.partnership+"/compliance?year="+now.Format("2006"), "").must(t, http.StatusOK).body, "years")
		if len(years) != 1 {
			t.Fatalf("compliance of this year: %v", years)
		}
		n, _ := years[0].(map[string]any)["meetings"].(float64)
		return n
	}
	before := meetings()

	// Planned for next month: in the calendar, not in the compliance count; not held before it takes place.
	nextMonth := now.plus(1, 0)
	planned := member.do("POST", base, visit(nextMonth, nextMonth.plus(0, 3), "VISIT_STATE_PLANNED")).must(t, http.StatusCreated)
	if planned.str("state") != "VISIT_STATE_PLANNED" || planned.str("etag") == "" {
		t.Fatalf("a planned visit: %s", planned.raw)
	}
	id := planned.str("id")
	if meetings() != before {
		t.Error("a planned visit counted as a meeting")
	}
	if r := member.do("POST", base+"/"+id+":hold", `{}`).must(t, http.StatusBadRequest); r.reason() != "VISIT_NOT_OVER" {
		t.Fatalf("holding a visit of next month: %s", r.raw)
	}
	if r := member.do("POST", base, visit(nextMonth, nextMonth, "VISIT_STATE_HELD")).must(t, http.StatusBadRequest); !slices.Equal(r.fields(), []string{"visit.endDate"}) {
		t.Fatalf("recording a visit of next month as held: %s", r.raw)
	}

	// Moved a week, under its etag; a stale etag changes nothing.
	moved := member.do("PATCH", base+"/"+id, `{"startDate":`+nextMonth.plus(0, 7).json()+`,"endDate":`+nextMonth.plus(0, 9).json()+`,"etag":"`+planned.str("etag")+`"}`).
		must(t, http.StatusOK)
	start, _ := moved.body["startDate"].(map[string]any)
	if want := nextMonth.plus(0, 7); start["day"] != float64(want.Day()) || start["month"] != float64(want.Month()) || moved.str("etag") == planned.str("etag") {
		t.Fatalf("the moved visit: %s", moved.raw)
	}
	member.do("PATCH", base+"/"+id, `{"purpose":"Something else","etag":"`+planned.str("etag")+`"}`).must(t, http.StatusConflict)

	// Another organisation's member: not found, whatever it tries.
	stranger.do("GET", base+"/"+id, "").must(t, http.StatusNotFound)
	stranger.do("POST", base+"/"+id+":cancel", `{"reason":"no"}`).must(t, http.StatusNotFound)

	// Cancelled with a reason, then kept as it is.
	if r := member.do("POST", base+"/"+id+":cancel", `{}`).must(t, http.StatusBadRequest); !slices.Contains(r.fields(), "reason") {
		t.Fatalf("a cancellation without a reason: %s", r.raw)
	}
	cancelled := member.do("POST", base+"/"+id+":cancel", `{"reason":"The council elections moved"}`).must(t, http.StatusOK)
	if cancelled.str("state") != "VISIT_STATE_CANCELLED" || cancelled.str("cancelReason") != "The council elections moved" {
		t.Fatalf("the cancelled visit: %s", cancelled.raw)
	}
	if r := member.do("PATCH", base+"/"+id, `{"outcomes":"x"}`).must(t, http.StatusBadRequest); r.reason() != "VISIT_STATE" {
		t.Fatalf("changing a cancelled visit: %s", r.raw)
	}

	// Planned for today, held today: now it counts, and only its outcomes change.
	todays := member.do("POST", base, visit(now, now, "VISIT_STATE_PLANNED")).must(t, http.StatusCreated).str("id")
	held := member.do("POST", base+"/"+todays+":hold", `{"outcomes":"A joint plan for youth councils"}`).must(t, http.StatusOK)
	if held.str("state") != "VISIT_STATE_HELD" || held.str("outcomes") != "A joint plan for youth councils" {
		t.Fatalf("the held visit: %s", held.raw)
	}
	if got := meetings(); got != before+1 {
		t.Errorf("%v meetings after a visit was held, want %v", got, before+1)
	}
	if r := member.do("PATCH", base+"/"+todays, `{"startDate":`+now.plus(0, -1).json()+`}`).must(t, http.StatusBadRequest); r.reason() != "VISIT_STATE" {
		t.Fatalf("moving a held visit: %s", r.raw)
	}
	member.do("PATCH", base+"/"+todays, `{"outcomes":"A joint plan, adopted"}`).must(t, http.StatusOK)
	if r := member.do("POST", base+"/"+todays+":cancel", `{"reason":"too late"}`).must(t, http.StatusBadRequest); r.reason() != "VISIT_STATE" {
		t.Fatalf("cancelling a held visit: %s", r.raw)
	}
	states := map[string]string{}
	for _, v := range list(member.do("GET", base+"?pageSize=500", "").must(t, http.StatusOK).body, "visits") {
		states[str(v.(map[string]any), "id")] = str(v.(map[string]any), "state")
	}
	if states[id] != "VISIT_STATE_CANCELLED" || states[todays] != "VISIT_STATE_HELD" {
		t.Errorf("the list's states: %v", states)
	}
}
