package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// The demo partnership, Malmö–Lusaka, is taken through the programme's whole loop through the REST API, by the
// people who would do each step: its inception applied for, approved, run and closed; its steering group
// complete and the partnership active; a project with its results framework approved and running; Sida's
// grant recorded; a budget approved; this year's report written with its indicator's value and the board's
// minutes attached, and approved; a claim with its receipt approved and paid. So a new user finds every report,
// the ledger and a non-empty IATI export of the current year at once. Nothing is loaded when the partnership
// has a project already.

// people are the demo's callers: Malmö's official writes, two ICLD coordinators decide (four eyes), the admin
// keeps the programme's data.
type people struct {
	admin, member, karin, lars api
}

func demoPeople(key ed25519.PrivateKey, a api, malmo string) (people, error) {
	mint := func(subject string, role auth.Role, org string) (api, error) {
		tok, err := auth.IssueDevToken(key, auth.DefaultDevIssuer, auth.DefaultAudience, auth.Principal{Subject: subject, Role: role, Org: org}, 12*time.Hour)
		return api{base: a.base, token: tok, client: a.client}, err
	}
	var p people
	var err error
	p.admin = a
	if p.member, err = mint("anna.lindqvist@malmo.se", auth.RoleMember, malmo); err != nil {
		return p, err
	}
	if p.karin, err = mint("karin@icld.se", auth.RoleCoordinator, ""); err != nil {
		return p, err
	}
	p.lars, err = mint("lars@icld.se", auth.RoleCoordinator, "")
	return p, err
}

// upload sends a file as a document of the partnership and returns its record.
func (a api) upload(ctx context.Context, query string, body []byte) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", a.base+"/v1/documents?"+query, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/pdf")
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	if resp.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("POST /v1/documents: %d %s", resp.StatusCode, raw)
	}
	return out, nil
}

// demoPDF is a one-page PDF saying what it is, for the demo's documents.
func demoPDF(text string) []byte {
	stream := "BT /F1 14 Tf 72 720 Td (" + text + ") Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return []byte(b.String())
}

// loadDemoLifecycle takes Malmö–Lusaka through the loop, once.
func loadDemoLifecycle(ctx context.Context, key ed25519.PrivateKey, a api) error {
	list, err := a.call(ctx, "GET", "/v1/partnerships?pageSize=500", nil)
	if err != nil {
		return err
	}
	var partnership map[string]any
	for _, p := range asList(list["partnerships"]) {
		if strings.HasPrefix(fmt.Sprint(p["title"]), "Young people's influence") {
			partnership = p
		}
	}
	if partnership == nil {
		return nil // another demo, or none
	}
	id, malmo, lusaka := fmt.Sprint(partnership["id"]), fmt.Sprint(partnership["swedishOrganizationId"]), fmt.Sprint(partnership["internationalOrganizationId"])
	base := "/v1/partnerships/" + id
	apps, err := a.call(ctx, "GET", base+"/applications", nil)
	if err != nil {
		return err
	}
	for _, app := range asList(apps["applications"]) {
		if app["kind"] == "APPLICATION_KIND_PROJECT" {
			return nil // loaded before
		}
	}
	p, err := demoPeople(key, a, malmo)
	if err != nil {
		return err
	}
	// Each step runs only while every step before it succeeded; the first failure is returned at the end.
	call := func(c api, method, path string, body any) map[string]any {
		if err != nil {
			return nil
		}
		if body == nil {
			body = map[string]any{}
		}
		var out map[string]any
		out, err = c.call(ctx, method, path, body)
		return out
	}
	idOf := func(m map[string]any) string { return fmt.Sprint(m["id"]) }
	// team gives an application its team, per party the roles given, the first one the project manager when
	// withManager.
	team := func(app string, withManager bool, roles ...string) {
		var members []map[string]any
		for _, org := range []string{malmo, lusaka} {
			for i, role := range roles {
				members = append(members, map[string]any{"organizationId": org, "displayName": fmt.Sprintf("Team member %d", i+1),
					"role": role, "projectManager": withManager && i == 0})
			}
		}
		call(p.member, "PUT", base+"/applications/"+app+"/team", map[string]any{"members": members})
	}
	now := time.Now()
	year := now.Year()
	day := func(y int, m time.Month, d int) string {
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}

	// The people behind the tokens, so that the notification service writes to them: Anna in Swedish, the
	// coordinators Karin in English and Lars in Swedish.
	for _, person := range []map[string]any{
		{"subject": "anna.lindqvist@malmo.se", "displayName": "Anna Lindqvist", "email": "anna.lindqvist@malmo.se", "language": "sv",
			"role": "ROLE_MEMBER", "organizationIds": []string{malmo}},
		{"subject": "karin@icld.se", "displayName": "Karin Holm", "email": "karin@icld.se", "language": "en", "role": "ROLE_COORDINATOR"},
		{"subject": "lars@icld.se", "displayName": "Lars Berg", "email": "lars@icld.se", "language": "sv", "role": "ROLE_COORDINATOR"},
	} {
		call(p.admin, "POST", "/v1/people", person)
	}

	// The partnership is approved; its inception ran its course last year.
	call(p.member, "POST", base+":submit", nil)
	call(p.karin, "POST", base+":approve", nil)
	inception := idOf(call(p.member, "POST", base+"/applications", map[string]any{"kind": "APPLICATION_KIND_INCEPTION",
		"startDate": day(year-1, time.January, 1), "endDate": day(year-1, time.December, 31)}))
	team(inception, false, "MEMBER_ROLE_MAJORITY_POLITICIAN", "MEMBER_ROLE_OPPOSITION_POLITICIAN", "MEMBER_ROLE_OFFICIAL")
	call(p.member, "POST", base+"/applications/"+inception+":submit", nil)
	for _, step := range []string{":approve", ":start", ":close"} {
		call(p.karin, "POST", base+"/applications/"+inception+step, nil)
	}
	// Its steering group is complete, so it becomes active.
	for _, org := range []string{malmo, lusaka} {
		for i, role := range []string{"MEMBER_ROLE_MAJORITY_POLITICIAN", "MEMBER_ROLE_OPPOSITION_POLITICIAN", "MEMBER_ROLE_LEADING_OFFICIAL"} {
			call(p.member, "POST", base+"/steering-group/members", map[string]any{"organizationId": org,
				"displayName": fmt.Sprintf("Steering group member %d", i+1), "role": role})
		}
	}
	call(p.karin, "POST", base+":activate", nil)

	// The project, with its results framework, submitted in a window and approved.
	if err == nil {
		err = openWindow(ctx, a, "APPLICATION_KIND_PROJECT", now)
	}
	project := idOf(call(p.member, "POST", base+"/applications", projectApplication(year, day)))
	team(project, true, "MEMBER_ROLE_OFFICIAL", "MEMBER_ROLE_OFFICIAL", "MEMBER_ROLE_OFFICIAL")
	call(p.member, "POST", base+"/applications/"+project+":submit", nil)
	call(p.karin, "POST", base+"/applications/"+project+":approve", nil)
	call(p.karin, "POST", base+"/applications/"+project+":start", nil)

	// Sida's grant of this year and the next, and the project's budget within it.
	for _, y := range []int{year, year + 1} {
		if existing, _ := a.call(ctx, "GET", "/v1/grants?pageSize=500", nil); !hasGrant(existing, y) {
			call(p.admin, "POST", "/v1/grants", map[string]any{"year": y, "amount": map[string]any{"currencyCode": "SEK", "amountMinor": 250_000_000 * 100}})
		}
	}
	line := func(lineID, category string, y, kronor int) map[string]any {
		return map[string]any{"id": lineID, "category": category, "year": y, "description": "Planned " + strings.ReplaceAll(lineID, "-", " "),
			"amount": map[string]any{"currencyCode": "SEK", "amountMinor": kronor * 100}}
	}
	travel := fmt.Sprint("travel-", year)
	budget := idOf(call(p.member, "POST", "/v1/budgets", map[string]any{"partnershipId": id, "applicationId": project, "lines": []map[string]any{
		line(travel, "CATEGORY_TRAVEL", year, 200_000), line(fmt.Sprint("accommodation-", year), "CATEGORY_ACCOMMODATION", year, 100_000),
		line(fmt.Sprint("travel-", year+1), "CATEGORY_TRAVEL", year+1, 200_000)}}))
	call(p.member, "POST", "/v1/budgets/"+budget+":submit", nil)
	call(p.karin, "POST", "/v1/budgets/"+budget+":approve", nil)

	// This year's report, with its indicators' values and the board's minutes, returned once and approved.
	report := idOf(call(p.member, "POST", base+"/reports", map[string]any{"applicationId": project, "kind": "REPORT_KIND_PARTIAL", "year": year,
		"objectives": []map[string]any{{"objectiveId": "youth-voice", "narrative": "Youth councils met both city boards twice; four of their proposals were decided on."}},
		"indicators": []map[string]any{
			{"indicatorId": "proposals", "value": map[string]any{"value": "4", "date": day(year, time.November, 30)}, "evidence": "The boards' minutes"},
			{"indicatorId": "toolbox-schools", "value": map[string]any{"value": "6", "date": day(year, time.November, 30)}, "evidence": "The schools' own reports"}},
		"activities": []map[string]any{{"activityId": "workshops", "done": true, "comment": "Six workshops, three in each city"}},
		"deviations": "The toolbox was tested in six schools, not ten: the autumn term started late in Lusaka.",
		"lessons":    "Meet the boards early in the year, before their agendas fill."}))
	var minutes map[string]any
	if err == nil {
		minutes, err = p.member.upload(ctx, "partnershipId="+id+"&kind=DOCUMENT_KIND_REPORT_ATTACHMENT&reportId="+report+"&fileName=board-minutes.pdf",
			demoPDF("Minutes of the Malmo and Lusaka city boards on the youth councils' proposals"))
	}
	call(p.member, "POST", base+"/reports/"+report+":submit", nil)
	call(p.lars, "POST", base+"/reports/"+report+":approve", nil)
	call(p.karin, "PATCH", "/v1/documents/"+idOf(minutes), map[string]any{"public": true})

	// The year's claim, its receipt a stored file, approved and paid.
	var receipt map[string]any
	if err == nil {
		receipt, err = p.member.upload(ctx, "partnershipId="+id+"&kind=DOCUMENT_KIND_RECEIPT&fileName=flight-malmo-lusaka.pdf",
			demoPDF("Receipt: flight Copenhagen - Lusaka, 12 500 SEK"))
	}
	claim := idOf(call(p.member, "POST", "/v1/claims", map[string]any{"budgetId": budget, "reportId": report,
		"periodStart": day(year, time.January, 1), "periodEnd": day(year, time.November, 30),
		"lines": []map[string]any{{"id": "1", "date": day(year, time.March, 10), "category": "CATEGORY_TRAVEL", "budgetLineId": travel,
			"description": "Flight Copenhagen - Lusaka for the spring workshops", "original": map[string]any{"currencyCode": "SEK", "amountMinor": 1_250_000},
			"receipt": map[string]any{"fileName": "flight-malmo-lusaka.pdf", "size": receipt["size"], "sha256": receipt["sha256"], "documentId": idOf(receipt)}}}}))
	call(p.member, "POST", "/v1/claims/"+claim+":submit", nil)
	call(p.karin, "POST", "/v1/claims/"+claim+":approve", nil)
	batch := idOf(call(p.karin, "POST", "/v1/payment-batches", map[string]any{"claimIds": []string{claim}}))
	call(p.karin, "POST", "/v1/payment-batches/"+batch+":pay", nil)

	// Ahead: a visit to Lusaka planned in ten days (Anna is reminded of it), and a second claim waiting for
	// ICLD's decision (Karin and Lars are asked to decide it).
	visitDay := now.AddDate(0, 0, 10)
	call(p.member, "POST", base+"/visits", map[string]any{"state": "VISIT_STATE_PLANNED", "startDate": visitDay.Format(time.DateOnly),
		"endDate": visitDay.AddDate(0, 0, 4).Format(time.DateOnly), "hostOrganizationId": lusaka,
		"travellers": []map[string]any{{"organizationId": malmo, "count": 3}}, "purpose": "The toolbox tested with Lusaka's youth council"})
	var hotel map[string]any
	if err == nil {
		hotel, err = p.member.upload(ctx, "partnershipId="+id+"&kind=DOCUMENT_KIND_RECEIPT&fileName=hotel-lusaka.pdf",
			demoPDF("Receipt: hotel in Lusaka, three nights, 2 450 ZMW"))
	}
	waiting := idOf(call(p.member, "POST", "/v1/claims", map[string]any{"budgetId": budget, "reportId": report,
		"periodStart": day(year, time.January, 1), "periodEnd": day(year, time.November, 30),
		"lines": []map[string]any{{"id": "1", "date": day(year, time.March, 12), "category": "CATEGORY_ACCOMMODATION", "budgetLineId": fmt.Sprint("accommodation-", year),
			"description": "Hotel in Lusaka, three nights", "original": map[string]any{"currencyCode": "SEK", "amountMinor": 420_000},
			"receipt": map[string]any{"fileName": "hotel-lusaka.pdf", "size": hotel["size"], "sha256": hotel["sha256"], "documentId": idOf(hotel)}}}}))
	call(p.member, "POST", "/v1/claims/"+waiting+":submit", nil)
	return err
}

// projectApplication is the demo project: two years from this one, with its results framework.
func projectApplication(year int, day func(int, time.Month, int) string) map[string]any {
	return map[string]any{
		"kind": "APPLICATION_KIND_PROJECT", "startDate": day(year, time.January, 1), "endDate": day(year+1, time.December, 31),
		"purpose": "Young people influence the decisions that shape Malmö's and Lusaka's local environment",
		"problem": "Young people are seldom heard in either city's environmental decisions, though they live with them longest",
		"objectives": []map[string]any{{"id": "youth-voice", "statement": "Young people's proposals reach the city boards",
			"results": []map[string]any{
				{"id": "councils", "level": "RESULT_LEVEL_OUTCOME", "statement": "Youth councils advise both city boards on environmental questions",
					"indicators": []map[string]any{{"id": "proposals", "name": "Youth proposals the city boards decided on", "measure": "INDICATOR_MEASURE_UNIT",
						"unit": "proposals", "baseline": map[string]any{"value": "0", "date": day(year, time.January, 1)},
						"target": map[string]any{"value": "12", "date": day(year+1, time.December, 31)}, "measurement": "Counted in the boards' minutes"}}},
				{"id": "toolbox", "level": "RESULT_LEVEL_OUTPUT", "statement": "A digital toolbox for young people's consultations, built on the Convention on the Rights of the Child",
					"indicators": []map[string]any{{"id": "toolbox-schools", "name": "Schools that use the toolbox", "measure": "INDICATOR_MEASURE_UNIT",
						"unit": "schools", "baseline": map[string]any{"value": "0", "date": day(year, time.January, 1)},
						"target": map[string]any{"value": "20", "date": day(year+1, time.December, 31)}}}},
			}}},
		"plannedActivities": []map[string]any{
			{"id": "workshops", "year": year, "objectiveId": "youth-voice", "description": "Workshops with youth councils in both cities"},
			{"id": "toolbox-launch", "year": year + 1, "objectiveId": "youth-voice", "description": "The toolbox launched in every school"}},
		"risks":              []map[string]any{{"description": "An election changes the majority", "mitigation": "Majority and opposition both sit in the steering group"}},
		"genderAndInclusion": "Half of the youth council members are girls; schools in every district take part",
		"antiCorruption":     "Four eyes on every payment; the steering group sees every claim",
	}
}

// hasGrant reports whether a grants list holds year's.
func hasGrant(list map[string]any, year int) bool {
	for _, g := range asList(list["grants"]) {
		if fmt.Sprint(g["year"]) == fmt.Sprint(year) {
			return true
		}
	}
	return false
}

// openWindow makes sure applications of kind may be submitted today: an admin opens a week-long window
// (ending before the next one opens) when none is open.
func openWindow(ctx context.Context, a api, kind string, now time.Time) error {
	today := now.Format(time.DateOnly)
	windows, err := a.call(ctx, "GET", "/v1/application-windows?kind="+kind+"&date="+today, nil)
	if err != nil {
		return err
	}
	closes := now.AddDate(0, 0, 7)
	for _, w := range asList(windows["windows"]) {
		o, _ := w["opens"].(map[string]any)
		opens := time.Date(int(num(o["year"])), time.Month(int(num(o["month"]))), int(num(o["day"])), 0, 0, 0, 0, time.UTC)
		if !opens.After(now) {
			return nil // open today
		}
		if opens.Before(closes) {
			closes = opens.AddDate(0, 0, -1)
		}
	}
	_, err = a.call(ctx, "POST", "/v1/application-windows", map[string]any{"kind": kind, "opens": today, "closes": closes.Format(time.DateOnly)})
	return err
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

// asList reads a JSON list of objects.
func asList(v any) []map[string]any {
	var out []map[string]any
	xs, _ := v.([]any)
	for _, x := range xs {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
