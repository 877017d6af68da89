package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// mail is what Mailpit keeps of an e-mail.
type mail struct {
	ID        string `json:"ID"`
	MessageID string `json:"MessageID"`
	Subject   string `json:"Subject"`
	To        []struct {
		Address string `json:"Address"`
	} `json:"To"`
}

// mails reads every e-mail Mailpit holds.
func mails(t *testing.T, m suite.Mailpit) []mail {
	t.Helper()
	resp, err := http.Get(m.API + "/api/v1/messages?limit=1000")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Messages []mail `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Messages
}

// mailText reads an e-mail's text.
func mailText(t *testing.T, m suite.Mailpit, id string) string {
	t.Helper()
	resp, err := http.Get(m.API + "/api/v1/message/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Text string `json:"Text"`
	}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return out.Text
}

// waitFor polls until ok holds, failing the test after a minute.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
	}
}

// TestDeadlinesAndNotifications walks the notification service through the gateway, with a real SMTP server
// (Mailpit): the deadlines of a member's scope from every service; a calendar feed by a token that can be
// revoked; a reminder of a due report to a member in Swedish and a request to decide a claim to a coordinator
// in English; the service killed while it sends, restarted, and every e-mail sent once; a person erased, and
// their e-mails with them.
func TestDeadlinesAndNotifications(t *testing.T) {
	mp := suite.StartMailpit(t)
	s := suite.StartWithEnv(t, []string{"DEMO_DATA=true"}, map[string][]string{"notification": {"SMTP_PORT=" + mp.SMTPPort,
		"SEND_INTERVAL=50ms", "SCHEDULE_INTERVAL=300ms", "LINK_BASE_URL=https://partnerskap.example",
		// Digests are made today, whatever day the test runs.
		"DIGEST_WEEKDAY=" + today().Weekday().String()}})
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	stranger := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.vaxjo)}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	now := today()

	// The programme reminds 14 and 3 days ahead (rule data, versioned with the other rules).
	if rules := admin.do("GET", "/v1/programme-rules", "").must(t, http.StatusOK); fmt.Sprint(rules.body["reminders"]) != "map[daysBefore:[14 3]]" {
		t.Fatalf("the reminder rule: %s", rules.raw)
	}
	// The people: a Malmö official who reads Swedish and wants to hear of reports long before (her own
	// distance: two years ahead), an ICLD coordinator who reads English and follows the programme's.
	if r := admin.do("POST", "/v1/people", `{"subject":"x","displayName":"X","email":"x@malmo.example","role":"ROLE_MEMBER",
		"organizationIds":["`+d.malmo+`"],"notifications":{"reminderDays":[800]}}`).must(t, http.StatusBadRequest); !slices.Contains(r.fields(), "person.notifications.reminderDays[0]") {
		t.Fatalf("a reminder three years ahead: %s", r.raw)
	}
	admin.do("POST", "/v1/people", `{"subject":"e2e-member-`+d.malmo+`","displayName":"Anna Lindqvist","email":"anna@malmo.example",
		"language":"sv","role":"ROLE_MEMBER","organizationIds":["`+d.malmo+`"],"notifications":{"reminderDays":[730]}}`).must(t, http.StatusCreated)
	admin.do("POST", "/v1/people", `{"subject":"e2e-coordinator","displayName":"Karin Holm","email":"karin@icld.example",
		"language":"en","role":"ROLE_COORDINATOR"}`).must(t, http.StatusCreated)
	if me := member.do("GET", "/v1/me", "").must(t, http.StatusOK); me.str("language") != "sv" {
		t.Fatalf("the member's own person: %s", me.raw)
	}

	// An approved inception owes reports: a deadline in Malmö's scope, not in Växjö's.
	app := approvedInception(t, member, coordinator, d.partnership)
	deadlines := member.do("GET", "/v1/deadlines?to="+now.plus(24, 0).iso(), "").must(t, http.StatusOK)
	var reportDue string
	for _, dl := range list(deadlines.body, "deadlines") {
		m := dl.(map[string]any)
		if str(m, "kind") == "DEADLINE_KIND_REPORT_DUE" && strings.Contains(str(m, "id"), app) && reportDue == "" { // the earliest
			reportDue = str(m, "id")
		}
	}
	if reportDue == "" || len(list(deadlines.body, "unavailable")) != 0 {
		t.Fatalf("the member's deadlines lack the inception's report: %s", deadlines.raw)
	}
	if other := stranger.do("GET", "/v1/deadlines?to="+now.plus(24, 0).iso(), "").must(t, http.StatusOK); strings.Contains(other.raw, d.partnership) {
		t.Fatalf("another organisation's member sees Malmö's deadlines: %s", other.raw)
	}
	if r := member.do("GET", "/v1/deadlines?from="+now.iso()+"&to="+now.plus(0, -1).iso(), "").must(t, http.StatusBadRequest); !slices.Contains(r.fields(), "to") {
		t.Fatalf("a span that ends before it starts: %s", r.raw)
	}

	// The member's calendar, by a token of its own, without the member's token; revoked, it opens nothing.
	feed := member.do("POST", "/v1/deadline-feeds", `{"displayName":"Outlook"}`).must(t, http.StatusCreated)
	anyone := client{t: t, base: s.GatewayURL}
	ics := anyone.do("GET", feed.str("path"), "").must(t, http.StatusOK)
	unfolded := strings.ReplaceAll(ics.raw, "\r\n ", "") // long lines are folded (RFC 5545)
	if !strings.HasPrefix(ics.header.Get("Content-Type"), "text/calendar") || !strings.Contains(unfolded, "UID:"+reportDue+"@partnerskap") {
		t.Fatalf("the calendar: %v\n%d bytes: %s", ics.header, len(ics.raw), ics.raw)
	}
	strangerFeed := stranger.do("POST", "/v1/deadline-feeds", `{}`).must(t, http.StatusCreated)
	if other := anyone.do("GET", strangerFeed.str("path"), "").must(t, http.StatusOK); strings.Contains(other.raw, app) {
		t.Fatal("another organisation's calendar holds Malmö's report")
	}
	anyone.do("GET", "/v1/deadlines.ics?token=not-a-token", "").must(t, http.StatusNotFound)
	stranger.do("DELETE", "/v1/deadline-feeds/"+feed.str("id"), "").must(t, http.StatusNotFound)
	member.do("DELETE", "/v1/deadline-feeds/"+feed.str("id"), "").must(t, http.StatusOK)
	anyone.do("GET", feed.str("path"), "").must(t, http.StatusNotFound)

	// The reminder of the due report reaches Anna, in Swedish.
	var reminder mail
	waitFor(t, "the reminder of the report", func() bool {
		for _, m := range mails(t, mp) {
			if len(m.To) == 1 && m.To[0].Address == "anna@malmo.example" && strings.Contains(m.Subject, "rapport") {
				reminder = m
				return true
			}
		}
		return false
	})
	if text := mailText(t, mp, reminder.ID); !strings.Contains(text, "Hej Anna Lindqvist") || !strings.Contains(text, "ska vara klart senast") ||
		!strings.Contains(text, "https://partnerskap.example/v1/partnerships/"+d.partnership) {
		t.Errorf("the reminder in Swedish: %q\n%s", reminder.Subject, text)
	}

	// The week's digest reaches her too, in Swedish, with the visit planned in five days.
	member.do("POST", "/v1/partnerships/"+d.partnership+"/visits", `{"state":"VISIT_STATE_PLANNED","startDate":`+now.plus(0, 5).json()+
		`,"endDate":`+now.plus(0, 7).json()+`,"hostOrganizationId":"`+d.lusaka+`","travellers":[{"organizationId":"`+d.malmo+`","count":2}],
		"purpose":"Workshops"}`).must(t, http.StatusCreated)
	waitFor(t, "Anna's weekly digest", func() bool {
		for _, m := range mails(t, mp) {
			if len(m.To) == 1 && m.To[0].Address == "anna@malmo.example" && strings.HasPrefix(m.Subject, "Dina tidsfrister, vecka") {
				return true
			}
		}
		return false
	})

	// A report ICLD returns: Anna, of the Swedish party, is told, in Swedish.
	returned := member.do("POST", "/v1/partnerships/"+d.partnership+"/reports", fmt.Sprintf(`{"applicationId":%q,"kind":"REPORT_KIND_FINAL",
		"year":%d,"deviations":"none","lessons":"Meet early"}`, app, now.plus(12, -1).Year())).must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/partnerships/"+d.partnership+"/reports/"+returned+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", "/v1/partnerships/"+d.partnership+"/reports/"+returned+":return",
		`{"reasons":[{"section":"lessons","reason":"Say what you will do differently"}]}`).must(t, http.StatusOK)
	waitFor(t, "the returned report's e-mail", func() bool {
		for _, m := range mails(t, mp) {
			if len(m.To) == 1 && m.To[0].Address == "anna@malmo.example" && strings.HasPrefix(m.Subject, "En rapport har skickats tillbaka") {
				return true
			}
		}
		return false
	})

	// A claim submitted: Karin is asked to decide it, in English; the record says it was sent.
	granted(t, admin, now.Year())
	budget := member.do("POST", "/v1/budgets", fmt.Sprintf(`{"partnershipId":%q,"applicationId":%q,"lines":[
		{"id":"travel","category":"CATEGORY_TRAVEL","year":%d,"amount":{"currencyCode":"SEK","amountMinor":15000000}}]}`,
		d.partnership, app, now.Year())).must(t, http.StatusCreated).str("id")
	member.do("POST", "/v1/budgets/"+budget+":submit", `{}`).must(t, http.StatusOK)
	coordinator.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(t, http.StatusOK)
	report := approvedReport(t, member, coordinator, d.partnership, app)
	submitClaim := func(seed int) string {
		claim := member.do("POST", "/v1/claims", `{"budgetId":"`+budget+`","reportId":"`+report+`","periodStart":`+now.json()+`,"periodEnd":`+now.json()+
			`,"lines":[{"id":"1","date":`+now.json()+`,"category":"CATEGORY_TRAVEL","budgetLineId":"travel","description":"Bus",
			"original":{"currencyCode":"SEK","amountMinor":12500},"receipt":`+storedReceipt(t, member, d.partnership, "bus.pdf", seed)+`}]}`).
			must(t, http.StatusCreated).str("id")
		member.do("POST", "/v1/claims/"+claim+":submit", `{}`).must(t, http.StatusOK)
		return claim
	}
	submitClaim(1)
	var request mail
	waitFor(t, "the request to decide the claim", func() bool {
		for _, m := range mails(t, mp) {
			if len(m.To) == 1 && m.To[0].Address == "karin@icld.example" && strings.Contains(m.Subject, "claim waits") {
				request = m
				return true
			}
		}
		return false
	})
	if text := mailText(t, mp, request.ID); !strings.Contains(text, "Hello Karin Holm") || !strings.Contains(text, "125,00 SEK") {
		t.Errorf("the request in English: %s", text)
	}
	karin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	waitFor(t, "the request's record", func() bool {
		for _, n := range list(karin.do("GET", "/v1/notifications", "").must(t, http.StatusOK).body, "notifications") {
			m := n.(map[string]any)
			if str(m, "kind") == "NOTIFICATION_KIND_REQUEST" && str(m, "state") == "DELIVERY_STATE_SENT" && str(m, "language") == "en" {
				return true
			}
		}
		return false
	})

	// Forty more coordinators, and a claim for them all to decide: the service is killed while it sends,
	// restarted, and every e-mail arrives once.
	for i := range 40 {
		admin.do("POST", "/v1/people", fmt.Sprintf(`{"subject":"coordinator-%d","displayName":"Coordinator %d","email":"c%d@icld.example",
			"language":"en","role":"ROLE_COORDINATOR"}`, i, i, i)).must(t, http.StatusCreated)
	}
	// The requests to decide the second claim (the forty are also reminded of both claims' decisions).
	toCoordinators := func() (n int) {
		for _, m := range mails(t, mp) {
			if len(m.To) == 1 && strings.HasPrefix(m.To[0].Address, "c") && strings.HasSuffix(m.To[0].Address, "@icld.example") &&
				strings.Contains(m.Subject, "claim waits") {
				n++
			}
		}
		return n
	}
	submitClaim(2)
	waitFor(t, "the first of the forty", func() bool { return toCoordinators() > 0 })
	s.Kill(t, "notification")
	t.Logf("killed after %d of the 40 requests", toCoordinators())
	s.Restart(t, "notification")
	waitFor(t, "the forty", func() bool { return toCoordinators() >= 40 })
	time.Sleep(time.Second) // time for a second copy, were one to come
	var ids []string
	for _, m := range mails(t, mp) {
		ids = append(ids, m.MessageID)
	}
	slices.Sort(ids)
	if n := toCoordinators(); n != 40 || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("%d requests to the forty coordinators; %d e-mails in all, %d distinct: want each once", n, len(ids), len(slices.Compact(slices.Clone(ids))))
	}

	// A service that cannot answer is named, and the others' deadlines still come; with none, it is an outage.
	s.Stop(t, "finance")
	if partial := member.do("GET", "/v1/deadlines", "").must(t, http.StatusOK); !slices.Equal(list(partial.body, "unavailable"), []any{"finance"}) {
		t.Errorf("the deadlines without finance: %s", partial.raw)
	}
	s.Restart(t, "finance")
	waitFor(t, "finance back", func() bool { return anyone.do("GET", "/healthz", "").status == http.StatusOK })

	// Anna erased: her e-mails keep their facts, not her address or their text.
	admin.do("POST", "/v1/people:erase", `{"email":"anna@malmo.example","reason":"she asked"}`).must(t, http.StatusOK)
	waitFor(t, "Anna's e-mails erased", func() bool {
		all := admin.do("GET", "/v1/notifications?pageSize=500", "").must(t, http.StatusOK)
		erased := 0
		for _, n := range list(all.body, "notifications") {
			if str(n.(map[string]any), "subject") == "erased" {
				erased++
			}
		}
		return !strings.Contains(all.raw, "Anna") && erased > 0
	})
	for _, name := range []string{"partnership", "network", "finance"} {
		s.Stop(t, name)
	}
	if r := member.do("GET", "/v1/deadlines", "").must(t, http.StatusServiceUnavailable); r.reason() != "SERVICE_UNAVAILABLE" {
		t.Errorf("the deadlines with no service to ask: %s", r.raw)
	}
}
