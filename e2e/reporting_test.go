package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// eventually polls get until ok accepts its answer, or fails the test after the deadline: reports follow the
// producers' events, so they are read with a deadline, never after a sleep.
func eventually(t testing.TB, what string, get func() reply, ok func(reply) bool) reply {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		r := get()
		if ok(r) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear within the deadline; last answer %d: %s", what, r.status, r.raw)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func number(v any) int64 {
	switch n := v.(type) {
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	case float64:
		return int64(n)
	}
	return 0
}

func minorOf(m map[string]any, key string) int64 {
	money, _ := m[key].(map[string]any)
	if money == nil {
		money, _ = m[camel(key)].(map[string]any)
	}
	return number(money["amountMinor"])
}

// TestReportingWalkthrough makes changes through the gateway in all three producing services and reads them
// in every report, as JSON and as CSV; exports the year to IATI and validates it; kills the reporting service
// while changes flow and checks that nothing was lost or counted twice; and rebuilds the read models.
func TestReportingWalkthrough(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	auditor := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAuditor, "")}
	now := today()
	year := now.Year()
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	partner := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RolePartner, d.lusaka)}
	stranger := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.vaxjo)}

	// Partnership service: the demo partnership is approved and its inception starts.
	app := approvedInception(t, member, coordinator, d.partnership)

	// Network service: a Southern Africa network with the partnership as its member.
	network := admin.do("POST", "/v1/networks", `{"display_name":"Youth voice, Southern Africa","theme":"youth participation",
		"cluster":"CLUSTER_SOUTHERN_AFRICA","cohort_start":`+now.json()+`,"coordinator":"e2e-coordinator"}`).must(t, http.StatusCreated).str("id")
	coordinator.do("POST", "/v1/networks/"+network+":open", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", "/v1/networks/"+network+"/memberships", `{"partnership_id":"`+d.partnership+`"}`).must(t, http.StatusCreated)

	// Finance service: a budget, a claim approved and paid, in-kind time.
	budget := member.do("POST", "/v1/budgets", fmt.Sprintf(`{"partnership_id":%q,"application_id":%q,"lines":[
		{"id":"travel","category":"CATEGORY_TRAVEL","year":%d,"amount":{"currency_code":"SEK","amount_minor":15000000}}]}`,
		d.partnership, app, year)).must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/budgets/"+budget+":submit", `{}`).must(t, http.StatusOK)
	granted(t, admin, year)
	coordinator.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusOK)
	yearReport := approvedReport(t, member, coordinator, d.partnership, app)
	claim := member.do("POST", "/v1/claims", `{"budget_id":"`+budget+`","report_id":"`+yearReport+`","period_start":`+now.json()+`,"period_end":`+now.json()+`,"lines":[
		{"id":"1","date":`+now.json()+`,"category":"CATEGORY_TRAVEL","budget_line_id":"travel","description":"Flight",
		 "original":{"currency_code":"SEK","amount_minor":1250000},"receipt":`+storedReceipt(t, member, d.partnership, "f.pdf", 3)+`}]}`).
		must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/claims/"+claim+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", "/v1/claims/"+claim+":approve", `{}`).must(t, http.StatusOK)
	batch := coordinator.do("POST", "/v1/payment-batches", `{"claim_ids":["`+claim+`"]}`).must(t, http.StatusCreated).str("id")
	coordinator.do("POST", "/v1/payment-batches/"+batch+":pay", `{}`).must(t, http.StatusOK)
	inKind := func(hours int) {
		partner.do("POST", "/v1/in-kind-contributions", fmt.Sprintf(`{"budget_id":%q,"date":%s,"person_role":"officer","activity":"meeting","hours":%d}`,
			budget, now.json(), hours)).must(t, http.StatusCreated)
	}
	inKind(6)

	// The partnership report: state, application, money per line, in-kind hours.
	reportPath := "/v1/reports/partnerships/" + d.partnership
	report := eventually(t, "the paid claim and the in-kind time in the partnership report", func() reply { return member.do("GET", reportPath, "") },
		func(r reply) bool {
			money := list(r.body, "money")
			return r.status == 200 && len(money) == 1 && minorOf(money[0].(map[string]any), "paid") == 1_250_000 && number(r.body["inKindHours"]) == 6
		})
	if str(report.body, "state") != "PARTNERSHIP_STATE_INCEPTION" || len(list(report.body, "applications")) != 1 || str(report.body, "as_of_time") == "" ||
		minorOf(list(report.body, "money")[0].(map[string]any), "budgeted") != 15_000_000 {
		t.Fatalf("partnership report: %s", report.raw)
	}
	partner.do("GET", reportPath, "").must(t, http.StatusOK)
	stranger.do("GET", reportPath, "").must(t, http.StatusNotFound)
	csv := member.do("GET", reportPath, "", "Accept", "text/csv").must(t, http.StatusOK)
	if !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.raw, ",inception,") || !strings.Contains(csv.raw, "travel,travel,"+strconv.Itoa(year)+",150000.00,12500.00,12500.00,12500.00") {
		t.Fatalf("partnership report as CSV: %s", csv.raw)
	}
	if r := member.do("GET", reportPath, "", "Accept", "application/pdf").must(t, http.StatusNotAcceptable); r.reason() != "NOT_ACCEPTABLE" {
		t.Fatalf("an unsupported Accept: %s", r.raw)
	}

	// The network report, the portfolio and the compliance report.
	cohort := eventually(t, "the member in the network report", func() reply { return coordinator.do("GET", "/v1/reports/networks/"+network, "") },
		func(r reply) bool { return r.status == 200 && len(list(r.body, "rows")) == 1 })
	if row := list(cohort.body, "rows")[0].(map[string]any); minorOf(row, "paid") != 1_250_000 || str(row, "country_code") != "ZM" || str(row, "state") != "PARTNERSHIP_STATE_INCEPTION" {
		t.Fatalf("network report: %s", cohort.raw)
	}
	stranger.do("GET", "/v1/reports/networks/"+network, "").must(t, http.StatusNotFound)
	portfolio := auditor.do("GET", fmt.Sprintf("/v1/reports/portfolio?year=%d", year), "").must(t, http.StatusOK)
	if rows := list(portfolio.body, "rows"); len(rows) != 1 || str(rows[0].(map[string]any), "theme") != "youth participation" ||
		minorOf(rows[0].(map[string]any), "budgeted") != 15_000_000 {
		t.Fatalf("portfolio: %s", portfolio.raw)
	}
	auditor.do("GET", "/v1/reports/portfolio?year=1800", "").must(t, http.StatusBadRequest)
	if r := stranger.do("GET", fmt.Sprintf("/v1/reports/portfolio?year=%d", year), "").must(t, http.StatusOK); len(list(r.body, "rows")) != 0 {
		t.Fatalf("another organisation's member sees the portfolio's rows: %s", r.raw)
	}
	compliance := auditor.do("GET", fmt.Sprintf("/v1/reports/compliance?year=%d", year), "", "Accept", "text/csv").must(t, http.StatusOK)
	if !strings.Contains(compliance.raw, d.partnership) {
		t.Fatalf("compliance report (the inception has no meetings yet): %s", compliance.raw)
	}

	// The IATI export of the year validates against the schema.
	iati := auditor.do("GET", fmt.Sprintf("/v1/exports/iati?year=%d", year), "").must(t, http.StatusOK)
	if !strings.HasPrefix(iati.header.Get("Content-Type"), "application/xml") {
		t.Fatalf("IATI export content type %q", iati.header.Get("Content-Type"))
	}
	validateIATI(t, []byte(iati.raw))
	member.do("GET", fmt.Sprintf("/v1/exports/iati?year=%d", year), "").must(t, http.StatusForbidden)

	// Crash and restart: the reporting service is killed while in-kind time is being recorded; afterwards
	// the report holds every hour exactly once.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 30; i++ {
			inKind(1)
		}
	}()
	time.Sleep(50 * time.Millisecond) // let some changes flow before the crash; the check below does not depend on it
	s.Kill(t, "reporting")
	time.Sleep(200 * time.Millisecond)
	s.Restart(t, "reporting")
	wg.Wait()
	eventually(t, "all 36 in-kind hours, each once, after the crash", func() reply { return member.do("GET", reportPath, "") },
		func(r reply) bool { return r.status == 200 && number(r.body["inKindHours"]) == 36 })

	// Rebuild: replaying every event into fresh read models gives the same reports.
	before := stableJSON(t, auditor.do("GET", reportPath, "").must(t, http.StatusOK))
	beforePortfolio := stableJSON(t, auditor.do("GET", fmt.Sprintf("/v1/reports/portfolio?year=%d", year), "").must(t, http.StatusOK))
	s.Run(t, "reporting", "rebuild")
	after := eventually(t, "the rebuilt partnership report", func() reply { return auditor.do("GET", reportPath, "") },
		func(r reply) bool { return r.status == 200 && stableJSON(t, r) == before })
	_ = after
	if got := stableJSON(t, auditor.do("GET", fmt.Sprintf("/v1/reports/portfolio?year=%d", year), "").must(t, http.StatusOK)); got != beforePortfolio {
		t.Fatalf("portfolio after the rebuild:\n%s\nbefore:\n%s", got, beforePortfolio)
	}
}

// stableJSON re-encodes a report with sorted keys, so two equal reports compare equal as strings.
func stableJSON(t testing.TB, r reply) string {
	t.Helper()
	b, err := json.Marshal(r.body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// validateIATI checks a document against the IATI 2.03 schema the reporting service ships, with xmllint
// (installed by `make test`; see tools/ensure-deb.sh).
func validateIATI(t *testing.T, doc []byte) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "iati.xml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	schema, err := filepath.Abs("../services/reporting/internal/iati/xsd/schemas/iati-activities-schema.xsd")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", schema, file).CombinedOutput()
	if err != nil {
		t.Fatalf("the IATI export does not validate (%v):\n%s", err, out)
	}
}
