package console

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const batchID = "77777777-7777-7777-7777-777777777777"

// batchAPI answers as the finance service does for a coordinator; a member is refused every batch (403).
func batchAPI(state string) *fakeAPI {
	sek := func(ore string) map[string]any { return map[string]any{"currencyCode": "SEK", "amountMinor": ore} }
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		if strings.HasPrefix(r.URL.Path, "/v1/payment-batches") && r.Header.Get("Authorization") == "Bearer member-token" {
			return http.StatusForbidden, map[string]any{"code": 7, "message": "the role member may not do this"}
		}
		switch {
		case r.URL.Path == "/v1/payment-batches" && r.Method == http.MethodGet:
			return http.StatusOK, map[string]any{"batches": []any{map[string]any{"id": batchID, "claimIds": []string{"c1"}, "state": state,
				"total": sek("1340000"), "createTime": "2026-12-01T10:00:00Z"}}}
		case r.URL.Path == "/v1/claims":
			if r.URL.Query().Get("state") == "CLAIM_STATE_APPROVED" {
				return http.StatusOK, map[string]any{"claims": []any{
					map[string]any{"id": "c2", "state": "CLAIM_STATE_APPROVED", "approvedTotal": sek("50000"), "createTime": "2026-12-02T00:00:00Z"},
					map[string]any{"id": "c1", "state": "CLAIM_STATE_APPROVED", "paymentBatchId": batchID}}}
			}
			return http.StatusOK, map[string]any{"claims": []any{
				map[string]any{"id": "c3", "state": "CLAIM_STATE_PARTLY_APPROVED", "approvedTotal": sek("90000"), "createTime": "2026-12-01T00:00:00Z"}}}
		case r.URL.Path == "/v1/payment-batches" && r.Method == http.MethodPost:
			return http.StatusCreated, map[string]any{"id": batchID}
		case r.URL.Path == "/v1/payment-batches/"+batchID:
			return http.StatusOK, map[string]any{"id": batchID, "claimIds": []string{"c1"}, "state": state, "etag": "3",
				"total": sek("1340000"), "createTime": "2026-12-01T10:00:00Z", "payments": []any{
					map[string]any{"claimId": "c1", "organizationId": "o1", "amount": sek("1340000")}}}
		case r.URL.Path == "/v1/organizations/o1":
			return http.StatusOK, map[string]any{"id": "o1", "displayName": "Malmö stad"}
		case r.URL.Path == "/v1/payment-batches/"+batchID+":pay":
			return http.StatusOK, map[string]any{"id": batchID}
		}
		return http.StatusNotFound, map[string]any{"code": 5, "message": "not found"}
	}}
}

func memberWithToken() *session {
	s := member()
	s.Token = "member-token"
	return s
}

// A coordinator sees the batches and can gather the approved claims not yet in a batch, oldest first.
func TestPaymentBatchesListAndTheFormForANewOne(t *testing.T) {
	c := newTestConsole(t, batchAPI(paymentBatchStateOpen))
	rec := serve(c, http.MethodGet, "/console/payment-batches", nil, sessionCookieFor(t, c, coordinator()))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("%d\n%s", rec.Code, body)
	}
	for _, want := range []string{`<a href="/console/payment-batches/` + batchID + `">2026-12-01</a>`, "väntar på utbetalning", "13\u00a0400,00\u00a0kr",
		`id="claim-c3" name="claim" value="c3"`, `id="claim-c2" name="claim" value="c2"`, "900,00\u00a0kr"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, `value="c1"`) || strings.Index(body, `value="c3"`) > strings.Index(body, `value="c2"`) {
		t.Errorf("a claim already in a batch is offered, or the claims are not oldest first:\n%s", body)
	}
	// Members see no batch: the not-found page, as for a batch that does not exist.
	for _, path := range []string{"/console/payment-batches", "/console/payment-batches/" + batchID, "/console/payment-batches/" + batchID + "/export?format=csv"} {
		rec := serve(c, http.MethodGet, path, nil, sessionCookieFor(t, c, memberWithToken()))
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "Sidan finns inte") {
			t.Errorf("a member at %s: %d", path, rec.Code)
		}
	}
}

// No claim ticked is marked beside the choice and nothing is sent; ticked claims make the batch.
func TestCreatePaymentBatch(t *testing.T) {
	api := batchAPI(paymentBatchStateOpen)
	c := newTestConsole(t, api)
	s := coordinator()
	rec := serve(c, http.MethodPost, "/console/payment-batches", url.Values{"csrf": {s.CSRF}}, sessionCookieFor(t, c, s))
	if body := rec.Body.String(); rec.Code != http.StatusBadRequest || !strings.Contains(body, `id="claims-error">Välj minst ett anspråk.`) {
		t.Fatalf("nothing ticked: %d\n%s", rec.Code, body)
	}
	if n, _ := posts(api); n != 0 {
		t.Fatalf("%d POSTs for an empty choice", n)
	}
	rec = serve(c, http.MethodPost, "/console/payment-batches", url.Values{"csrf": {s.CSRF}, "claim": {"c2", "c3"}, "idempotencyKey": {"k"}},
		sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/payment-batches/"+batchID {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Location"))
	}
	_, last := posts(api)
	var sent struct{ ClaimIDs []string }
	if err := json.Unmarshal([]byte(last), &sent); err != nil || strings.Join(sent.ClaimIDs, ",") != "c2,c3" {
		t.Errorf("sent %s", last)
	}
}

// The batch page lists its payments and files, and an open batch is paid with the etag the page showed.
func TestPaymentBatchPageAndPayment(t *testing.T) {
	api := batchAPI(paymentBatchStateOpen)
	c := newTestConsole(t, api)
	s := coordinator()
	rec := serve(c, http.MethodGet, "/console/payment-batches/"+batchID, nil, sessionCookieFor(t, c, s))
	body := rec.Body.String()
	for _, want := range []string{`<a href="/console/claims/c1">`, "13\u00a0400,00\u00a0kr", `/export?format=csv"`, `/export?format=sie&amp;organization=o1"`, `<a href="/console/organizations/o1">Malmö stad</a>`, "bokföringen hos Malmö stad",
		`action="/console/payment-batches/` + batchID + `/pay"`, `name="etag" value="3"`, "<caption>"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	rec = serve(c, http.MethodPost, "/console/payment-batches/"+batchID+"/pay", url.Values{"csrf": {s.CSRF}, "etag": {"3"}}, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("pay: %d", rec.Code)
	}
	if _, last := posts(api); !strings.Contains(last, `"etag":"3"`) {
		t.Errorf("pay sent %s", last)
	}
	paid := newTestConsole(t, batchAPI("PAYMENT_BATCH_STATE_PAID"))
	if body := serve(paid, http.MethodGet, "/console/payment-batches/"+batchID, nil, sessionCookieFor(t, paid, s)).Body.String(); strings.Contains(body, "/pay\"") {
		t.Error("a paid batch offers to pay it again")
	}
}

// exportAPI answers the export with a file, or refuses a format it does not know.
type exportAPI struct{ fakeAPI }

func (e *exportAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.calls = append(e.calls, r)
	if r.URL.Query().Get("format") != "csv" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"code":3,"message":"format must be csv or sie"}`))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	_, _ = w.Write([]byte("claim_id,organization_id\nc1,o1\n"))
}

// The export is the API's answer passed on as a download, bytes and type unchanged; a refusal is the
// console's problem page.
func TestExportPaymentBatchStreamsTheAPIsFile(t *testing.T) {
	api := &exportAPI{}
	c := newTestConsole(t, api)
	s := coordinator()
	rec := serve(c, http.MethodGet, "/console/payment-batches/"+batchID+"/export?format=csv", nil, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusOK || rec.Body.String() != "claim_id,organization_id\nc1,o1\n" || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		rec.Header().Get("Content-Disposition") != mime.FormatMediaType("attachment", map[string]string{"filename": "payment-batch-" + batchID + ".csv"}) {
		t.Fatalf("%d %v\n%s", rec.Code, rec.Header(), rec.Body)
	}
	call := api.calls[0]
	if call.URL.Path != "/v1/payment-batches/"+batchID+":export" || call.URL.Query().Get("format") != "csv" || call.Header.Get("Authorization") != "Bearer "+s.Token {
		t.Errorf("called %s as %q", call.URL, call.Header.Get("Authorization"))
	}
	rec = serve(c, http.MethodGet, "/console/payment-batches/"+batchID+"/export?format=xlsx", nil, sessionCookieFor(t, c, s))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") || rec.Header().Get("Content-Disposition") != "" {
		t.Errorf("a refused export: %d %v", rec.Code, rec.Header())
	}
}

// Every state of a batch has its words.
func TestCatalogueHasEveryBatchState(t *testing.T) {
	if len(paymentBatchStates) != 2 {
		t.Fatalf("states from the proto: %v", paymentBatchStates)
	}
	for _, l := range languages {
		for _, st := range paymentBatchStates {
			if _, ok := lookup(l, "batchState."+st); !ok {
				t.Errorf("%s lacks batchState.%s", l, st)
			}
		}
		for _, key := range []string{"batches.chooseClaims", "field.batches.claims", "reason.BATCH_ALREADY_PAID", "reason.CLAIM_NOT_APPROVED"} {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %s", l, key)
			}
		}
	}
}
