package e2e

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// approvedBudget prepares, through the REST API, a partnership of sv and intl with an approved inception,
// an approved budget of two lines for this year (travel 150 000 kr, hotel 80 000 kr) and an approved
// partial report, so that a claim on the budget can be submitted and approved. It answers the budget's and
// the report's ids.
func approvedBudget(t *testing.T, s *suite.Suite, sv, intl string) (budget, report string) {
	t.Helper()
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, sv)}
	now := today()
	p := member.do("POST", "/v1/partnerships", fmt.Sprintf(`{"swedish_organization_id":%q,"international_organization_id":%q,
		"title":"Money in the console","core_areas":["CORE_AREA_PARTICIPATION"]}`, sv, intl)).must(t, http.StatusCreated).str("id")
	app := approvedInception(t, member, coordinator, p)
	budget = member.do("POST", "/v1/budgets", fmt.Sprintf(`{"partnership_id":%q,"application_id":%q,"lines":[
		{"id":"travel","category":"CATEGORY_TRAVEL","year":%[3]d,"description":"Flights to Lusaka","amount":{"currency_code":"SEK","amount_minor":15000000}},
		{"id":"hotel","category":"CATEGORY_ACCOMMODATION","year":%[3]d,"amount":{"currency_code":"SEK","amount_minor":8000000}}]}`,
		p, app, now.Year())).must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/budgets/"+budget+":submit", `{}`).must(t, http.StatusOK)
	granted(t, admin, now.Year())
	coordinator.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusOK)
	return budget, approvedReport(t, member, coordinator, p, app)
}

// submitFiles sends a form of the current page with files, as multipart/form-data, as a browser does:
// its CSRF token and idempotency key with fields, and files by input name (each a name and its bytes).
func (b *browser) submitFiles(path string, fields url.Values, files map[string][2]string) int {
	b.t.Helper()
	fields.Set("csrf", b.hidden("csrf"))
	fields.Set("idempotencyKey", b.hidden("idempotencyKey"))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for input, file := range files {
		w, err := mw.CreateFormFile(input, file[0])
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = io.WriteString(w, file[1])
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	b.page, b.at = string(raw), resp.Request.URL
	return resp.StatusCode
}

// download fetches path with the browser's session and answers the response with its body.
func (b *browser) download(path string) (*http.Response, []byte) {
	b.t.Helper()
	resp, err := b.client.Get(b.base + path)
	if err != nil {
		b.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, raw
}

// A member enters a claim with a receipt file through the console (first with a mistake the console
// marks beside its input, storing nothing) and submits it; a coordinator sees it waiting on the dashboard,
// approves it, gathers it into a payment batch and downloads the batch's CSV, which is the API's export
// byte for byte, and marks it paid; the budget page then shows the line claimed and paid to the öre.
// Another organisation's member meets the not-found page at the budget's and the batch's addresses.
func TestConsoleMoneyClaimWithReceiptToPayment(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	d := demo(t, admin)
	budget, report := approvedBudget(t, s, d.malmo, d.lusaka)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	budgetPage := "/console/budgets/" + budget
	now := today()

	anna := newBrowser(t, s.GatewayURL)
	anna.signIn(d.malmo)
	mustOpen(anna, budgetPage)
	anna.mustShow("<h1>Budget för förstudie</h1>", `role="img"`, "<title id=\"chart-title\">", "<caption>", "150\u00a0000,00\u00a0kr",
		`href="`+budgetPage+`/claims/new"`)
	mustOpen(anna, budgetPage+"/claims/new")
	anna.mustShow(`enctype="multipart/form-data"`, `<option value="travel">`, `<option value="`+report+`">`)

	receipt := samplePDF(4000) + "flight-to-lusaka"
	documentsBefore := len(list(member.do("GET", "/v1/partnerships/"+claimPartnership(t, coordinator, budget)+"/documents", "").must(t, http.StatusOK).body, "documents"))
	form := url.Values{"rows": {"3"}, "periodStart": {now.iso()}, "periodEnd": {now.iso()}, "reportId": {report},
		"date-0": {now.iso()}, "line-0": {"travel"}, "description-0": {"Flyg Köpenhamn–Lusaka"}, "amount-0": {"12 500,5"}}
	files := map[string][2]string{"receipt-0": {"flyg biljett #1.pdf", receipt}}

	// Three decimals is no amount: marked beside the line's input, and nothing is stored.
	form.Set("amount-0", "12 500,505")
	if status := anna.submitFiles(budgetPage+"/claims", form, files); status != http.StatusBadRequest {
		t.Fatalf("an unreadable amount: %d\n%s", status, anna.page)
	}
	anna.mustShow(`id="amount-0-error">Skriv beloppet i kronor`, `value="12 500,505" aria-describedby="amount-0-hint amount-0-error" aria-invalid="true"`)
	if n := len(list(member.do("GET", "/v1/partnerships/"+claimPartnership(t, coordinator, budget)+"/documents", "").must(t, http.StatusOK).body, "documents")); n != documentsBefore {
		t.Fatalf("a refused form stored %d documents", n-documentsBefore)
	}

	form.Set("amount-0", "12 500,5")
	if status := anna.submitFiles(budgetPage+"/claims", form, files); status != http.StatusOK || !strings.HasPrefix(anna.at.Path, "/console/claims/") {
		t.Fatalf("the claim form led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	claimPage := anna.at.Path
	id := strings.TrimPrefix(claimPage, "/console/claims/")
	anna.mustShow("<strong>utkast</strong>", "12\u00a0500,50\u00a0kr", "flyg biljett _1.pdf", `action="`+claimPage+`/submit"`)

	// The API holds exactly what was typed and chosen: the amount in öre, the receipt's bytes.
	created := member.do("GET", "/v1/claims/"+id, "").must(t, http.StatusOK)
	if !strings.Contains(created.raw, `"amountMinor":"1250050"`) || created.str("reportId") != report || !strings.Contains(created.raw, `"budgetLineId":"travel"`) {
		t.Fatalf("the API has %s", created.raw)
	}
	doc := regexp.MustCompile(`"documentId":"([^"]+)"`).FindStringSubmatch(created.raw)
	if doc == nil {
		t.Fatalf("the claim names no stored receipt: %s", created.raw)
	}
	if back := member.do("GET", "/v1/documents/"+doc[1]+":download", "").must(t, http.StatusOK); back.raw != receipt {
		t.Fatalf("the stored receipt is %d bytes, not the %d chosen", len(back.raw), len(receipt))
	}

	if status := anna.submit(claimPage+"/submit", url.Values{"etag": {anna.hidden("etag")}}); status != http.StatusOK || anna.at.Path != claimPage {
		t.Fatalf("submit led to %s with %d:\n%s", anna.at, status, anna.page)
	}
	anna.mustShow("<strong>inskickat</strong>")

	// The coordinator finds it waiting on the dashboard and approves it in full.
	eva := newBrowser(t, s.GatewayURL)
	eva.signInWithRole(auth.RoleCoordinator, "")
	eva.mustShow(`<h2 id="waiting-heading">`, `<a href="`+claimPage+`">`+now.iso()+" – "+now.iso()+"</a>, 12\u00a0500,50\u00a0kr")
	mustOpen(eva, claimPage)
	eva.mustShow(`value="12500,50"`)
	if status := eva.submit(claimPage+"/approve", url.Values{"etag": {eva.hidden("etag")}, "approved-0": {"12500,50"}}); status != http.StatusOK {
		t.Fatalf("approval: %d\n%s", status, eva.page)
	}
	eva.mustShow("<strong>godkänt</strong>")
	mustOpen(eva, "/console/")
	if strings.Contains(eva.page, `<a href="`+claimPage+`">`) {
		t.Error("a decided claim still waits on the dashboard")
	}

	// The approved claim is offered for a payment batch; the batch is made of it.
	mustOpen(eva, "/console/payment-batches")
	eva.mustShow(`id="claim-` + id + `" name="claim" value="` + id + `"`)
	if status := eva.submit("/console/payment-batches", url.Values{"claim": {id}}); status != http.StatusOK || !strings.HasPrefix(eva.at.Path, "/console/payment-batches/") {
		t.Fatalf("the new batch led to %s with %d:\n%s", eva.at, status, eva.page)
	}
	batchPage := eva.at.Path
	batch := strings.TrimPrefix(batchPage, "/console/payment-batches/")
	eva.mustShow("<strong>väntar på utbetalning</strong>", `<a href="`+claimPage+`">`, "12\u00a0500,50\u00a0kr", batchPage+`/export?format=csv"`)

	// The CSV the console downloads is the API's export, byte for byte, with its type.
	resp, file := eva.download(batchPage + "/export?format=csv")
	api := coordinator.do("GET", "/v1/payment-batches/"+batch+":export?format=csv", "").must(t, http.StatusOK)
	if resp.StatusCode != http.StatusOK || string(file) != api.raw || resp.Header.Get("Content-Type") != api.header.Get("Content-Type") ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(string(file), id+","+d.malmo+",SEK,12500.50,1250050") {
		t.Fatalf("the console's CSV (%d, %v):\n%s\nthe API's (%v):\n%s", resp.StatusCode, resp.Header, file, api.header, api.raw)
	}

	if status := eva.submit(batchPage+"/pay", url.Values{"etag": {eva.hidden("etag")}}); status != http.StatusOK || eva.at.Path != batchPage {
		t.Fatalf("paying led to %s with %d:\n%s", eva.at, status, eva.page)
	}
	eva.mustShow("<strong>utbetald</strong>")
	if paid := member.do("GET", "/v1/claims/"+id, "").must(t, http.StatusOK); paid.str("state") != "CLAIM_STATE_PAID" {
		t.Fatalf("the claim after payment: %s", paid.raw)
	}

	// The budget page now has the travel line claimed, approved and paid to the öre, and the hotel untouched.
	mustOpen(anna, budgetPage)
	row := regexp.MustCompile(`(?s)<th scope="row">travel \(\d+\).*?</tr>`).FindString(anna.page)
	if strings.Count(row, "12\u00a0500,50\u00a0kr") != 3 || !strings.Contains(row, "150\u00a0000,00\u00a0kr") {
		t.Fatalf("the travel line: %s\n%s", row, anna.page)
	}

	// Växjö's member meets the not-found page at the budget's and the batch's addresses.
	lars := newBrowser(t, s.GatewayURL)
	lars.signIn(d.vaxjo)
	for _, path := range []string{budgetPage, budgetPage + "/claims/new", batchPage, batchPage + "/export?format=csv"} {
		if status := lars.open(http.MethodGet, path, nil); status != http.StatusNotFound {
			t.Fatalf("another organisation's member at %s got %d:\n%s", path, status, lars.page)
		}
		lars.mustShow("<h1>Sidan finns inte</h1>")
	}
}

// claimPartnership is the partnership of budget, as the API says.
func claimPartnership(t *testing.T, c client, budget string) string {
	t.Helper()
	return c.do("GET", "/v1/budgets/"+budget, "").must(t, http.StatusOK).str("partnershipId")
}

// The money pages in a real headless Chromium, by mouse and keyboard, with axe-core checking each against
// WCAG 2.1 A and AA: a member reads the budget page with its chart, enters a claim with a receipt file
// (first with an amount the console marks beside its input), and submits it; a coordinator finds it waiting
// on the dashboard, approves it, and gathers it into a payment batch.
func TestConsoleMoneyInABrowser(t *testing.T) {
	chrome := chromiumPath(t)
	shots := screenshotDir(t)
	s := startSuite(t)
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	malmo := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Malmö stad",
		"swedish":{"org_number":"2120001124","municipality_code":"1280"}}`).must(t, http.StatusCreated).str("id")
	lusaka := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
		"display_name":"Lusaka City Council","international":{"country_code":"ZM","government_kind":"city council"}}`).must(t, http.StatusCreated).str("id")
	budget, _ := approvedBudget(t, s, malmo, lusaka)
	now := today()
	receipt := filepath.Join(t.TempDir(), "hotel bill.pdf")
	if err := os.WriteFile(receipt, []byte(samplePDF(3000)+"hotel in Lusaka"), 0o600); err != nil {
		t.Fatal(err)
	}

	b := openBrowser(t, chrome, s.GatewayURL)
	b.signIn("member of a Swedish organisation", "Malmö stad")
	b.do("open the budget", chromedp.Navigate(b.base+"/console/budgets/"+budget), chromedp.WaitVisible(chromedp.CSS(`svg[role="img"]`)))
	b.mustText("h1", "Budget for inception")
	b.checkAccessibility("the budget page")
	b.screenshot(filepath.Join(shots, "budget-en.png"))

	b.do("open the claim form", chromedp.Click(chromedp.CSS(`a[href$="/claims/new"]`)), chromedp.WaitVisible(chromedp.ID("receipt-2")))
	b.checkAccessibility("the claim form")
	// Date inputs are filled as a date picker leaves them (their value is the ISO day whatever the browser
	// shows); the rest is typed and chosen from the keyboard.
	setDay := func(id string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = %q`, id, now.iso()))
	}
	fill := func(amount string) {
		b.do("fill in the claim",
			setDay("periodStart"), setDay("periodEnd"), setDay("date-0"),
			b.choose("reportId", strconv.Itoa(now.Year()), fmt.Sprintf("%d, partial report (approved)", now.Year())),
			b.choose("line-0", "hotel", fmt.Sprintf("hotel (%d): accommodation", now.Year())),
			chromedp.Clear(chromedp.ID("amount-0")),
			chromedp.SendKeys(chromedp.ID("amount-0"), amount),
			chromedp.SetUploadFiles(chromedp.ID("receipt-0"), []string{receipt}),
		)
		b.mustValue("amount-0", amount)
		b.mustValue("date-0", now.iso())
	}
	fill("1,032.19")
	b.do("save the claim with an amount the console cannot read",
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)), chromedp.WaitVisible(chromedp.ID("problem-heading")))
	if said := b.describedBy("amount-0"); !strings.Contains(said, "Write the amount in kronor") {
		t.Fatalf("the amount is described by %q, not by its problem", said)
	}
	b.checkAccessibility("the claim form showing a field error")
	b.screenshot(filepath.Join(shots, "claim-new-error-en.png"))

	fill("1032.19")
	b.follow("save the corrected claim", chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	b.do("wait for the claim", chromedp.WaitVisible(chromedp.CSS(`form[action$="/submit"]`)))
	claimPage := b.location().Path
	b.mustText(".state strong", "draft")
	if lines := b.claimLines(); len(lines) != 1 || lines[0][3] != "SEK\u00a01,032.19" || lines[0][4] != "hotel bill.pdf" {
		t.Fatalf("the new claim's lines read %q", lines)
	}
	b.follow("submit the claim", chromedp.Click(chromedp.CSS(`form[action$="/submit"] button[type="submit"]`)))
	b.mustText(".state strong", "submitted")

	b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/console/sign-out"] button[type="submit"]`)), chromedp.WaitVisible(chromedp.ID("role")))
	b.signIn("ICLD coordinator", "")
	waiting := `#waiting-heading ~ ul a[href="` + claimPage + `"]`
	b.do("find the claim waiting", chromedp.WaitVisible(chromedp.CSS(waiting)))
	b.checkAccessibility("the dashboard with what waits")
	b.do("open the waiting claim", chromedp.Click(chromedp.CSS(waiting)), chromedp.WaitVisible(chromedp.ID("approved-0")))
	b.follow("approve the claim", chromedp.Click(chromedp.CSS(`form[action$="/approve"] button[type="submit"]`)))
	b.mustText(".state strong", "approved")

	claimID := strings.TrimPrefix(claimPage, "/console/claims/")
	b.do("open the payments", chromedp.Navigate(b.base+"/console/payment-batches"), chromedp.WaitVisible(chromedp.ID("claim-"+claimID)))
	b.checkAccessibility("the payment batches")
	b.do("choose the claim", chromedp.Click(chromedp.ID("claim-"+claimID)))
	b.follow("create the batch", chromedp.Click(chromedp.CSS(`form[action="/console/payment-batches"] button[type="submit"]`)))
	b.do("wait for the batch", chromedp.WaitVisible(chromedp.CSS(`form[action$="/pay"]`)))
	b.mustText(".state strong", "waiting to be paid")
	b.checkAccessibility("the payment batch")
	b.screenshot(filepath.Join(shots, "payment-batch-en.png"))
	b.follow("mark the batch paid", chromedp.Click(chromedp.CSS(`form[action$="/pay"] button[type="submit"]`)))
	b.mustText(".state strong", "paid")
	b.do("open the budget again", chromedp.Navigate(b.base+"/console/budgets/"+budget), chromedp.WaitVisible(chromedp.CSS(`svg[role="img"]`)))
	b.checkAccessibility("the budget page with a paid claim")
}
