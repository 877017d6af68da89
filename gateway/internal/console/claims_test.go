package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const claimID = "44444444-4444-4444-4444-444444444444"

// submittedClaim is GET /v1/claims/{id} of a submitted claim of two lines: 12 500,00 kr and 1 032,19 kr.
func submittedClaim(state string) map[string]any {
	line := func(id, desc string, ore string) map[string]any {
		return map[string]any{"id": id, "date": map[string]any{"year": 2026, "month": 3, "day": 4}, "budgetLineId": "travel",
			"description": desc, "sek": map[string]any{"currencyCode": "SEK", "amountMinor": ore},
			"receipt": map[string]any{"fileName": desc + ".pdf", "documentId": "d-" + id}}
	}
	return map[string]any{"id": claimID, "budgetId": "b1", "partnershipId": "p1", "reportId": "r1", "state": state, "etag": "7",
		"periodStart": map[string]any{"year": 2026, "month": 3, "day": 1}, "periodEnd": map[string]any{"year": 2026, "month": 3, "day": 31},
		"total": map[string]any{"currencyCode": "SEK", "amountMinor": "1353219"},
		"lines": []any{line("1", "flight", "1250000"), line("2", "hotel", "103219")}}
}

// claimAPI answers GET of the claim in state, and each POST with post.
func claimAPI(state string, post func(r *http.Request, body string) (int, any)) *fakeAPI {
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		if r.Method == http.MethodPost && post != nil {
			return post(r, body)
		}
		if r.URL.Path == "/v1/claims/"+claimID {
			return http.StatusOK, submittedClaim(state)
		}
		return http.StatusNotFound, map[string]any{"code": 5, "message": "not found"}
	}}
}

func coordinator() *session {
	s := newSession(time.Hour)
	s.Token, s.Role = "header.payload.signature", "coordinator"
	return s
}

func posts(api *fakeAPI) (n int, last string) {
	for i, call := range api.calls {
		if call.Method == http.MethodPost {
			n, last = n+1, api.bodies[i]
		}
	}
	return n, last
}

// The claim page shows each line's cost from öre, and the approval form only to a role that may decide.
func TestClaimPageOffersTheDecisionToCoordinators(t *testing.T) {
	c := newTestConsole(t, claimAPI(claimStateSubmitted, nil))
	rec := serve(c, http.MethodGet, "/console/claims/"+claimID, nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	for _, want := range []string{"<h1>Ersättningsanspråk för 2026-03-01 – 2026-03-31</h1>", "<strong>inskickat</strong>",
		"12\u00a0500,00\u00a0kr", "1\u00a0032,19\u00a0kr", "13\u00a0532,19\u00a0kr", "flight.pdf", `<caption>`, `<a href="/console/budgets/b1">`, `<th scope="row">2026-03-04</th>`,
		"<legend>Rad 2: hotel (1\u00a0032,19\u00a0kr)</legend>", `id="approved-1" name="approved-1" type="text" inputmode="decimal" value="1032,19"`,
		`name="etag" value="7"`, `action="/console/claims/` + claimID + `/reject"`, `aria-current="page">Ersättningsanspråk</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s:\n%s", want, body)
		}
	}
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	rec = serve(c, http.MethodGet, "/console/claims/"+claimID, nil, sessionCookieFor(t, c, member()), &http.Cookie{Name: langCookie, Value: "en"})
	if body := rec.Body.String(); strings.Contains(body, "/approve") || !strings.Contains(body, "SEK\u00a012,500.00") {
		t.Errorf("a member's page:\n%s", body)
	}
}

// A member is offered to submit a draft; the step posts the etag the page showed and shows the claim again.
func TestSubmitDraftClaim(t *testing.T) {
	api := claimAPI(claimStateDraft, func(r *http.Request, _ string) (int, any) { return http.StatusOK, submittedClaim(claimStateSubmitted) })
	c := newTestConsole(t, api)
	s := member()
	rec := serve(c, http.MethodGet, "/console/claims/"+claimID, nil, sessionCookieFor(t, c, s))
	if !strings.Contains(rec.Body.String(), `action="/console/claims/`+claimID+`/submit"`) {
		t.Fatalf("no submit form:\n%s", rec.Body)
	}
	rec = serve(c, http.MethodPost, "/console/claims/"+claimID+"/submit", url.Values{"csrf": {s.CSRF}, "etag": {"7"}, "idempotencyKey": {"k"}}, sessionCookieFor(t, c, s))
	n, body := posts(api)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/claims/"+claimID || n != 1 || !strings.Contains(body, `"etag":"7"`) {
		t.Errorf("%d %s; API got %d posts, last %s", rec.Code, rec.Header().Get("Location"), n, body)
	}
	if p := api.calls[len(api.calls)-1]; p.URL.Path != "/v1/claims/"+claimID+":submit" || p.Header.Get("Idempotency-Key") != "k" {
		t.Errorf("posted to %s with %v", p.URL, p.Header)
	}
}

// The decision is sent line by line in exact öre, with the reason and the etag.
func TestApproveSendsDecisionsInOre(t *testing.T) {
	api := claimAPI(claimStateSubmitted, func(r *http.Request, _ string) (int, any) {
		return http.StatusOK, submittedClaim("CLAIM_STATE_PARTLY_APPROVED")
	})
	c := newTestConsole(t, api)
	s := coordinator()
	form := url.Values{"csrf": {s.CSRF}, "etag": {"7"}, "approved-0": {"12 500"}, "approved-1": {"900,1"}, "reason-1": {"the minibar"}}
	rec := serve(c, http.MethodPost, "/console/claims/"+claimID+"/approve", form, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("%d:\n%s", rec.Code, rec.Body)
	}
	_, body := posts(api)
	for _, want := range []string{`"etag":"7"`, `{"approved":{"amountMinor":"1250000","currencyCode":"SEK"},"lineId":"1"}`,
		`{"approved":{"amountMinor":"90010","currencyCode":"SEK"},"lineId":"2","reason":"the minibar"}`} {
		if !strings.Contains(body, want) {
			t.Errorf("API got %s, lacking %s", body, want)
		}
	}
}

// An amount the console cannot read is marked beside its line, keeps what was typed, and sends nothing.
func TestApproveWithUnreadableAmountSendsNothing(t *testing.T) {
	api := claimAPI(claimStateSubmitted, nil)
	c := newTestConsole(t, api)
	s := coordinator()
	form := url.Values{"csrf": {s.CSRF}, "etag": {"7"}, "approved-0": {"12500"}, "approved-1": {"abc"}}
	rec := serve(c, http.MethodPost, "/console/claims/"+claimID+"/approve", form, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	errAt, inputAt := strings.Index(body, `id="approved-1-error"`), strings.Index(body, `<input id="approved-1"`)
	if errAt < 0 || inputAt < errAt || !strings.Contains(body[errAt:inputAt], "Skriv beloppet i kronor") {
		t.Fatalf("no error beside line 2's amount:\n%s", body)
	}
	for _, want := range []string{`value="abc" aria-describedby="approved-1-hint approved-1-error" aria-invalid="true"`, "<title>Fel:"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "approved-0-error") {
		t.Error("an error beside line 1, which was right")
	}
	if n, _ := posts(api); n != 0 {
		t.Errorf("%d posts reached the API", n)
	}
}

// The API's field violations of a decision stand beside that line's inputs.
func TestApproveRefusalIsShownBesideItsLine(t *testing.T) {
	api := claimAPI(claimStateSubmitted, func(r *http.Request, _ string) (int, any) {
		return http.StatusBadRequest, map[string]any{"code": 3, "message": "invalid input", "details": []any{
			map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_ARGUMENT"},
			map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": []any{
				map[string]any{"field": "decisions[1].reason", "description": "say why the line is not approved in full"},
				map[string]any{"field": "decisions[0].approved", "description": "approve from 0 SEK up to the line's cost of 12500.00 SEK"},
			}}}}
	})
	c := newTestConsole(t, api)
	s := coordinator()
	form := url.Values{"csrf": {s.CSRF}, "etag": {"7"}, "approved-0": {"99999"}, "approved-1": {"900"}}
	rec := serve(c, http.MethodPost, "/console/claims/"+claimID+"/approve", form, sessionCookieFor(t, c, s), &http.Cookie{Name: langCookie, Value: "en"})
	body := rec.Body.String()
	for _, want := range []string{`id="reason-1-error">say why the line is not approved in full</p>`,
		`id="approved-0-error">approve from 0 SEK up to the line`, `value="99999"`, "Please correct what is marked below."} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s:\n%s", want, body)
		}
	}
	if rec.Code != http.StatusBadRequest {
		t.Errorf("status %d", rec.Code)
	}
}

// A rejection without a reason is refused by the API beside the reason's input.
func TestRejectWithoutReason(t *testing.T) {
	api := claimAPI(claimStateSubmitted, func(r *http.Request, _ string) (int, any) {
		return http.StatusBadRequest, map[string]any{"code": 3, "message": "invalid input", "details": []any{
			map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": []any{
				map[string]any{"field": "reason", "description": "value length must be at least 1 characters"}}}}}
	})
	c := newTestConsole(t, api)
	s := coordinator()
	rec := serve(c, http.MethodPost, "/console/claims/"+claimID+"/reject", url.Values{"csrf": {s.CSRF}, "etag": {"7"}}, sessionCookieFor(t, c, s))
	if body := rec.Body.String(); rec.Code != http.StatusBadRequest || !strings.Contains(body, `id="rejectReason-error">Skriv varför anspråket avslås`) {
		t.Errorf("%d:\n%s", rec.Code, body)
	}
}

// The claims list passes its state filter and page token to the API.
func TestClaimsListFiltersByState(t *testing.T) {
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		return http.StatusOK, map[string]any{"nextPageToken": "t2", "claims": []any{submittedClaim(claimStateSubmitted)}}
	}}
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/claims?state=CLAIM_STATE_SUBMITTED&page=t1", nil, sessionCookieFor(t, c, coordinator()))
	q := api.calls[0].URL.Query()
	if q.Get("state") != claimStateSubmitted || q.Get("page_token") != "t1" {
		t.Errorf("API asked %s", api.calls[0].URL)
	}
	for _, want := range []string{`<a href="/console/claims/` + claimID + `">2026-03-01 – 2026-03-31</a>`, "<td>inskickat</td>",
		`value="CLAIM_STATE_SUBMITTED" selected`, "page=t2", `<td class="amount">–</td>`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("page lacks %s:\n%s", want, rec.Body)
		}
	}
}

// A partnership's page links to the claims on each of its budgets, and that list asks the API for them.
func TestPartnershipLinksToTheClaimsOfItsBudgets(t *testing.T) {
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		switch r.URL.Path {
		case "/v1/organizations":
			return http.StatusOK, organizationsAnswer
		case "/v1/partnerships/p1":
			return http.StatusOK, map[string]any{"id": "p1", "title": "Water", "state": "PARTNERSHIP_STATE_ACTIVE"}
		case "/v1/budgets":
			return http.StatusOK, map[string]any{"budgets": []any{map[string]any{"id": "b1", "applicationKind": "APPLICATION_KIND_INCEPTION",
				"state": "BUDGET_STATE_APPROVED", "createTime": "2026-03-01T10:00:00Z"}}}
		}
		return http.StatusOK, map[string]any{"claims": []any{}}
	}}
	c := newTestConsole(t, api)
	ck := sessionCookieFor(t, c, member())
	rec := serve(c, http.MethodGet, "/console/partnerships/p1", nil, ck)
	if body := rec.Body.String(); !strings.Contains(body, `<a href="/console/claims?budget=b1">Ersättningsanspråk på budgeten för förstudie</a> (godkänd, 2026-03-01)`) {
		t.Fatalf("%d:\n%s", rec.Code, body)
	}
	if q := api.calls[len(api.calls)-1].URL.Query(); q.Get("partnership_id") != "p1" {
		t.Errorf("budgets asked with %v", q)
	}
	rec = serve(c, http.MethodGet, "/console/claims?budget=b1", nil, ck)
	if q := api.calls[len(api.calls)-1].URL.Query(); q.Get("budget_id") != "b1" || !strings.Contains(rec.Body.String(), `<input type="hidden" name="budget" value="b1">`) ||
		!strings.Contains(rec.Body.String(), `<a href="/console/budgets/b1">Se budgeten med diagram</a>`) {
		t.Errorf("claims asked with %v:\n%s", q, rec.Body)
	}
}
