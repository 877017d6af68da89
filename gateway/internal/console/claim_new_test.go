package console

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// claimFormAPI answers the budget, its reports, uploads and the claim's creation with create.
func claimFormAPI(create func(body string) (int, any)) *fakeAPI {
	budgets := budgetAPI("BUDGET_STATE_APPROVED", 1)
	uploads := 0
	return &fakeAPI{answer: func(r *http.Request, body string) (int, any) {
		switch {
		case r.URL.Path == "/v1/partnerships/p1/reports":
			return http.StatusOK, map[string]any{"reports": []any{map[string]any{"id": "r1", "kind": "REPORT_KIND_PARTIAL", "year": 2026,
				"state": "REPORT_STATE_APPROVED"}}}
		case r.URL.Path == "/v1/documents" && r.Method == http.MethodPost:
			uploads++
			sum := sha256.Sum256([]byte(body))
			return http.StatusCreated, map[string]any{"id": "d" + strconv.Itoa(uploads), "fileName": r.URL.Query().Get("fileName"),
				"size": strconv.Itoa(len(body)), "sha256": hex.EncodeToString(sum[:])}
		case r.URL.Path == "/v1/claims" && r.Method == http.MethodPost:
			return create(body)
		}
		return budgets.answer(r, body)
	}}
}

// postClaimForm sends the new claim form as a browser does, multipart, with files by input name.
func postClaimForm(t *testing.T, c *Console, s *session, fields map[string]string, files map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for name, content := range files {
		fw, err := mw.CreateFormFile(name, "Kvitto #"+name+".pdf")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write([]byte(content))
	}
	_ = mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/console/budgets/"+budgetID+"/claims", &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(sessionCookieFor(t, c, s))
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, r)
	return rec
}

// calledPaths are the API calls made, as "METHOD path".
func calledPaths(api *fakeAPI) []string {
	var out []string
	for _, call := range api.calls {
		out = append(out, call.Method+" "+call.URL.Path)
	}
	return out
}

// The form offers the budget's lines, the application's reports and empty rows, as a multipart form.
func TestClaimFormOffersTheBudgetsLines(t *testing.T) {
	c := newTestConsole(t, claimFormAPI(nil))
	rec := serve(c, http.MethodGet, "/console/budgets/"+budgetID+"/claims/new", nil, sessionCookieFor(t, c, member()))
	body := rec.Body.String()
	for _, want := range []string{`enctype="multipart/form-data"`, `action="/console/budgets/` + budgetID + `/claims"`,
		`<option value="travel">travel (2026): resor till och från partnern</option>`, `<option value="r1">2026, delrapport (godkänd)</option>`,
		`<label for="amount-2">`, `id="receipt-2" name="receipt-2" type="file"`, `name="rows" value="3"`, `?lines=6"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %s", want)
		}
	}
	if rec.Code != http.StatusOK {
		t.Fatalf("%d\n%s", rec.Code, body)
	}
	// A role that can never claim is not shown the form.
	if rec := serve(c, http.MethodGet, "/console/budgets/"+budgetID+"/claims/new", nil, sessionCookieFor(t, c, coordinator())); rec.Code != http.StatusForbidden {
		t.Errorf("a coordinator got %d", rec.Code)
	}
}

// A form the console can tell is wrong is shown again with each problem beside its input, and nothing is
// stored: no receipt uploaded, no claim created.
func TestClaimFormRefusesWhatItCanBeforeUploading(t *testing.T) {
	api := claimFormAPI(func(string) (int, any) { t.Error("a claim was created"); return http.StatusOK, nil })
	c := newTestConsole(t, api)
	s := member()
	rec := postClaimForm(t, c, s, map[string]string{"csrf": s.CSRF, "rows": "3", "periodStart": "2026-03-01", "periodEnd": "2026-03-31",
		"date-0": "2026-04-02", "line-0": "travel", "amount-0": "12 500", // outside the period
		"date-1": "2026-03-05", "line-1": "hotel", "amount-1": "1234,567", // three decimals
		"date-2": "2026-03-06", "line-2": "", "amount-2": "10"}, // no line, and the same file as row 0
		map[string]string{"receipt-0": "%PDF-1 same", "receipt-1": "%PDF-1 other", "receipt-2": "%PDF-1 same"})
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("%d\n%s", rec.Code, body)
	}
	for _, want := range []string{`id="date-0-error">Datumet ligger utanför redovisningsperioden.`, `id="amount-1-error">Skriv beloppet i kronor`,
		`id="line-2-error">Välj den budgetrad`, `id="receipt-2-error">Samma fil är vald som kvitto på kostnad 1.`,
		`value="1234,567" aria-describedby="amount-1-hint amount-1-error" aria-invalid="true"`, `<a href="#date-0">Kostnad 1: Betaldatum</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, p := range calledPaths(api) {
		if strings.HasPrefix(p, "POST") {
			t.Errorf("called %s", p)
		}
	}
	// Without the session's CSRF token nothing is read or sent.
	before := api.count()
	if rec := postClaimForm(t, c, s, map[string]string{"csrf": "forged", "periodStart": "2026-03-01"}, nil); rec.Code != http.StatusForbidden || api.count() != before {
		t.Errorf("a forged form: %d, %d calls", rec.Code, api.count()-before)
	}
}

// A right form stores each receipt through POST /v1/documents as the person, then creates the claim naming
// them, with the amounts exactly in öre and each line's category its budget line's, and leads to the claim.
func TestClaimFormStoresReceiptsThenCreatesTheClaim(t *testing.T) {
	var sent map[string]any
	api := claimFormAPI(func(body string) (int, any) {
		_ = json.Unmarshal([]byte(body), &sent)
		return http.StatusCreated, map[string]any{"id": claimID}
	})
	c := newTestConsole(t, api)
	s := member()
	rec := postClaimForm(t, c, s, map[string]string{"csrf": s.CSRF, "rows": "3", "idempotencyKey": "k1", "periodStart": "2026-03-01",
		"periodEnd": "2026-03-31", "reportId": "r1", "date-0": "2026-03-04", "line-0": "travel", "description-0": "Flight", "amount-0": "12 500,05",
		"date-2": "2026-03-05", "line-2": "hotel", "amount-2": "0.1"},
		map[string]string{"receipt-0": "%PDF-1 flight", "receipt-2": "%PDF-1 hotel"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/claims/"+claimID {
		t.Fatalf("%d %s\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	var uploads int
	for i, call := range api.calls {
		if call.URL.Path != "/v1/documents" {
			continue
		}
		uploads++
		q := call.URL.Query()
		if q.Get("partnershipId") != "p1" || q.Get("kind") != "DOCUMENT_KIND_RECEIPT" || !strings.HasPrefix(q.Get("fileName"), "Kvitto _receipt-") ||
			call.Header.Get("Authorization") != "Bearer "+s.Token || !strings.HasPrefix(api.bodies[i], "%PDF-1 ") {
			t.Errorf("upload %s with %q as %q", call.URL, api.bodies[i], call.Header.Get("Authorization"))
		}
	}
	if uploads != 2 {
		t.Fatalf("%d uploads, want 2: %v", uploads, calledPaths(api))
	}
	raw, _ := json.Marshal(sent)
	for _, want := range []string{`"budgetId":"` + budgetID + `"`, `"reportId":"r1"`, `"periodStart":{"day":1,"month":3,"year":2026}`,
		`"amountMinor":"1250005"`, `"amountMinor":"10"`, `"category":"CATEGORY_TRAVEL"`, `"category":"CATEGORY_ACCOMMODATION"`,
		`"documentId":"d1"`, `"documentId":"d2"`, `"id":"1"`, `"id":"2"`, `"description":"Flight"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the claim sent lacks %s: %s", want, raw)
		}
	}
	flight := sha256.Sum256([]byte("%PDF-1 flight"))
	if !strings.Contains(string(raw), hex.EncodeToString(flight[:])) {
		t.Errorf("the claim does not name the flight's hash: %s", raw)
	}
}

// The API's refusal of a line's field stands beside that line's input; the receipts already stored are
// kept by the form, so sending it again names them without a second upload.
func TestClaimFormKeepsStoredReceiptsAfterARefusal(t *testing.T) {
	refuse := true
	api := claimFormAPI(func(string) (int, any) {
		if refuse {
			return http.StatusBadRequest, map[string]any{"code": 3, "message": "bad", "details": []any{
				map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_ARGUMENT"},
				map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": []any{
					map[string]any{"field": "claim.lines[0].receipt.sha256", "description": "the receipt is already claimed"}}}}}
		}
		return http.StatusCreated, map[string]any{"id": claimID}
	})
	c := newTestConsole(t, api)
	s := member()
	fields := map[string]string{"csrf": s.CSRF, "rows": "3", "periodStart": "2026-03-01", "periodEnd": "2026-03-31",
		"date-1": "2026-03-04", "line-1": "travel", "amount-1": "100"}
	rec := postClaimForm(t, c, s, fields, map[string]string{"receipt-1": "%PDF-1 once"})
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest || !strings.Contains(body, `id="receipt-1-error"`) || !strings.Contains(body, `name="document-1" value="d1"`) {
		t.Fatalf("%d\n%s", rec.Code, body)
	}
	refuse = false
	fields["document-1"], fields["documentName-1"], fields["documentSize-1"] = "d1", "Kvitto _receipt-1.pdf", "11"
	once := sha256.Sum256([]byte("%PDF-1 once"))
	fields["documentSha256-1"] = hex.EncodeToString(once[:])
	uploadsBefore := strings.Count(strings.Join(calledPaths(api), " "), "/v1/documents")
	if rec := postClaimForm(t, c, s, fields, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("sent again: %d\n%s", rec.Code, rec.Body)
	}
	if n := strings.Count(strings.Join(calledPaths(api), " "), "/v1/documents"); n != uploadsBefore {
		t.Errorf("the kept receipt was uploaded again")
	}
}

// File names are stored as the document service accepts them.
func TestReceiptName(t *testing.T) {
	for in, want := range map[string]string{"Kvitto #3.pdf": "Kvitto _3.pdf", `C:\Users\anna\hotell (1).pdf`: "hotell (1).pdf",
		"": "receipt", "résumé.png": "résumé.png", "../../etc/passwd": "passwd"} {
		if got := receiptName(in); got != want {
			t.Errorf("receiptName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := receiptName(strings.Repeat("a", 300) + ".pdf"); len(got) != receiptNameMax || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("a long name: %q", got)
	}
}

// Every word the form builds from the API's values, and every input's label and refusal, is in the catalogue.
func TestCatalogueHasTheClaimFormsWords(t *testing.T) {
	var keys []string
	for _, k := range reportKinds {
		keys = append(keys, "claimNew.reportKind."+k)
	}
	for _, st := range reportStates {
		keys = append(keys, "claimNew.reportState."+st)
	}
	for _, in := range claimFormInputs {
		keys = append(keys, "input."+in, "field."+in)
	}
	keys = append(keys, "claimNew.tooLarge", "claimNew.badDay", "claimNew.endBeforeStart", "claimNew.outsidePeriod", "claimNew.otherYear",
		"claimNew.chooseLine", "claimNew.longDescription", "claimNew.badAmount", "claimNew.noReceipt", "claimNew.badReceipt",
		"claimNew.sameReceipt", "claimNew.noCosts", "claimNew.budgetNotOpen", "reason.ROLE_NOT_ALLOWED")
	for _, l := range languages {
		for _, key := range keys {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %q", l, key)
			}
		}
	}
}

// A form larger than the gateway takes of a document is refused before any of it is read or stored.
func TestClaimFormTooLarge(t *testing.T) {
	api := claimFormAPI(nil)
	c := newTestConsole(t, api)
	s := member()
	rec := postClaimForm(t, c, s, map[string]string{"csrf": s.CSRF, "rows": "3"},
		map[string]string{"receipt-0": strings.Repeat("x", int(c.claimFormMaxBytes())+1)})
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "Filerna är för stora tillsammans. Skicka högst 20 MB") {
		t.Errorf("%d\n%s", rec.Code, rec.Body)
	}
	for _, p := range calledPaths(api) {
		if strings.HasPrefix(p, "POST") {
			t.Errorf("called %s", p)
		}
	}
}
