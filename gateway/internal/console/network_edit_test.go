package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func networkAdmin() *session {
	s := newSession(time.Hour)
	s.Token, s.Role = "header.payload.signature", "admin"
	return s
}

// networkWriteAPI answers the network page's reads as networkAPI does, with the network in state and at etag
// "3", the partnerships the person can see, and each write (POST, PATCH) with write.
func networkWriteAPI(state string, write func(r *http.Request, body string) (int, any)) *fakeAPI {
	reads := networkAPI(http.StatusOK).answer
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		switch {
		case r.Method != http.MethodGet:
			return write(r, body)
		case r.URL.Path == "/v1/networks/"+networkID:
			return http.StatusOK, map[string]any{"id": networkID, "displayName": "Equitable health, East Africa", "theme": "equitable health",
				"cluster": "CLUSTER_EAST_AFRICA", "state": state, "durationMonths": 48, "etag": "3",
				"cohortStart": map[string]any{"year": 2027, "month": 1, "day": 15}, "coordinator": "coord-1"}
		case r.URL.Path == "/v1/partnerships":
			return http.StatusOK, map[string]any{"partnerships": []any{
				map[string]any{"id": jinjaMemberID, "title": "Health in Jinja"},
				map[string]any{"id": lusakaMemberID, "title": "Health in Lusaka"}}}
		}
		return reads(r, body)
	}}
}

// writes are the calls that changed something, each as "METHOD path?query body".
func writes(api *fakeAPI) []string {
	var out []string
	for i, call := range api.calls {
		if call.Method != http.MethodGet {
			line := call.Method + " " + call.URL.Path
			if call.URL.RawQuery != "" {
				line += "?" + call.URL.RawQuery
			}
			out = append(out, line+" "+strings.TrimSpace(api.bodies[i]))
		}
	}
	return out
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s:\n%s", want, body)
		}
	}
}

// An admin creates a network: the fields go to POST /v1/networks under the API's names, the page goes on
// to the new network; a refusal shows each field's problem beside its input, and a day the API could not
// read is marked without sending anything.
func TestNetworkCreateSendsTheFieldsAndShowsRefusalsBeside(t *testing.T) {
	refuse := true
	api := networkWriteAPI("NETWORK_STATE_PLANNED", func(r *http.Request, _ string) (int, any) {
		if refuse {
			return http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "invalid network", []string{"network.displayName", "value is required"})
		}
		return http.StatusOK, map[string]any{"id": networkID}
	})
	c := newTestConsole(t, api)
	s := networkAdmin()
	ck := sessionCookieFor(t, c, s)
	list := serve(c, http.MethodGet, "/console/networks", nil, ck).Body.String()
	mustContain(t, list, `href="/console/networks/new"`)
	form := url.Values{"csrf": {s.CSRF}, "network.displayName": {""}, "network.theme": {"climate action"}, "network.cluster": {"CLUSTER_EUROPE"},
		"network.cohortStart": {"2027-01-01"}, "network.durationMonths": {"36"}, "network.coordinator": {"coord-1"}}
	rec := serve(c, http.MethodPost, "/console/networks", form, ck)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	mustContain(t, rec.Body.String(), `id="network.displayName-error">Skriv ett namn på nätverket.`, `aria-describedby="network.displayName-error"`,
		`<a href="#network.displayName">Namn</a>`, `value="climate action"`, `<option value="CLUSTER_EUROPE" selected>`)
	if got := writes(api); len(got) != 1 || got[0] != `POST /v1/networks {"cluster":"CLUSTER_EUROPE","cohortStart":"2027-01-01","coordinator":"coord-1","durationMonths":36,"theme":"climate action"}` {
		t.Errorf("sent %q", got)
	}
	form.Set("network.cohortStart", "15/1 2027")
	rec = serve(c, http.MethodPost, "/console/networks", form, ck)
	mustContain(t, rec.Body.String(), `id="network.cohortStart-error">Skriv dagen då partnerskapen börjar`)
	if len(writes(api)) != 1 {
		t.Errorf("an unreadable day was sent: %q", writes(api))
	}
	refuse = false
	form.Set("network.cohortStart", "2027-01-01")
	form.Set("network.displayName", "Climate, Europe")
	rec = serve(c, http.MethodPost, "/console/networks", form, ck)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/networks/"+networkID {
		t.Errorf("after creating: %d %s", rec.Code, rec.Header().Get("Location"))
	}
}

// A coordinator's change sends only the changed fields, named in the update mask, with the etag the form
// was read at; a change someone made meanwhile is said, with the network as it now is and its etag.
func TestNetworkEditSendsTheChangesAndExplainsAStaleEtag(t *testing.T) {
	api := networkWriteAPI("NETWORK_STATE_RECRUITING", func(r *http.Request, _ string) (int, any) {
		return http.StatusConflict, rpcRefusal(10, "ETAG_MISMATCH", `the network changed since you read it (etag "2", now "3")`, nil)
	})
	c := newTestConsole(t, api)
	s := coordinator()
	ck := sessionCookieFor(t, c, s)
	edit := serve(c, http.MethodGet, "/console/networks/"+networkID+"/edit", nil, ck).Body.String()
	mustContain(t, edit, `name="etag" value="3"`, `value="2027-01-15"`, `value="48"`, "Regionen går inte att ändra.")
	form := url.Values{"csrf": {s.CSRF}, "etag": {"2"}, "network.displayName": {"Equitable health, East Africa"}, "network.theme": {"health for all"},
		"network.cohortStart": {"2027-01-15"}, "network.durationMonths": {"48"}, "network.coordinator": {"coord-1"}}
	rec := serve(c, http.MethodPost, "/console/networks/"+networkID+"/edit", form, ck)
	if got := writes(api); len(got) != 1 || got[0] != `PATCH /v1/networks/`+networkID+`?update_mask=theme {"etag":"2","theme":"health for all"}` {
		t.Errorf("sent %q", got)
	}
	if rec.Code != http.StatusConflict {
		t.Errorf("status %d", rec.Code)
	}
	mustContain(t, rec.Body.String(), "Någon annan har ändrat nätverket", "Så ser nätverket ut nu", `name="etag" value="3"`, `value="health for all"`)
}

// The network page offers ICLD's staff the steps its state allows, the partnerships that could join and the
// activity form, and a member none of it (nor "New network"); the API would refuse them anyway.
func TestNetworkFormsOnlyForCoordinatorsAndAdmins(t *testing.T) {
	c := newTestConsole(t, networkWriteAPI("NETWORK_STATE_RECRUITING", nil))
	page := serve(c, http.MethodGet, "/console/networks/"+networkID, nil, sessionCookieFor(t, c, coordinator())).Body.String()
	mustContain(t, page, `action="/console/networks/`+networkID+`/lifecycle/start"`, `action="/console/networks/`+networkID+`/lifecycle/close"`,
		`<option value="`+lusakaMemberID+`">Health in Lusaka</option>`, `action="/console/networks/`+networkID+`/activities"`,
		`/memberships/`+jinjaMemberID+`/remove"`, `href="/console/networks/`+networkID+`/edit"`)
	if strings.Contains(page, `<option value="`+jinjaMemberID+`"`) || strings.Contains(page, "lifecycle/open") {
		t.Errorf("a member offered again, or a step the state does not allow:\n%s", page)
	}
	if strings.Contains(serve(c, http.MethodGet, "/console/networks", nil, sessionCookieFor(t, c, coordinator())).Body.String(), "/console/networks/new") {
		t.Error("a coordinator is offered a network the API would not let it create")
	}
	for _, s := range []*session{member()} {
		page := serve(c, http.MethodGet, "/console/networks/"+networkID, nil, sessionCookieFor(t, c, s)).Body.String()
		list := serve(c, http.MethodGet, "/console/networks", nil, sessionCookieFor(t, c, s)).Body.String()
		if strings.Contains(page, "<form method=\"post\" action=\"/console/networks") || strings.Contains(page, "/edit") || strings.Contains(list, "/console/networks/new") {
			t.Errorf("a %s is offered forms:\n%s", s.Role, page)
		}
	}
}

// Each step reaches the API as it should: the lifecycle with the page's etag, a new member by its id, a
// removal with its reason, an activity with its fields; a refusal shows beside the form that caused it.
func TestNetworkStepsSendWhatTheAPIWants(t *testing.T) {
	var status int
	var answer any
	api := networkWriteAPI("NETWORK_STATE_RECRUITING", func(*http.Request, string) (int, any) { return status, answer })
	c := newTestConsole(t, api)
	s := coordinator()
	ck := sessionCookieFor(t, c, s)
	base := "/console/networks/" + networkID
	status, answer = http.StatusOK, map[string]any{}
	for _, step := range []struct{ target, want string }{
		{base + "/lifecycle/start", `POST /v1/networks/` + networkID + `:start {"etag":"3"}`},
		{base + "/memberships", `POST /v1/networks/` + networkID + `/memberships {"partnershipId":"` + lusakaMemberID + `"}`},
		{base + "/memberships/" + jinjaMemberID + "/remove", `POST /v1/networks/` + networkID + `/memberships/` + jinjaMemberID + `:remove {"reason":"left the programme"}`},
		{base + "/activities", `POST /v1/networks/` + networkID + `/activities {"endDate":"2027-03-16","kind":"ACTIVITY_KIND_CONFERENCE","startDate":"2027-03-15","title":"Kickoff"}`},
	} {
		before := len(writes(api))
		form := url.Values{"csrf": {s.CSRF}, "etag": {"3"}, "membership.partnershipId": {lusakaMemberID}, "reason": {" left the programme "},
			"activity.kind": {"ACTIVITY_KIND_CONFERENCE"}, "activity.title": {"Kickoff"}, "activity.startDate": {"2027-03-15"}, "activity.endDate": {"2027-03-16"}}
		rec := serve(c, http.MethodPost, step.target, form, ck)
		got := writes(api)
		if rec.Code != http.StatusSeeOther || len(got) != before+1 || got[before] != step.want {
			t.Errorf("%s: %d, sent %q", step.target, rec.Code, got[before:])
		}
	}
	status, answer = http.StatusBadRequest, rpcRefusal(9, "CLUSTER_MISMATCH", "the partnership lies in another cluster", nil)
	rec := serve(c, http.MethodPost, base+"/memberships", url.Values{"csrf": {s.CSRF}, "membership.partnershipId": {lusakaMemberID}}, ck)
	mustContain(t, rec.Body.String(), `id="membership.partnershipId-error">Partnerskapet ligger i en annan region än nätverket.`,
		`<option value="`+lusakaMemberID+`" selected>`)
	status, answer = http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "bad activity", []string{"activity.endDate", "end before start"})
	rec = serve(c, http.MethodPost, base+"/activities", url.Values{"csrf": {s.CSRF}, "activity.title": {"Kickoff"}, "activity.startDate": {"2027-03-15"}, "activity.endDate": {"2027-03-01"}}, ck)
	mustContain(t, rec.Body.String(), `id="activity.endDate-error">Skriv den sista dagen`, `<a href="#activity.endDate">Sista dag</a>`, `value="Kickoff"`)
	status, answer = http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "bad", []string{"reason", "value length must be at least 1 characters"})
	rec = serve(c, http.MethodPost, base+"/memberships/"+jinjaMemberID+"/remove", url.Values{"csrf": {s.CSRF}}, ck)
	mustContain(t, rec.Body.String(), `id="reason-`+jinjaMemberID+`-error">Skriv varför partnerskapet tas bort`)
	status, answer = http.StatusBadRequest, rpcRefusal(9, "ILLEGAL_TRANSITION", "cannot start", nil)
	rec = serve(c, http.MethodPost, base+"/lifecycle/start", url.Values{"csrf": {s.CSRF}, "etag": {"3"}}, ck)
	mustContain(t, rec.Body.String(), "Steget kunde inte tas", "Nätverket är inte i ett läge där det steget går att ta.")
	if rec := serve(c, http.MethodPost, base+"/lifecycle/explode", url.Values{"csrf": {s.CSRF}}, ck); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown step: %d", rec.Code)
	}
}

// Every key the network forms build at run time has words in both languages: each step's button, each
// refusal's sentence, each input's label and sentence.
func TestNetworkFormsCatalogueIsComplete(t *testing.T) {
	var keys []string
	for _, step := range networkStepOrder {
		keys = append(keys, "networks.step."+step)
	}
	for _, reason := range networkReasons {
		keys = append(keys, "networkReason."+reason)
	}
	for _, input := range append(append(append([]string{}, networkInputs...), activityInputs...), networkMemberInputs...) {
		keys = append(keys, "input."+input)
	}
	for _, input := range []string{"network.displayName", "network.theme", "network.cluster", "network.cohortStart", "network.durationMonths",
		"membership.partnershipId", "activity.kind", "activity.title", "activity.startDate", "activity.endDate", "removal.reason"} {
		keys = append(keys, "networks.field."+input)
	}
	for _, l := range languages {
		for _, key := range keys {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %q", l, key)
			}
		}
	}
	for step := range networkStepFrom {
		if !strings.Contains(strings.Join(networkStepOrder, " "), step) {
			t.Errorf("step %s has no button", step)
		}
	}
}

// A member offered no forms who sends one anyway is refused by the API, and the page says so above it,
// still without a form.
func TestNetworkMembersRefusalIsShownWithoutForms(t *testing.T) {
	api := networkWriteAPI("NETWORK_STATE_RECRUITING", func(*http.Request, string) (int, any) {
		return http.StatusForbidden, rpcRefusal(7, "ROLE_NOT_ALLOWED", "the role member may not call CreateActivity", nil)
	})
	c := newTestConsole(t, api)
	s := member()
	rec := serve(c, http.MethodPost, "/console/networks/"+networkID+"/activities", url.Values{"csrf": {s.CSRF}, "activity.title": {"Kickoff"}}, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	if rec.Code != http.StatusForbidden || len(writes(api)) != 1 || strings.Contains(body, `action="/console/networks/`+networkID+`/activities"`) {
		t.Errorf("status %d, sent %q:\n%s", rec.Code, writes(api), body)
	}
	mustContain(t, body, `id="refused-heading"`, "Din roll får inte göra detta.")
}
