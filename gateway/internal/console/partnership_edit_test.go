package console

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The change form shows the current values and the etag they were read with.
func TestEditFormShowsCurrentValues(t *testing.T) {
	c := newTestConsole(t, partnershipAPI(noWrites(t)))
	body := serve(c, http.MethodGet, "/console/partnerships/"+partnershipID+"/edit", nil, sessionCookieFor(t, c, member())).Body.String()
	for _, want := range []string{`name="etag" value="7"`, `value="Water for all"`, ">Clean water</textarea>", `value="CORE_AREA_PARTICIPATION" checked`, `value="6.1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %s:\n%s", want, body)
		}
	}
}

// Sending the form changes only what the person changed, under the etag the form was read with.
func TestEditSendsOnlyTheChangedFieldsWithTheEtag(t *testing.T) {
	var patch *http.Request
	var sent string
	api := partnershipAPI(func(r *http.Request, body string) (int, any) {
		patch, sent = r, body
		return http.StatusOK, draftPartnership
	})
	c := newTestConsole(t, api)
	s := member()
	form := url.Values{"csrf": {s.CSRF}, "etag": {"7"}, "title": {"Clean water for all"}, "challenge": {"Clean water"},
		"coreAreas": {"CORE_AREA_PARTICIPATION"}, "sdgTargets": {"6.1"}}
	rec := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/edit", form, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/partnerships/"+partnershipID {
		t.Fatalf("%d:\n%s", rec.Code, rec.Body)
	}
	if patch == nil || patch.Method != http.MethodPatch || patch.URL.Query().Get("update_mask") != "title" ||
		strings.TrimSpace(sent) != `{"etag":"7","title":"Clean water for all"}` {
		t.Fatalf("the API got %v %s", patch, sent)
	}
}

// A change someone else made meanwhile (ETAG_MISMATCH) is said, nothing is changed, the partnership's
// current values are shown, and the form keeps what the person typed under the current etag.
func TestEditAfterAConcurrentChangeSaysSo(t *testing.T) {
	api := partnershipAPI(func(*http.Request, string) (int, any) {
		return http.StatusConflict, rpcRefusal(10, "ETAG_MISMATCH", `the partnership changed since you read it (etag "6", now "7")`, nil)
	})
	c := newTestConsole(t, api)
	s := member()
	form := url.Values{"csrf": {s.CSRF}, "etag": {"6"}, "title": {"My title"}, "challenge": {"Clean water"},
		"coreAreas": {"CORE_AREA_PARTICIPATION"}, "sdgTargets": {"6.1"}}
	rec := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/edit", form, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	if rec.Code != http.StatusConflict {
		t.Fatalf("status %d", rec.Code)
	}
	for _, want := range []string{"Någon annan har ändrat partnerskapet sedan du öppnade formuläret", "Så här ser partnerskapet ut nu",
		"<dd>Water for all</dd>", `value="My title"`, `name="etag" value="7"`, `role="alert"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// A refused field is shown beside its input.
func TestEditRefusalIsBesideTheField(t *testing.T) {
	api := partnershipAPI(func(*http.Request, string) (int, any) {
		return http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "invalid", []string{"partnership.title", "enter the title"})
	})
	c := newTestConsole(t, api)
	s := member()
	rec := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/edit", url.Values{"csrf": {s.CSRF}, "etag": {"7"}, "title": {" "},
		"challenge": {"Clean water"}, "coreAreas": {"CORE_AREA_PARTICIPATION"}, "sdgTargets": {"6.1"}}, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	errAt, inputAt := strings.Index(body, `id="title-error"`), strings.Index(body, `<input id="title"`)
	if rec.Code != http.StatusBadRequest || errAt < 0 || inputAt < errAt || !strings.Contains(body, `href="#title"`) {
		t.Errorf("%d:\n%s", rec.Code, body)
	}
}

// The partnership page offers the lifecycle steps the role may take from its state: a member submits a
// draft; a coordinator may also end it early, with a reason, whose refusal is shown beside it.
func TestPartnershipPageOffersTheStepsOfTheRole(t *testing.T) {
	var sent string
	api := partnershipAPI(func(r *http.Request, body string) (int, any) {
		sent = r.URL.Path + " " + body
		return http.StatusBadRequest, rpcRefusal(3, "INVALID_ARGUMENT", "invalid", []string{"reason", "say why the partnership is terminated"})
	})
	api.answer = wrapBudgets(api.answer)
	c := newTestConsole(t, api)
	body := serve(c, http.MethodGet, "/console/partnerships/"+partnershipID, nil, sessionCookieFor(t, c, member())).Body.String()
	if !strings.Contains(body, `/lifecycle/submit"`) || strings.Contains(body, `/lifecycle/terminate"`) || !strings.Contains(body, `/edit">Ändra partnerskapet`) {
		t.Errorf("a member's page:\n%s", body)
	}
	coordinator := member()
	coordinator.Role, coordinator.Org = "coordinator", ""
	body = serve(c, http.MethodGet, "/console/partnerships/"+partnershipID, nil, sessionCookieFor(t, c, coordinator)).Body.String()
	keys := regexp.MustCompile(`name="idempotencyKey" value="([^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(keys) != 2 || keys[0][1] == keys[1][1] || !strings.Contains(body, `/lifecycle/terminate"`) {
		t.Errorf("a coordinator's page of a draft should offer submit and terminate, each with its own key: %v", keys)
	}
	rec := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/lifecycle/terminate",
		url.Values{"csrf": {coordinator.CSRF}, "etag": {"7"}}, sessionCookieFor(t, c, coordinator))
	body = rec.Body.String()
	if rec.Code != http.StatusBadRequest || !strings.Contains(body, `id="lifecycle.reason-error">Skriv varför partnerskapet avbryts`) ||
		!strings.Contains(sent, ":terminate {\"etag\":\"7\"}") {
		t.Errorf("%d %s:\n%s", rec.Code, sent, body)
	}
	if rec := serve(c, http.MethodPost, "/console/partnerships/"+partnershipID+"/lifecycle/explode", url.Values{"csrf": {coordinator.CSRF}},
		sessionCookieFor(t, c, coordinator)); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown step: %d", rec.Code)
	}
}

// wrapBudgets answers the budgets list the partnership page reads with none.
func wrapBudgets(next func(*http.Request, string) (int, any)) func(*http.Request, string) (int, any) {
	return func(r *http.Request, body string) (int, any) {
		if r.Method == http.MethodGet && r.URL.Path == "/v1/budgets" {
			return http.StatusOK, map[string]any{"budgets": []any{}}
		}
		return next(r, body)
	}
}
