package e2e

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// BenchmarkChangeToReportLag measures how long a change made through the gateway takes to appear in a report,
// while another client keeps changing another partnership (a steady write load on the partnership stream).
// Each iteration records an hour of in-kind time in the finance service and polls the partnership report
// until it shows it. Run it with
//
//	go test -run '^$' -bench ChangeToReportLag -benchtime 200x ./e2e/
func BenchmarkChangeToReportLag(b *testing.B) {
	s := suite.Start(b, "DEMO_DATA=true")
	admin := client{t: b, base: s.GatewayURL, token: s.Token(b, auth.RoleAdmin, "")}
	coordinator := client{t: b, base: s.GatewayURL, token: s.Token(b, auth.RoleCoordinator, "")}
	d := demo(b, admin)
	member := client{t: b, base: s.GatewayURL, token: s.Token(b, auth.RoleMember, d.malmo)}
	partner := client{t: b, base: s.GatewayURL, token: s.Token(b, auth.RolePartner, d.lusaka)}
	now := today()
	app := approvedInception(b, member, coordinator, d.partnership)
	budget := member.do("POST", "/v1/budgets", fmt.Sprintf(`{"partnership_id":%q,"application_id":%q,"lines":[
		{"id":"travel","category":"CATEGORY_TRAVEL","year":%d,"amount":{"currency_code":"SEK","amount_minor":15000000}}]}`,
		d.partnership, app, now.Year())).must(b, http.StatusCreated).str("id")

	// The steady load: the Växjö partnership's title changes every 20 ms.
	var other string
	for _, p := range list(admin.do("GET", "/v1/partnerships", "").must(b, http.StatusOK).body, "partnerships") {
		if m := p.(map[string]any); str(m, "swedish_organization_id") == d.vaxjo {
			other = str(m, "id")
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			admin.do("PATCH", "/v1/partnerships/"+other+"?update_mask=title", fmt.Sprintf(`{"title":"Water, change %d"}`, i))
		}
	}()

	report := "/v1/reports/partnerships/" + d.partnership
	lags := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		start := time.Now()
		partner.do("POST", "/v1/in-kind-contributions", fmt.Sprintf(`{"budget_id":%q,"date":%s,"person_role":"officer","activity":"meeting","hours":1}`,
			budget, now.json())).must(b, http.StatusCreated)
		for {
			r := member.do("GET", report, "")
			if r.status == http.StatusOK && number(r.body["inKindHours"]) >= int64(i) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		lags = append(lags, time.Since(start))
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	pct := func(p float64) float64 { return float64(lags[int(p*float64(len(lags)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "ms-p50-lag")
	b.ReportMetric(pct(0.99), "ms-p99-lag")
}
