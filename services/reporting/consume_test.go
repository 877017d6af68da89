package main

import (
	"context"
	"github.com/partnerskap/partnerskap/platform/consume"
	"github.com/partnerskap/partnerskap/platform/logtest"
	"github.com/partnerskap/partnerskap/services/reporting/internal/readmodel"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	networkpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/reporting/internal/store"
	"github.com/partnerskap/partnerskap/services/reporting/migrations"
)

const (
	malmo   = "0190c5a2-0000-7000-8000-00000000000a"
	lusaka  = "0190c5a2-0000-7000-8000-0000000000ff"
	p1      = "0190c5a2-0000-7000-8000-000000000001"
	app1    = "0190c5a2-0000-7000-8000-000000000011"
	budget1 = "0190c5a2-0000-7000-8000-000000000021"
	claim1  = "0190c5a2-0000-7000-8000-000000000031"
	claim2  = "0190c5a2-0000-7000-8000-000000000032"
	// kampalaID names an organisation whose event the database refuses.
	kampalaID = "0190c5a2-0000-7000-8000-0000000000fe"
)

// stream is an in-memory producer: the events it holds, served as EventService.ListEvents would.
type stream struct {
	mu     sync.Mutex
	name   string
	events []*eventspb.Event
	down   bool
	failed int // calls answered while down
}

func (s *stream) add(t *testing.T, version int32, payloads ...proto.Message) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range payloads {
		body, err := anypb.New(p)
		if err != nil {
			t.Fatal(err)
		}
		seq := int64(len(s.events)*2 + 1) // gaps, as rolled-back changes leave them
		s.events = append(s.events, &eventspb.Event{Seq: seq, Id: "e", Producer: s.name, SchemaVersion: version,
			Time: timestamppb.New(time.Date(2026, 3, 1, 12, 0, len(s.events), 0, time.UTC)), Payload: body})
	}
}

func (s *stream) source() consume.Source {
	return consume.Source{Name: s.name, List: func(_ context.Context, after int64, limit int) (*eventspb.ListEventsResponse, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.down {
			s.failed++
			return nil, context.DeadlineExceeded
		}
		resp := &eventspb.ListEventsResponse{}
		for _, e := range s.events {
			if e.GetSeq() > after && len(resp.Events) < limit {
				resp.Events = append(resp.Events, e)
			}
			resp.HeadSeq = e.GetSeq()
		}
		return resp, nil
	}}
}

func sek(kr int64) *typepb.Money { return &typepb.Money{CurrencyCode: "SEK", AmountMinor: kr * 100} }

func day(y, m, d int32) *date.Date { return &date.Date{Year: y, Month: m, Day: d} }

// fill gives the three producers the life of one partnership: organisations, the partnership, an approved
// project, a year of compliance, an approved budget, a claim approved in part and paid, a draft claim, and
// in-kind time.
func fill(t *testing.T, partnership, finance *stream) {
	partnership.add(t, 1,
		&eventspb.OrganizationChanged{Id: malmo, DisplayName: "Malmö stad", Kind: "municipality", OrgNumber: "2120001124", CountryCode: "SE"},
		&eventspb.OrganizationChanged{Id: lusaka, DisplayName: "Lusaka City Council", Kind: "international_local_government", CountryCode: "ZM"},
		&eventspb.PartnershipChanged{Id: p1, Title: "Youth and the environment", State: partnershippb.PartnershipState_PARTNERSHIP_STATE_DRAFT,
			SwedishOrganizationId: malmo, InternationalOrganizationId: lusaka, CountryCode: "ZM", Cluster: typepb.Cluster_CLUSTER_SOUTHERN_AFRICA,
			SdgTargets: []string{"16.7"}},
		&eventspb.PartnershipChanged{Id: p1, Title: "Youth and the environment", State: partnershippb.PartnershipState_PARTNERSHIP_STATE_ACTIVE,
			SwedishOrganizationId: malmo, InternationalOrganizationId: lusaka, CountryCode: "ZM", Cluster: typepb.Cluster_CLUSTER_SOUTHERN_AFRICA,
			SdgTargets: []string{"16.7", "11.3"}},
		&eventspb.ApplicationChanged{Id: app1, PartnershipId: p1, Kind: partnershippb.ApplicationKind_APPLICATION_KIND_PROJECT, State: partnershippb.ApplicationState_APPLICATION_STATE_RUNNING,
			StartDate: day(2026, 1, 1), EndDate: day(2027, 12, 31)},
		&eventspb.ComplianceChanged{PartnershipId: p1, Year: 2026, Meetings: 1, Visits: 1, Compliant: false, SteeringGroupBalanced: true},
	)
	finance.add(t, 1,
		&eventspb.BudgetChanged{Id: budget1, PartnershipId: p1, ApplicationId: app1, State: financepb.BudgetState_BUDGET_STATE_APPROVED,
			ApprovedRevision: 1, ApprovedTotal: sek(300_000), ApproveTime: timestamppb.New(time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)),
			Lines: []*eventspb.BudgetLineState{
				{Id: "travel-2026", Category: financepb.Category_CATEGORY_TRAVEL, Year: 2026, Amount: sek(200_000)},
				{Id: "travel-2027", Category: financepb.Category_CATEGORY_TRAVEL, Year: 2027, Amount: sek(100_000)}}},
		&eventspb.ClaimChanged{Id: claim1, BudgetId: budget1, PartnershipId: p1, State: financepb.ClaimState_CLAIM_STATE_SUBMITTED,
			Lines: []*eventspb.ClaimLineState{{BudgetLineId: "travel-2026", Year: 2026, Sek: sek(12_000)}}},
		&eventspb.ClaimChanged{Id: claim1, BudgetId: budget1, PartnershipId: p1, State: financepb.ClaimState_CLAIM_STATE_PAID, PayDate: day(2026, 7, 1),
			Lines: []*eventspb.ClaimLineState{{BudgetLineId: "travel-2026", Year: 2026, Sek: sek(12_000), Approved: sek(10_000)}}},
		&eventspb.ClaimChanged{Id: claim2, BudgetId: budget1, PartnershipId: p1, State: financepb.ClaimState_CLAIM_STATE_DRAFT,
			Lines: []*eventspb.ClaimLineState{{BudgetLineId: "travel-2026", Year: 2026, Sek: sek(99_000)}}},
		&eventspb.InKindRecorded{Id: "0190c5a2-0000-7000-8000-000000000041", BudgetId: budget1, PartnershipId: p1, Date: day(2026, 4, 2), Hours: 6, Value: sek(1_800)},
	)
}

func newConsumer(t *testing.T, streams ...*stream) consume.Consumer {
	c := consume.Consumer{Pool: pgtest.NewPool(t, migrations.FS), Metrics: consume.NewMetrics("reporting"), Interval: 10 * time.Millisecond, PageSize: 3,
		Apply: readmodel.Apply, Malformed: readmodel.IsMalformed, Reset: readmodel.Reset}
	for _, s := range streams {
		c.Sources = append(c.Sources, s.source())
	}
	return c
}

func TestEventsBuildTheReports(t *testing.T) {
	partnership, network, finance := &stream{name: "partnership"}, &stream{name: "network"}, &stream{name: "finance"}
	fill(t, partnership, finance)
	// The partnership is in two networks, a running and a closed one: it must count once in the portfolio.
	network.add(t, 1,
		&eventspb.NetworkChanged{Id: "0190c5a2-0000-7000-8000-000000000051", DisplayName: "Old", Theme: "old theme",
			State: networkpb.NetworkState_NETWORK_STATE_CLOSED, MemberPartnershipIds: []string{p1}},
		&eventspb.NetworkChanged{Id: "0190c5a2-0000-7000-8000-000000000050", DisplayName: "Youth", Theme: "youth",
			State: networkpb.NetworkState_NETWORK_STATE_RUNNING, MemberPartnershipIds: []string{p1}})
	c := newConsumer(t, partnership, network, finance)
	ctx := context.Background()
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := store.PartnershipReport(ctx, c.Pool, p1, "")
	if err != nil {
		t.Fatal(err)
	}
	if r.GetState() != partnershippb.PartnershipState_PARTNERSHIP_STATE_ACTIVE || r.GetSwedishParty().GetDisplayName() != "Malmö stad" || r.GetInternationalParty().GetCountryCode() != "ZM" ||
		r.GetCluster() != typepb.Cluster_CLUSTER_SOUTHERN_AFRICA ||
		len(r.GetApplications()) != 1 || !r.GetSteeringGroupBalanced() || r.GetInKindHours() != 6 {
		t.Fatalf("report = %v", r)
	}
	money := map[string][4]int64{}
	for _, m := range r.GetMoney() {
		money[m.GetLineId()] = [4]int64{m.GetBudgeted().GetAmountMinor(), m.GetClaimed().GetAmountMinor(), m.GetApproved().GetAmountMinor(), m.GetPaid().GetAmountMinor()}
	}
	if money["travel-2026"] != [4]int64{20_000_000, 1_200_000, 1_000_000, 1_000_000} || money["travel-2027"] != [4]int64{10_000_000, 0, 0, 0} {
		t.Errorf("money = %v (the draft claim must not count)", money)
	}
	if r.GetAsOfTime() == nil {
		t.Error("the report does not say how fresh it is")
	}
	if _, err := store.PartnershipReport(ctx, c.Pool, p1, "0190c5a2-0000-7000-8000-0000000000ee"); err == nil {
		t.Error("another organisation's member read the report")
	}
	portfolio, err := store.PortfolioReport(ctx, c.Pool, "", 2026)
	if err != nil || len(portfolio.GetRows()) != 1 {
		t.Fatalf("portfolio = %v, %v", portfolio, err)
	}
	row := portfolio.GetRows()[0]
	if row.GetCountryCode() != "ZM" || row.GetCluster() != typepb.Cluster_CLUSTER_SOUTHERN_AFRICA || row.GetTheme() != "youth" || row.GetBudgeted().GetAmountMinor() != 20_000_000 || row.GetPaid().GetAmountMinor() != 1_000_000 ||
		row.GetCompliancePercent() != 0 || len(row.GetSdgTargets()) != 2 {
		t.Errorf("portfolio row = %v", row)
	}
	if empty, _ := store.PortfolioReport(ctx, c.Pool, "", 2031); len(empty.GetRows()) != 0 {
		t.Errorf("2031 portfolio = %v", empty)
	}
	compliance, err := store.ComplianceReport(ctx, c.Pool, "", 2026, 30)
	if err != nil || len(compliance.GetRows()) != 1 || !compliance.GetRows()[0].GetMissingMeetings() {
		t.Errorf("compliance = %v, %v", compliance, err)
	}
}

// TestOldNetworkEventsKeepTheirCluster: a NetworkChanged written before the enum cluster existed carries the
// cluster's word in field 4 (legacy_cluster) and is read as before; a new one carries the enum. Both store the
// same word, so an old stream replays to the same read model.
func TestOldNetworkEventsKeepTheirCluster(t *testing.T) {
	network := &stream{name: "network"}
	const old, current = "0190c5a2-0000-7000-8000-000000000061", "0190c5a2-0000-7000-8000-000000000062"
	network.add(t, 1,
		//lint:ignore SA1019 an event as the network service wrote it before the enum cluster existed
		&eventspb.NetworkChanged{Id: old, DisplayName: "Old", Theme: "health", LegacyCluster: "east_africa", State: networkpb.NetworkState_NETWORK_STATE_RUNNING},
		&eventspb.NetworkChanged{Id: current, DisplayName: "New", Theme: "health", Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA, State: networkpb.NetworkState_NETWORK_STATE_RUNNING})
	c := newConsumer(t, network)
	ctx := context.Background()
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{old, current} {
		var cluster string
		if err := c.Pool.QueryRow(ctx, `SELECT cluster FROM networks WHERE id = $1`, id).Scan(&cluster); err != nil || cluster != "east_africa" {
			t.Errorf("network %s: cluster %q, %v; want east_africa", id, cluster, err)
		}
	}
}

// TestOldApplicationEventsKeepTheirState: an ApplicationChanged written before the enum state existed carries
// the state's word in field 4 (legacy_status) and is read as before; a new one carries the enum. Both store the
// same word, so an old stream replays to the same read model.
func TestOldApplicationEventsKeepTheirState(t *testing.T) {
	partnership := &stream{name: "partnership"}
	const p, old, current = "0190c5a2-0000-7000-8000-000000000071", "0190c5a2-0000-7000-8000-000000000072", "0190c5a2-0000-7000-8000-000000000073"
	partnership.add(t, 1,
		//lint:ignore SA1019 an event as the partnership service wrote it before the enum state existed
		&eventspb.ApplicationChanged{Id: old, PartnershipId: p, Kind: partnershippb.ApplicationKind_APPLICATION_KIND_PROJECT, LegacyStatus: "running"},
		&eventspb.ApplicationChanged{Id: current, PartnershipId: p, Kind: partnershippb.ApplicationKind_APPLICATION_KIND_PROJECT,
			State: partnershippb.ApplicationState_APPLICATION_STATE_RUNNING})
	c := newConsumer(t, partnership)
	ctx := context.Background()
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{old, current} {
		var state string
		if err := c.Pool.QueryRow(ctx, `SELECT status FROM applications WHERE id = $1`, id).Scan(&state); err != nil || state != "running" {
			t.Errorf("application %s: status %q, %v; want running", id, state, err)
		}
	}
}

// TestReplayingChangesNothing applies every event twice — the consumer crashed after applying a page and
// before storing its cursor, as far as the read models can tell — and expects identical reports.
func TestReplayingChangesNothing(t *testing.T) {
	partnership, network, finance := &stream{name: "partnership"}, &stream{name: "network"}, &stream{name: "finance"}
	fill(t, partnership, finance)
	c := newConsumer(t, partnership, network, finance)
	ctx := context.Background()
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := store.PartnershipReport(ctx, c.Pool, p1, "")
	if _, err := c.Pool.Exec(ctx, `UPDATE consumer_cursors SET seq = 0`); err != nil {
		t.Fatal(err)
	}
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := store.PartnershipReport(ctx, c.Pool, p1, "")
	if !proto.Equal(before, after) {
		t.Errorf("replaying changed the report:\n%v\n%v", before, after)
	}
}

func TestMalformedEventsAreParkedAndDoNotBlock(t *testing.T) {
	partnership, finance := &stream{name: "partnership"}, &stream{name: "finance"}
	partnership.add(t, 2, &eventspb.OrganizationChanged{Id: malmo, DisplayName: "from the future"})
	partnership.add(t, 1, &eventspb.OrganizationChanged{Id: "not-a-uuid", DisplayName: "broken"})
	partnership.add(t, 1, &typepb.Money{CurrencyCode: "SEK"}) // a message that is no event
	partnership.mu.Lock()
	partnership.events = append(partnership.events, &eventspb.Event{Seq: 7, SchemaVersion: 1, Time: timestamppb.Now(),
		Payload: &anypb.Any{TypeUrl: "type.googleapis.com/partnerskap.events.v1.OrganizationChanged", Value: []byte{0xff, 0xff}}})
	partnership.mu.Unlock()
	partnership.add(t, 1, &eventspb.OrganizationChanged{Id: kampalaID, DisplayName: "nul \x00 in a name", CountryCode: "UG"}) // the database refuses it
	partnership.add(t, 1, &eventspb.OrganizationChanged{Id: lusaka, DisplayName: "Lusaka City Council", CountryCode: "ZM"})
	c := newConsumer(t, partnership, finance)
	ctx := context.Background()
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	var parked, orgs int
	if err := c.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM parked_events), (SELECT count(*) FROM organizations)`).Scan(&parked, &orgs); err != nil {
		t.Fatal(err)
	}
	if parked != 5 || orgs != 1 {
		t.Errorf("%d parked and %d applied; want 5 and 1", parked, orgs)
	}
	if n := testutil.ToFloat64(c.Metrics.Parked.WithLabelValues("partnership")); n != 5 {
		t.Errorf("parked counter = %v", n)
	}
}

// TestRebuildGivesIdenticalReports empties the read models and replays: every report is as before.
func TestRebuildGivesIdenticalReports(t *testing.T) {
	partnership, network, finance := &stream{name: "partnership"}, &stream{name: "network"}, &stream{name: "finance"}
	fill(t, partnership, finance)
	c := newConsumer(t, partnership, network, finance)
	ctx := context.Background()
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	reports := func() []proto.Message {
		a, _ := store.PartnershipReport(ctx, c.Pool, p1, "")
		b, _ := store.PortfolioReport(ctx, c.Pool, "", 2026)
		d, _ := store.ComplianceReport(ctx, c.Pool, "", 2026, 30)
		return []proto.Message{a, b, d}
	}
	before := reports()
	if err := c.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	for i, after := range reports() {
		if !proto.Equal(before[i], after) {
			t.Errorf("report %d differs after the rebuild:\n%v\n%v", i, before[i], after)
		}
	}
}

// TestLagGrowsWhileAProducerIsDown runs the consumer against a producer that stops answering: the lag
// grows, and the outage is logged once, not at every poll.
func TestLagGrowsWhileAProducerIsDown(t *testing.T) {
	log := &logtest.Records{}
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(log))
	partnership := &stream{name: "partnership"}
	fill(t, partnership, &stream{name: "finance"})
	c := newConsumer(t, partnership)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		_ = c.Pool.QueryRow(ctx, `SELECT count(*) FROM applications`).Scan(&n)
		if n == 1 && testutil.ToFloat64(c.Metrics.Lag.WithLabelValues("partnership")) == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	partnership.mu.Lock()
	partnership.down = true
	partnership.mu.Unlock()
	for time.Now().Before(deadline) && testutil.ToFloat64(c.Metrics.Lag.WithLabelValues("partnership")) == 0 {
		time.Sleep(20 * time.Millisecond)
	}
	if lag := testutil.ToFloat64(c.Metrics.Lag.WithLabelValues("partnership")); lag <= 0 {
		t.Errorf("lag while the producer is down = %v, want it growing above 0", lag)
	}
	failed := func() int { partnership.mu.Lock(); defer partnership.mu.Unlock(); return partnership.failed }
	for time.Now().Before(deadline) && failed() < 20 {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}
	warnings := 0
	for _, l := range log.Take() {
		if l.Level >= slog.LevelWarn && l.Attrs["source"] == "partnership" {
			warnings++
		}
	}
	if warnings != 1 {
		t.Errorf("%d failed polls logged %d warnings; want 1 (then one a minute)", failed(), warnings)
	}
}

// TestLinesAreAppliedWhole: a budget's and a claim's lines are written in one statement each; a budget line
// id given twice keeps its last line, and a claim line's approval stays unset until decided.
func TestLinesAreAppliedWhole(t *testing.T) {
	finance := &stream{name: "finance"}
	finance.add(t, 1,
		&eventspb.BudgetChanged{Id: budget1, PartnershipId: p1, ApplicationId: app1, State: financepb.BudgetState_BUDGET_STATE_DRAFT,
			Lines: []*eventspb.BudgetLineState{
				{Id: "travel-2026", Category: financepb.Category_CATEGORY_TRAVEL, Year: 2026, Amount: sek(100)},
				{Id: "travel-2027", Category: financepb.Category_CATEGORY_TRAVEL, Year: 2027, Amount: sek(5)},
				{Id: "travel-2026", Category: financepb.Category_CATEGORY_TRAVEL, Year: 2026, Amount: sek(200)}}},
		&eventspb.ClaimChanged{Id: claim1, BudgetId: budget1, PartnershipId: p1, State: financepb.ClaimState_CLAIM_STATE_SUBMITTED,
			Lines: []*eventspb.ClaimLineState{{BudgetLineId: "travel-2026", Year: 2026, Sek: sek(7)},
				{BudgetLineId: "travel-2027", Year: 2027, Sek: sek(8), Approved: sek(6)}}})
	c := newConsumer(t, finance)
	ctx := context.Background()
	if err := c.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	var budgetLines string
	if err := c.Pool.QueryRow(ctx, `SELECT string_agg(line_id || '=' || amount_minor, ' ' ORDER BY line_id) FROM budget_lines`).Scan(&budgetLines); err != nil {
		t.Fatal(err)
	}
	if budgetLines != "travel-2026=20000 travel-2027=500" {
		t.Errorf("budget lines %q", budgetLines)
	}
	var claimLines string
	if err := c.Pool.QueryRow(ctx, `SELECT string_agg(position || ':' || budget_line_id || '=' || sek_minor || '/' || COALESCE(approved_minor::text, 'unset'),
		' ' ORDER BY position) FROM claim_lines`).Scan(&claimLines); err != nil {
		t.Fatal(err)
	}
	if claimLines != "0:travel-2026=700/unset 1:travel-2027=800/600" {
		t.Errorf("claim lines %q", claimLines)
	}
}
