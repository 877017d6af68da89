package server

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	networkpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/services/reporting/internal/iati/xsd"
	"github.com/partnerskap/partnerskap/services/reporting/internal/readmodel"
	"github.com/partnerskap/partnerskap/services/reporting/migrations"
)

// collect is the server side of an ExportIati stream, keeping what is sent.
type collect struct {
	grpc.ServerStream
	ctx    context.Context
	chunks []*httpbody.HttpBody
}

func (c *collect) Context() context.Context        { return c.ctx }
func (c *collect) Send(b *httpbody.HttpBody) error { c.chunks = append(c.chunks, b); return nil }

func (c *collect) document() []byte {
	var buf bytes.Buffer
	for _, ch := range c.chunks {
		buf.Write(ch.GetData())
	}
	return buf.Bytes()
}

// applyEvents builds read models from payloads, as the consumer would.
func applyEvents(t *testing.T, srv *Server, payloads ...proto.Message) {
	t.Helper()
	ctx := context.Background()
	err := postgres.InTx(ctx, srv.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		for i, p := range payloads {
			body, err := anypb.New(p)
			if err != nil {
				return err
			}
			e := &eventspb.Event{Seq: int64(i + 1), SchemaVersion: 1, Time: timestamppb.New(time.Date(2026, 3, 1, 12, 0, i, 0, time.UTC)), Payload: body}
			if err := readmodel.Apply(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func money(kr int64) *typepb.Money { return &typepb.Money{CurrencyCode: "SEK", AmountMinor: kr * 100} }

func TestIATIExportValidates(t *testing.T) {
	srv := New(pgtest.NewPool(t, migrations.FS), Options{ClaimWaitDays: 30, IATI: IATIPublisher{Ref: "SE-ON-2021004284", Name: "ICLD", Type: "10"}})
	const network, app, budget, claim = "0190c5a2-0000-7000-8000-0000000000a1", "0190c5a2-0000-7000-8000-0000000000b1",
		"0190c5a2-0000-7000-8000-0000000000c1", "0190c5a2-0000-7000-8000-0000000000d1"
	d := func(y, m, day int32) *date.Date { return &date.Date{Year: y, Month: m, Day: day} }
	applyEvents(t, srv,
		&eventspb.OrganizationChanged{Id: malmo, DisplayName: "Malmö stad & co <test>", Kind: "municipality", OrgNumber: "2120001124", CountryCode: "SE"},
		&eventspb.OrganizationChanged{Id: lusaka, DisplayName: "Lusaka City Council", Kind: "international_local_government", CountryCode: "ZM"},
		&eventspb.PartnershipChanged{Id: p1, Title: "Young people's influence", Challenge: "Give young people a say", State: partnershippb.PartnershipState_PARTNERSHIP_STATE_ACTIVE,
			SwedishOrganizationId: malmo, InternationalOrganizationId: lusaka, CountryCode: "ZM",
			CoreAreas: []partnershippb.CoreArea{partnershippb.CoreArea_CORE_AREA_PARTICIPATION}, SdgTargets: []string{"16.7", "11.3", "13.3"}},
		&eventspb.NetworkChanged{Id: network, DisplayName: "Youth", Theme: "youth participation", State: networkpb.NetworkState_NETWORK_STATE_RUNNING,
			CohortStart: d(2026, 1, 1), EndDate: d(2029, 12, 31), MemberPartnershipIds: []string{p1}},
		&eventspb.ApplicationChanged{Id: app, PartnershipId: p1, Kind: partnershippb.ApplicationKind_APPLICATION_KIND_PROJECT, State: partnershippb.ApplicationState_APPLICATION_STATE_RUNNING,
			StartDate: d(2026, 1, 1), EndDate: d(2027, 6, 30)},
		&eventspb.BudgetChanged{Id: budget, PartnershipId: p1, ApplicationId: app, State: financepb.BudgetState_BUDGET_STATE_APPROVED, ApprovedRevision: 1,
			ApprovedTotal: money(300_000), ApproveTime: timestamppb.New(time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)),
			Lines: []*eventspb.BudgetLineState{{Id: "t26", Category: financepb.Category_CATEGORY_TRAVEL, Year: 2026, Amount: money(200_000)},
				{Id: "t27", Category: financepb.Category_CATEGORY_TRAVEL, Year: 2027, Amount: money(100_000)}}},
		&eventspb.ClaimChanged{Id: claim, BudgetId: budget, PartnershipId: p1, State: financepb.ClaimState_CLAIM_STATE_PAID, PayDate: d(2026, 7, 1),
			Lines: []*eventspb.ClaimLineState{{BudgetLineId: "t26", Year: 2026, Sek: money(12_000), Approved: money(10_000)}}},
	)
	stream := &collect{ctx: auth.WithPrincipal(context.Background(), auth.Principal{Subject: "a", Role: auth.RoleAuditor})}
	if err := srv.ExportIati(&pb.ExportIatiRequest{Year: 2026}, stream); err != nil {
		t.Fatal(err)
	}
	doc := stream.document()
	if err := xsd.ValidateReader(context.Background(), bytes.NewReader(doc)); err != nil {
		t.Fatalf("the export does not validate: %v\n%s", err, doc)
	}
	for _, want := range []string{`hierarchy="1"`, `hierarchy="2"`, `hierarchy="3"`, "SE-ON-2021004284-A-" + app, `<recipient-country code="ZM"`,
		`vocabulary="8"`, `code="15150"`, "300000.00", "10000.00", "Malmö stad &amp; co &lt;test&gt;", `<related-activity ref="SE-ON-2021004284-P-` + p1} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("the export lacks %s", want)
		}
	}
	if err := srv.ExportIati(&pb.ExportIatiRequest{Year: 2031}, &collect{ctx: stream.ctx}); !fault.IsNotFound(err) {
		t.Errorf("a year with nothing funded: %v", err)
	}
}
