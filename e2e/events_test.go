package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// claimLines is the most lines a claim may have (finance.v1.Claim.lines).
const claimLines = 500

// largeClaimsPastFourMiB is how many claims of claimLines lines, each created and submitted, make the finance
// stream pass gRPC's default receive limit of 4 MiB in fewer than 500 events (one page of the consumer's
// count). Each claim writes two events, and each event's line carries at least 83 bytes: a 64-character
// budget line id (66 with its tag and length), the year (3), the amount in SEK (12) and the line's own tag and
// length (2). 2 × 500 × 83 = 83,000 bytes a claim; 56 claims are 4,648,000 bytes in 112 events, a tenth past
// the limit, with the budget's own events and everything else still under 500. (Before byte-bounded pages,
// 52 claims already made `reporting rebuild` fail: "received message larger than max (4318735 vs. 4194304)".)
const largeClaimsPastFourMiB = 56

// TestLargeClaimsDoNotStopTheReports is the audit's attack through the gateway: a member fills the finance
// stream with claims of 500 lines until one page of events by count passes 4 MiB. The reporting service keeps
// following the stream and `reporting rebuild` replays it, with identical reports. While the suite is up,
// the reports and exports that take a year refuse a missing or out-of-range one with 400, naming the field
// and the range.
func TestLargeClaimsDoNotStopTheReports(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	auditor := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAuditor, "")}
	now := today()
	year := now.Year()
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}

	// Years first: they need no data.
	for _, path := range []string{"/v1/exports/iati", "/v1/exports/iati?year=0", "/v1/exports/iati?year=1999",
		"/v1/exports/iati?year=2101", "/v1/reports/portfolio", "/v1/reports/portfolio?year=2101",
		"/v1/reports/compliance", "/v1/reports/compliance?year=-1"} {
		r := auditor.do("GET", path, "").must(t, http.StatusBadRequest)
		if !slices.Equal(r.fields(), []string{"year"}) || !strings.Contains(r.raw, "2000") || !strings.Contains(r.raw, "2100") {
			t.Errorf("GET %s: %s; want the field year and the range 2000 to 2100", path, r.raw)
		}
	}

	// An approved inception with a budget of 500 lines, each with the longest id a line may have.
	app := approvedInception(t, member, coordinator, d.partnership)
	lineID := func(i int) string { return fmt.Sprintf("line-%059d", i) } // 64 characters
	var lines []string
	for i := range claimLines {
		lines = append(lines, fmt.Sprintf(`{"id":%q,"category":"CATEGORY_TRAVEL","year":%d,"amount":{"currency_code":"SEK","amount_minor":50000}}`,
			lineID(i), year))
	}
	budget := member.do("POST", "/v1/budgets", fmt.Sprintf(`{"partnership_id":%q,"application_id":%q,"lines":[%s]}`,
		d.partnership, app, strings.Join(lines, ","))).must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/budgets/"+budget+":submit", `{}`).must(t, http.StatusOK)
	granted(t, admin, year)
	coordinator.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusOK)

	// The claims, each of 500 lines of 1 SEK, created and submitted by a few members at once.
	report := approvedReport(t, member, coordinator, d.partnership, app)
	// Each line's receipt is a stored file of its own (one receipt proves one cost).
	claim := func(n int) (string, error) {
		var b strings.Builder
		fmt.Fprintf(&b, `{"budget_id":%q,"report_id":%q,"period_start":%s,"period_end":%s,"lines":[`, budget, report, now.json(), now.json())
		for i := range claimLines {
			if i > 0 {
				b.WriteByte(',')
			}
			receipt, err := uploadReceipt(member, d.partnership, "receipt.pdf", n*claimLines+i)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, `{"id":"%d","date":%s,"category":"CATEGORY_TRAVEL","budget_line_id":%q,"original":{"currency_code":"SEK","amount_minor":100},`+
				`"receipt":%s}`, i, now.json(), lineID(i), receipt)
		}
		b.WriteString(`]}`)
		return b.String(), nil
	}
	var wg sync.WaitGroup
	failures := make(chan string, largeClaimsPastFourMiB)
	work := make(chan int)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range work {
				body, err := claim(n)
				if err != nil {
					failures <- fmt.Sprintf("claim %d: %v", n, err)
					continue
				}
				r := politely(member, "POST", "/v1/claims", body)
				if r.status != http.StatusCreated {
					failures <- fmt.Sprintf("claim %d: %d %s", n, r.status, r.raw)
					continue
				}
				if r = politely(member, "POST", "/v1/claims/"+r.str("id")+":submit", `{}`); r.status != http.StatusOK {
					failures <- fmt.Sprintf("submit of claim %d: %d %s", n, r.status, r.raw)
				}
			}
		}()
	}
	for n := range largeClaimsPastFourMiB {
		work <- n
	}
	close(work)
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	if t.Failed() {
		t.FailNow()
	}

	// The consumer follows: every line of the budget is claimed once per claim.
	reportPath := "/v1/reports/partnerships/" + d.partnership
	allClaimed := func(r reply) bool {
		money := list(r.body, "money")
		if r.status != http.StatusOK || len(money) != claimLines {
			return false
		}
		for _, m := range money {
			if minorOf(m.(map[string]any), "claimed") != largeClaimsPastFourMiB*100 {
				return false
			}
		}
		return true
	}
	eventually(t, "every claim in the partnership report", func() reply { return auditor.do("GET", reportPath, "") }, allClaimed)

	// A rebuild replays the whole stream, pages of more than 4 MiB by count included, to the same report.
	before := stableJSON(t, auditor.do("GET", reportPath, "").must(t, http.StatusOK))
	s.Run(t, "reporting", "rebuild")
	if after := stableJSON(t, auditor.do("GET", reportPath, "").must(t, http.StatusOK)); after != before {
		t.Fatalf("the partnership report after the rebuild differs:\n%s\nbefore:\n%s", after, before)
	}
}

// politely makes a call from any goroutine: it returns transport errors as a reply with status 0 instead
// of failing the test (which only the test's goroutine may), and it waits as long as a 429's Retry-After asks,
// for a while, since filling a stream is the kind of burst the gateway's rate limits are for.
func politely(c client, method, path, body string) reply {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
		if err != nil {
			return reply{raw: err.Error()}
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return reply{raw: err.Error()}
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
		_ = json.Unmarshal(raw, &r.body)
		if r.status != http.StatusTooManyRequests || time.Now().After(deadline) {
			return r
		}
		wait, err := strconv.Atoi(r.header.Get("Retry-After"))
		if err != nil || wait < 1 {
			wait = 1
		}
		time.Sleep(time.Duration(wait) * time.Second)
	}
}
