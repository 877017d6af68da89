package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// TestResultsLoop walks the programme's loop through the gateway, as a REST client would: a project applies
// with its results framework and is approved; the partnership reports on the year, with the value its
// indicator reached and the board's minutes attached as a PDF; ICLD returns the report once and then approves it (not by the coordinator who submitted
// it); only then is the year's claim, whose receipt is a stored file, approved and paid. Each refusal on the way is a 4xx that names what is
// missing, and another organisation's member learns nothing of the report.
func TestResultsLoop(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	karin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	lars := client{t: t, base: s.GatewayURL, token: coordinatorNamed(t, s, "lars@icld.se")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	stranger := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.vaxjo)}
	now := today()
	base := "/v1/partnerships/" + d.partnership

	// The inception ran its course; the project applies with its framework.
	inception := approvedInception(t, member, karin, d.partnership)
	for _, step := range []string{":start", ":close"} {
		karin.do("POST", base+"/applications/"+inception+step, `{}`).must(t, http.StatusOK)
	}
	ensureWindow(t, admin, "APPLICATION_KIND_PROJECT", now)
	project := member.do("POST", base+"/applications", `{"kind":"APPLICATION_KIND_PROJECT","startDate":"`+now.iso()+`",
		"endDate":"`+now.plus(24, -1).iso()+`",`+framework(now)+`}`).must(t, http.StatusCreated).str("id")
	setTeam(t, member, d.partnership, project, true, d.malmo, d.lusaka)
	member.do("POST", base+"/applications/"+project+":submit", `{}`).must(t, http.StatusOK)
	karin.do("POST", base+"/applications/"+project+":approve", `{}`).must(t, http.StatusOK)
	if r := member.do("PATCH", base+"/applications/"+project, `{"problem":"Another problem"}`).must(t, http.StatusBadRequest); r.reason() != "APPLICATION_FROZEN" {
		t.Fatalf("a member changing an approved application: %s", r.raw)
	}

	// Its budget for this year: nothing is committed before Sida's grant of the year is recorded, and then no
	// more than is left of it.
	budget := member.do("POST", "/v1/budgets", fmt.Sprintf(`{"partnershipId":%q,"applicationId":%q,"lines":[
		{"id":"travel","category":"CATEGORY_TRAVEL","year":%d,"amount":{"currencyCode":"SEK","amountMinor":10000000}}]}`,
		d.partnership, project, now.Year())).must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/budgets/"+budget+":submit", `{}`).must(t, http.StatusOK)
	if r := karin.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusBadRequest); r.reason() != "GRANT_NOT_RECORDED" ||
		!strings.Contains(r.raw, fmt.Sprintf("grants/%d", now.Year())) {
		t.Fatalf("a budget of a year without a grant: %s", r.raw)
	}
	admin.do("POST", "/v1/grants", fmt.Sprintf(`{"year":%d,"amount":{"currencyCode":"SEK","amountMinor":5000000}}`, now.Year())).must(t, http.StatusCreated)
	if r := karin.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusBadRequest); r.reason() != "GRANT_EXCEEDED" || !strings.Contains(r.raw, "is left") {
		t.Fatalf("a budget beyond the year's grant: %s", r.raw)
	}
	admin.do("PATCH", fmt.Sprintf("/v1/grants/%d", now.Year()), `{"amount":{"currencyCode":"SEK","amountMinor":500000000}}`).must(t, http.StatusOK)
	karin.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusOK)

	// The year's report: checked against the framework, complete before it is submitted.
	stray := member.do("POST", base+"/reports", fmt.Sprintf(`{"applicationId":%q,"kind":"REPORT_KIND_PARTIAL","year":%d,
		"indicators":[{"indicatorId":"no-such-indicator","value":{"value":"1"}}]}`, project, now.Year())).must(t, http.StatusBadRequest)
	if !slices.Contains(stray.fields(), "report.indicators[0].indicatorId") {
		t.Fatalf("an indicator the application does not have: %s", stray.raw)
	}
	created := member.do("POST", base+"/reports", fmt.Sprintf(`{"applicationId":%q,"kind":"REPORT_KIND_PARTIAL","year":%d,
		"objectives":[{"objectiveId":"youth-voice","narrative":"Two youth councils met the city board"}],
		"lessons":"Invite the opposition to every workshop"}`, project, now.Year())).must(t, http.StatusCreated)
	report := created.str("id")
	if due, _ := created.body["dueDate"].(map[string]any); fmt.Sprint(due["year"]) != fmt.Sprint(now.Year()+1) {
		t.Fatalf("the report's due date: %s", created.raw)
	}
	stranger.do("GET", base+"/reports/"+report, "").must(t, http.StatusNotFound)
	if r := member.do("POST", base+"/reports/"+report+":submit", `{}`).must(t, http.StatusBadRequest); r.reason() != "REPORT_INCOMPLETE" || !strings.Contains(r.raw, "proposals") {
		t.Fatalf("a report without its indicator's value: %s", r.raw)
	}
	member.do("PATCH", base+"/reports/"+report, `{"indicators":[{"indicatorId":"proposals","value":{"value":"4","date":"`+now.iso()+`"},
		"evidence":"Minutes of the city board"}]}`).must(t, http.StatusOK)
	minutes := member.do("POST", "/v1/documents?partnershipId="+d.partnership+"&kind=DOCUMENT_KIND_REPORT_ATTACHMENT&reportId="+report+
		"&fileName=board-minutes.pdf", samplePDF(40_000), "Content-Type", "application/pdf").must(t, http.StatusCreated)
	attached := member.do("GET", base+"/documents?reportId="+report, "").must(t, http.StatusOK)
	if docs := list(attached.body, "documents"); len(docs) != 1 || str(docs[0].(map[string]any), "id") != minutes.str("id") {
		t.Fatalf("the report's attachments: %s", attached.raw)
	}
	member.do("POST", base+"/reports/"+report+":submit", `{}`).must(t, http.StatusOK)

	// The year's claim names the report and waits for it; its receipt is a stored file, whose hash it gives.
	receipt := member.do("POST", "/v1/documents?partnershipId="+d.partnership+"&kind=DOCUMENT_KIND_RECEIPT&fileName=flight.pdf",
		samplePDF(20_000), "Content-Type", "application/pdf").must(t, http.StatusCreated)
	claimBody := func(sha string) string {
		return `{"budgetId":"` + budget + `","reportId":"` + report + `","periodStart":"` + now.iso() + `","periodEnd":"` + now.iso() + `",
		"lines":[{"id":"1","date":"` + now.iso() + `","category":"CATEGORY_TRAVEL","budgetLineId":"travel","description":"Flight to Lusaka",
		"original":{"currencyCode":"SEK","amountMinor":1250000},"receipt":{"fileName":"flight.pdf","size":20000,"sha256":"` + sha + `",
		"documentId":"` + receipt.str("id") + `"}}]}`
	}
	if r := member.do("POST", "/v1/claims", claimBody(strings.Repeat("d", 64))).must(t, http.StatusBadRequest); !slices.Contains(r.fields(), "claim.lines[0].receipt.sha256") {
		t.Fatalf("a receipt whose hash is not its document's: %s", r.raw)
	}
	unnamed := member.do("POST", "/v1/claims", strings.Replace(claimBody(receipt.str("sha256")), `"reportId":"`+report+`",`, "", 1)).must(t, http.StatusCreated).str("id")
	if r := member.do("POST", "/v1/claims/"+unnamed+":submit", `{}`).must(t, http.StatusBadRequest); r.reason() != "REPORT_NOT_NAMED" {
		t.Fatalf("a claim that names no report: %s", r.raw)
	}
	member.do("PATCH", "/v1/claims/"+unnamed, `{"reportId":"`+report+`"}`).must(t, http.StatusOK)
	claim := unnamed
	member.do("POST", "/v1/claims/"+claim+":submit", `{}`).must(t, http.StatusOK)
	if r := karin.do("POST", "/v1/claims/"+claim+":approve", `{}`).must(t, http.StatusBadRequest); r.reason() != "REPORT_NOT_APPROVED" || !strings.Contains(r.raw, report) {
		t.Fatalf("a claim approved before its report: %s", r.raw)
	}

	// ICLD returns the report once, then approves it: not the coordinator who submitted it.
	returned := karin.do("POST", base+"/reports/"+report+":return", `{"reasons":[{"section":"lessons","reason":"Say what you will do differently"}]}`).must(t, http.StatusOK)
	if returned.str("state") != "REPORT_STATE_RETURNED" {
		t.Fatalf("return: %s", returned.raw)
	}
	member.do("PATCH", base+"/reports/"+report, `{"lessons":"Invite the opposition to every workshop, and meet in the first quarter"}`).must(t, http.StatusOK)
	karin.do("POST", base+"/reports/"+report+":submit", `{}`).must(t, http.StatusOK)
	if r := karin.do("POST", base+"/reports/"+report+":approve", `{}`).must(t, http.StatusBadRequest); r.reason() != "SELF_APPROVAL" {
		t.Fatalf("approving a report one submitted: %s", r.raw)
	}
	lars.do("POST", base+"/reports/"+report+":approve", `{}`).must(t, http.StatusOK)

	// Now the money follows.
	karin.do("POST", "/v1/claims/"+claim+":approve", `{}`).must(t, http.StatusOK)
	batch := karin.do("POST", "/v1/payment-batches", `{"claimIds":["`+claim+`"]}`).must(t, http.StatusCreated).str("id")
	karin.do("POST", "/v1/payment-batches/"+batch+":pay", `{}`).must(t, http.StatusOK)
	if paid := member.do("GET", "/v1/claims/"+claim, "").must(t, http.StatusOK); paid.str("state") != "CLAIM_STATE_PAID" {
		t.Fatalf("the claim after payment: %s", paid.raw)
	}

	// The report shows its year's money from the finance service: the flight, approved and paid.
	full := member.do("GET", base+"/reports/"+report, "").must(t, http.StatusOK)
	fin, _ := full.body["financial"].(map[string]any)
	total, _ := fin["total"].(map[string]any)
	if paid, _ := total["paid"].(map[string]any); fmt.Sprint(paid["amountMinor"]) != "1250000" || len(list(fin, "lines")) != 1 {
		t.Fatalf("the report's financial part: %s", full.raw)
	}

	// The reporting service shows where the indicator stands and the report's state; ICLD publishes the
	// minutes, and the IATI export carries the result, its indicator's baseline, target and actual, and the
	// link to the minutes, valid against the 2.03 schema.
	karin.do("PATCH", "/v1/documents/"+minutes.str("id"), `{"public":true}`).must(t, http.StatusOK)
	eventually(t, "the indicator's approved value in the partnership report", func() reply {
		return member.do("GET", "/v1/reports/partnerships/"+d.partnership, "")
	}, func(r reply) bool {
		for _, ind := range list(r.body, "indicators") {
			m := ind.(map[string]any)
			if str(m, "indicatorId") == "proposals" && str(m, "latestValue") == "4" && str(m, "targetValue") == "12" {
				for _, rep := range list(r.body, "reports") {
					if rm := rep.(map[string]any); str(rm, "reportId") == report && str(rm, "state") == "REPORT_STATE_APPROVED" {
						return true
					}
				}
			}
		}
		return false
	})
	export := eventually(t, "the result and the minutes in the IATI export", func() reply {
		return admin.do("GET", fmt.Sprintf("/v1/exports/iati?year=%d", now.Year()), "", "Accept", "application/xml")
	}, func(r reply) bool {
		return r.status == http.StatusOK && strings.Contains(r.raw, "<result type=\"2\">") && strings.Contains(r.raw, "board-minutes.pdf")
	})
	for _, want := range []string{"<indicator measure=\"1\">", "<narrative>Youth proposals decided on</narrative>", `value="0"`,
		`<target value="12">`, `<actual value="4">`, `format="application/pdf"`, `<category code="A08">`, "/v1/public/documents/" + minutes.str("id") + ":download"} {
		if !strings.Contains(export.raw, want) {
			t.Errorf("the IATI export lacks %s", want)
		}
	}
	validateIATI(t, []byte(export.raw))
	portfolio := admin.do("GET", fmt.Sprintf("/v1/reports/portfolio?year=%d", now.Year()), "").must(t, http.StatusOK)
	var participation map[string]any
	for _, l := range list(portfolio.body, "resultsByCoreArea") {
		if m := l.(map[string]any); str(m, "coreArea") == "CORE_AREA_PARTICIPATION" {
			participation = m
		}
	}
	if participation == nil || number(participation["indicators"]) < 1 || number(participation["reported"]) < 1 || number(participation["reachedTarget"]) != 0 {
		t.Fatalf("the portfolio's results under participation (4 of a target of 12): %s", portfolio.raw)
	}
}

// coordinatorNamed is a development token of a coordinator with a subject of its own, for the four-eyes rule.
func coordinatorNamed(t *testing.T, s *suite.Suite, subject string) string {
	t.Helper()
	tok, err := auth.IssueDevToken(s.Key, "", "", auth.Principal{Subject: subject, Role: auth.RoleCoordinator}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
