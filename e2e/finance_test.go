package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// TestFinanceWalkthrough takes the Malmö–Lusaka demo partnership from an approved inception to a paid claim
// through the gateway: the finance service reads the application from the real partnership service over
// gRPC, the budget is checked against the caps, the claim converts kwacha to kronor, a coordinator approves it
// in part, a batch pays it, the SIE file of the batch is read back, and the ledger verifies. Every bad input
// of the issue is refused through REST with a 4xx and leaves the ledger as it was.
func TestFinanceWalkthrough(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	auditor := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAuditor, "")}
	now := today()

	// The demo partnership and its parties.
	d := demo(t, admin)
	partnership, malmo, lusaka, vaxjo := d.partnership, d.malmo, d.lusaka, d.vaxjo
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, malmo)}
	partner := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RolePartner, lusaka)}
	stranger := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, vaxjo)}
	app := approvedInception(t, member, coordinator, partnership)

	// The budget: an inception in Zambia with two parties may hold 275 000 SEK for the whole phase.
	year := strconv.Itoa(now.Year())
	budgetLine := func(id, category string, kronor int) string {
		return fmt.Sprintf(`{"id":%q,"category":%q,"year":%s,"description":"planned","amount":{"currency_code":"SEK","amount_minor":%d}}`, id, category, year, kronor*100)
	}
	over := member.do("POST", "/v1/budgets", `{"partnership_id":"`+partnership+`","application_id":"`+app+`","lines":[`+
		budgetLine("travel", "CATEGORY_TRAVEL", 200_000)+`,`+budgetLine("hotel", "CATEGORY_ACCOMMODATION", 80_000)+`,`+
		budgetLine("allowance", "CATEGORY_PER_DIEMS", 5_000)+`]}`).must(t, http.StatusBadRequest)
	if over.reason() != "BUDGET_RULES" || !strings.Contains(over.raw, "275") || !strings.Contains(over.raw, "per diem") {
		t.Fatalf("a budget over the cap with per diems should name both rules: %s", over.raw)
	}
	lines := budgetLine("travel", "CATEGORY_TRAVEL", 150_000) + `,` + budgetLine("hotel", "CATEGORY_ACCOMMODATION", 80_000)
	created := member.do("POST", "/v1/budgets", `{"partnership_id":"`+partnership+`","application_id":"`+app+`","lines":[`+lines+`]}`).must(t, http.StatusCreated)
	budget := created.str("id")
	if created.header.Get("ETag") == "" || str(created.body, "cost_zone") != "COST_ZONE_AFRICA_ASIA_LATIN_AMERICA" || str(created.body, "application_kind") != "APPLICATION_KIND_INCEPTION" {
		t.Fatalf("a new budget: %v %s", created.header, created.raw)
	}
	stranger.do("GET", "/v1/budgets/"+budget, "").must(t, http.StatusNotFound)
	member.do("POST", "/v1/budgets/"+budget+":submit", `{}`).must(t, http.StatusOK)
	member.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusForbidden)
	granted(t, admin, now.Year())
	coordinator.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusOK)

	// A claim: a flight in SEK and a hotel in kwacha (2 450.00 ZMW at 0.4213 = 1 032.19 SEK).
	day := now.json()
	report := approvedReport(t, member, coordinator, partnership, app)
	flight, hotel := storedReceipt(t, member, partnership, "flight.pdf", 1), storedReceipt(t, member, partnership, "hotel.pdf", 2)
	claimBody := `{"budget_id":"` + budget + `","report_id":"` + report + `","period_start":` + day + `,"period_end":` + day + `,"lines":[
		{"id":"1","date":` + day + `,"category":"CATEGORY_TRAVEL","budget_line_id":"travel","description":"Flight Copenhagen-Lusaka",
		 "original":{"currency_code":"SEK","amount_minor":1250000},"receipt":` + flight + `},
		{"id":"2","date":` + day + `,"category":"CATEGORY_ACCOMMODATION","budget_line_id":"hotel","description":"Hotel, three nights",
		 "original":{"currency_code":"ZMW","amount_minor":245000},"rate":"0.4213","rate_date":` + day + `,"rate_source":"Riksbanken",
		 "receipt":` + hotel + `}]}`
	claim := member.do("POST", "/v1/claims", claimBody, "Idempotency-Key", "claim-1").must(t, http.StatusCreated)
	again := member.do("POST", "/v1/claims", claimBody, "Idempotency-Key", "claim-1").must(t, http.StatusCreated) // the first answer, replayed
	if again.str("id") != claim.str("id") {
		t.Fatalf("a repeated create made a second claim: %s", again.raw)
	}
	id := claim.str("id")
	if total := claim.body["total"].(map[string]any); fmt.Sprint(total["amountMinor"]) != "1353219" {
		t.Fatalf("claim total: %s", claim.raw)
	}
	submitted := member.do("POST", "/v1/claims/"+id+":submit", `{}`).must(t, http.StatusOK)
	etag := submitted.header.Get("ETag")

	ledgerBefore := len(list(auditor.do("GET", "/v1/ledger/transactions", "").must(t, http.StatusOK).body, "transactions"))
	for _, tc := range []struct {
		name, method, path, body string
		who                      client
		status                   int
		want                     string
		headers                  []string
	}{
		{"fractional öre", "POST", "/v1/claims", strings.Replace(claimBody, "1250000", "1250000.5", 1), member, 400, "", nil},
		{"negative amount", "POST", "/v1/claims", strings.Replace(claimBody, "1250000", "-1250000", 1), member, 400, "claim.lines[0].original", nil},
		{"zero amount", "POST", "/v1/claims", strings.Replace(claimBody, "1250000", "0", 1), member, 400, "claim.lines[0].original", nil},
		{"total that overflows", "POST", "/v1/claims", strings.Replace(claimBody, "1250000", "9223372036854775807", 1), member, 400, "AMOUNT_OVERFLOW", nil},
		{"unknown currency", "POST", "/v1/claims", strings.Replace(claimBody, "ZMW", "ZZZ", 1), member, 400, "UNKNOWN_CURRENCY", nil},
		{"rate of zero", "POST", "/v1/claims", strings.Replace(claimBody, "0.4213", "0", 1), member, 400, "INVALID_RATE", nil},
		{"ineligible category", "POST", "/v1/claims", strings.Replace(claimBody, `"CATEGORY_TRAVEL"`, `"CATEGORY_PER_DIEMS"`, 1), member, 400, "claim.lines[0].category", nil},
		{"line of another budget", "POST", "/v1/claims", strings.Replace(claimBody, `"budget_line_id":"travel"`, `"budget_line_id":"venue-2031"`, 1), member, 400, "claim.lines[0].budget_line_id", nil},
		{"reused key, other body", "POST", "/v1/claims", strings.Replace(claimBody, "Flight", "Train", 1), member, 409, "IDEMPOTENCY_KEY_REUSED", []string{"Idempotency-Key", "claim-1"}},
		{"claim of a stranger", "GET", "/v1/claims/" + id, "", stranger, 404, "", nil},
		{"approving one's own claim", "POST", "/v1/claims/" + id + ":approve", `{}`, member, 403, "", nil},
		{"paying an unapproved claim", "POST", "/v1/payment-batches", `{"claim_ids":["` + id + `"]}`, coordinator, 400, "CLAIM_NOT_APPROVED", nil},
		{"stale etag", "POST", "/v1/claims/" + id + ":approve", `{}`, coordinator, 409, "ETAG_MISMATCH", []string{"If-Match", `"1"`}},
		{"unknown export format", "GET", "/v1/payment-batches/" + budget + ":export?format=xlsx", "", auditor, 400, "format", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.who.do(tc.method, tc.path, tc.body, tc.headers...)
			if r.status != tc.status {
				t.Fatalf("HTTP %d, want %d: %s", r.status, tc.status, r.raw)
			}
			if tc.want != "" && r.reason() != tc.want && !contains(r.fields(), tc.want) {
				t.Errorf("answer names neither reason nor field %q: %s", tc.want, r.raw)
			}
		})
	}
	if n := len(list(auditor.do("GET", "/v1/ledger/transactions", "").must(t, http.StatusOK).body, "transactions")); n != ledgerBefore {
		t.Fatalf("refusals moved the ledger: %d transactions, was %d", n, ledgerBefore)
	}

	// Approval in part, with the reason, and payment.
	decided := coordinator.do("POST", "/v1/claims/"+id+":approve", `{"decisions":[{"line_id":"1","approved":{"currency_code":"SEK","amount_minor":1250000}},
		{"line_id":"2","approved":{"currency_code":"SEK","amount_minor":90000},"reason":"the minibar is not a programme cost"}]}`, "If-Match", etag).must(t, http.StatusOK)
	if str(decided.body, "state") != "CLAIM_STATE_PARTLY_APPROVED" {
		t.Fatalf("decided claim: %s", decided.raw)
	}
	batch := coordinator.do("POST", "/v1/payment-batches", `{"claim_ids":["`+id+`"]}`).must(t, http.StatusCreated).str("id")
	coordinator.do("POST", "/v1/payment-batches/"+batch+":pay", `{}`, "Idempotency-Key", "pay-1").must(t, http.StatusOK)
	coordinator.do("POST", "/v1/payment-batches/"+batch+":pay", `{}`, "Idempotency-Key", "pay-1").must(t, http.StatusOK)
	if second := coordinator.do("POST", "/v1/payment-batches/"+batch+":pay", `{}`).must(t, http.StatusBadRequest); second.reason() != "BATCH_ALREADY_PAID" {
		t.Fatalf("a second payment: %s", second.raw)
	}
	if paid := member.do("GET", "/v1/claims/"+id, "").must(t, http.StatusOK); str(paid.body, "state") != "CLAIM_STATE_PAID" {
		t.Fatalf("the claim after payment: %s", paid.raw)
	}

	// The exports: CSV for the bank, SIE 4 for Malmö's bookkeeping.
	csvFile := auditor.do("GET", "/v1/payment-batches/"+batch+":export?format=csv", "").must(t, http.StatusOK)
	if !strings.HasPrefix(csvFile.header.Get("Content-Type"), "text/csv") || !strings.Contains(csvFile.raw, id+","+malmo+",SEK,13400.00,1340000") {
		t.Fatalf("CSV export: %v %s", csvFile.header, csvFile.raw)
	}
	sie := auditor.do("GET", "/v1/payment-batches/"+batch+":export?format=sie", "").must(t, http.StatusOK)
	checkSIE(t, []byte(sie.raw), 1_340_000)

	// The ledger: the grant, budget approval, claim approval and payment, each balanced; the chain verifies.
	verify := auditor.do("GET", "/v1/ledger:verify", "").must(t, http.StatusOK)
	if verify.body["intact"] != true || fmt.Sprint(verify.body["transactions"]) != "4" {
		t.Fatalf("ledger verify: %s", verify.raw)
	}
	balances := auditor.do("GET", "/v1/ledger/balances?account_prefix=paid/", "").must(t, http.StatusOK)
	if !strings.Contains(balances.raw, `"paid/`+malmo+`"`) || !strings.Contains(balances.raw, `"1340000"`) {
		t.Fatalf("paid balance: %s", balances.raw)
	}
	member.do("GET", "/v1/ledger/balances", "").must(t, http.StatusForbidden)

	// In-kind time of Lusaka's staff, valued at the notional rate, never paid.
	kind := partner.do("POST", "/v1/in-kind-contributions", `{"budget_id":"`+budget+`","date":`+day+`,"person_role":"planning officer",
		"activity":"steering-group meeting","hours":6}`).must(t, http.StatusCreated)
	if !strings.Contains(kind.raw, `"180000"`) {
		t.Fatalf("6 hours at 300 SEK: %s", kind.raw)
	}
}

// approvedInception takes a draft partnership through approval and gives it an approved inception application
// of twelve months from today, as the finance and reporting walkthroughs start; it returns the application's id.
// granted records Sida's grant of each year, far more than any test commits, unless one is recorded: budgets
// are approved within a year's grant only.
func granted(t testing.TB, admin client, years ...int) {
	t.Helper()
	for _, y := range years {
		r := admin.do("POST", "/v1/grants", fmt.Sprintf(`{"year":%d,"amount":{"currencyCode":"SEK","amountMinor":100000000000}}`, y))
		if r.status != http.StatusCreated && r.reason() != "GRANT_EXISTS" {
			t.Fatalf("grant of %d: %d %s", y, r.status, r.raw)
		}
	}
}

func approvedInception(t testing.TB, member, coordinator client, partnership string) string {
	t.Helper()
	base := "/v1/partnerships/" + partnership
	member.do("POST", base+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", base+":approve", `{}`).must(t, http.StatusOK)
	now := today()
	// The start date is written as in a query, the end date as the object: a body takes either.
	app := member.do("POST", base+"/applications", `{"kind":"APPLICATION_KIND_INCEPTION","start_date":"`+now.iso()+
		`","end_date":`+now.plus(12, -1).json()+`}`).must(t, http.StatusCreated).str("id")
	p := member.do("GET", base, "").must(t, http.StatusOK)
	setTeam(t, member, partnership, app, false, p.str("swedish_organization_id"), p.str("international_organization_id"))
	member.do("POST", base+"/applications/"+app+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", base+"/applications/"+app+":approve", `{}`).must(t, http.StatusOK)
	return app
}

// approvedReport writes this year's partial report of an approved application, which the member submits and
// the coordinator approves, so that the year's claims may follow it; it returns the report's id.
func approvedReport(t testing.TB, member, coordinator client, partnership, app string) string {
	t.Helper()
	base := "/v1/partnerships/" + partnership + "/reports"
	id := member.do("POST", base, fmt.Sprintf(`{"applicationId":%q,"kind":"REPORT_KIND_PARTIAL","year":%d,
		"deviations":"none","lessons":"Meet early in the year"}`, app, today().Year())).must(t, http.StatusCreated).str("id")
	member.do("POST", base+"/"+id+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", base+"/"+id+":approve", `{}`).must(t, http.StatusOK)
	return id
}

// setTeam gives an application the team its kind needs, for each of the parties orgs: two politicians and an
// official for an inception, three officials (one the project manager) for a project.
func setTeam(t testing.TB, c client, partnership, app string, project bool, orgs ...string) {
	t.Helper()
	roles := []string{"MAJORITY_POLITICIAN", "OPPOSITION_POLITICIAN", "OFFICIAL"}
	if project {
		roles = []string{"OFFICIAL", "OFFICIAL", "OFFICIAL"}
	}
	var members []string
	for _, org := range orgs {
		for i, role := range roles {
			members = append(members, fmt.Sprintf(`{"organization_id":%q,"display_name":"Team member %d","role":"MEMBER_ROLE_%s","project_manager":%t}`,
				org, i, role, project && i == 0))
		}
	}
	team := c.do("PUT", "/v1/partnerships/"+partnership+"/applications/"+app+"/team", `{"members":[`+strings.Join(members, ",")+`]}`).must(t, http.StatusOK)
	if check, _ := team.body["check"].(map[string]any); check["passes"] != true {
		t.Fatalf("the team does not pass its check: %s", team.raw)
	}
}

// demoData is what the demo data holds: the Malmö–Lusaka partnership, its parties, and Växjö (of the other one).
type demoData struct{ partnership, malmo, lusaka, vaxjo string }

// demo finds the demo data through the gateway.
func demo(t testing.TB, admin client) demoData {
	t.Helper()
	var d demoData
	for _, p := range list(admin.do("GET", "/v1/partnerships", "").must(t, http.StatusOK).body, "partnerships") {
		m := p.(map[string]any)
		switch {
		case strings.HasPrefix(str(m, "title"), "Young people's influence"):
			d.partnership, d.malmo, d.lusaka = str(m, "id"), str(m, "swedish_organization_id"), str(m, "international_organization_id")
		case strings.HasPrefix(str(m, "title"), "Water"):
			d.vaxjo = str(m, "swedish_organization_id")
		}
	}
	if d.partnership == "" || d.vaxjo == "" {
		t.Fatal("the demo partnerships are not loaded")
	}
	return d
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkSIE reads an SIE 4 file independently of the service's own writer: the file type, the PC8 character
// set, and vouchers whose #TRANS rows balance and together debit the bank account with total öre.
func checkSIE(t *testing.T, file []byte, total int64) {
	t.Helper()
	var typ, charset string
	var vouchers int
	var bank, sum int64
	sc := bufio.NewScanner(bytes.NewReader(file))
	for sc.Scan() {
		fields := strings.Fields(strings.TrimSpace(sc.Text()))
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "#SIETYP":
			typ = fields[1]
		case "#FORMAT":
			charset = fields[1]
		case "#VER":
			vouchers++
		case "#TRANS":
			ore, err := oreOf(fields[3])
			if err != nil {
				t.Fatalf("SIE amount %q: %v", fields[3], err)
			}
			sum += ore
			if fields[1] == "1930" {
				bank += ore
			}
		}
	}
	if typ != "4" || charset != "PC8" || vouchers != 1 || sum != 0 || bank != total {
		t.Fatalf("SIE file: type %q, format %q, %d vouchers, sum %d, bank %d (want %d):\n%s", typ, charset, vouchers, sum, bank, total, file)
	}
}

// oreOf reads an SIE amount ("13400.00", "-900") as öre.
func oreOf(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	frac = (frac + "00")[:2]
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	return n, err
}
