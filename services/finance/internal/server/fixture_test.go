package server

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc/metadata"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
	"github.com/partnerskap/partnerskap/services/finance/migrations"
)

// The fixture's organisations, partnerships and applications, as the partnership service would report them.
const (
	malmo      = "0190c5a2-0000-7000-8000-00000000000a"
	umea       = "0190c5a2-0000-7000-8000-00000000000b"
	lusaka     = "0190c5a2-0000-7000-8000-0000000000ff"
	malmoP     = "0190c5a2-0000-7000-8000-000000000101"
	umeaP      = "0190c5a2-0000-7000-8000-000000000102"
	project    = "0190c5a2-0000-7000-8000-000000000201" // Malmö–Lusaka project 2026-2027, approved
	inception  = "0190c5a2-0000-7000-8000-000000000202" // Malmö–Lusaka inception, still submitted
	develop    = "0190c5a2-0000-7000-8000-000000000203" // a development application: no cap
	umeaProj   = "0190c5a2-0000-7000-8000-000000000204" // Umeå–Lusaka project, approved
	missingApp = "0190c5a2-0000-7000-8000-000000000299"
	// The project's reports: 2026's approved (the claims of claimOf belong to it), 2027's only submitted, and
	// its final one approved.
	report2026    = "0190c5a2-0000-7000-8000-000000000301"
	report2027    = "0190c5a2-0000-7000-8000-000000000302"
	reportFinal   = "0190c5a2-0000-7000-8000-000000000303"
	missingReport = "0190c5a2-0000-7000-8000-000000000399"
)

// fixtureReports are the reports the stand-in serves, by id.
var fixtureReports = map[string]domain.Report{
	report2026:  {ID: report2026, ApplicationID: project, Kind: domain.ReportPartial, Year: 2026, Status: domain.ReportApproved},
	report2027:  {ID: report2027, ApplicationID: project, Kind: domain.ReportPartial, Year: 2027, Status: "submitted"},
	reportFinal: {ID: reportFinal, ApplicationID: project, Kind: domain.ReportFinal, Year: 2027, Status: domain.ReportApproved},
}

// remoteApplications stands in for the partnership service in these tests (the end-to-end test calls the real
// one over gRPC): a fixed table of applications, and the same visibility rule, so a member of another
// organisation gets NOT_FOUND as it would from the real service.
type remoteApplications struct {
	apps map[string]domain.Application
	// reportCalls counts the reads of reports, which approvals make.
	reportCalls *atomic.Int32
}

func (r remoteApplications) Application(ctx context.Context, partnershipID, applicationID string) (domain.Application, error) {
	a, ok := r.apps[applicationID]
	if !ok || a.PartnershipID != partnershipID || !auth.Caller(ctx).Sees(a.SwedishOrgID, a.InternationalOrgID) {
		return domain.Application{}, &fault.NotFound{Kind: "application", ID: applicationID}
	}
	return a, nil
}

func (r remoteApplications) Report(ctx context.Context, partnershipID, reportID string) (domain.Report, error) {
	r.reportCalls.Add(1)
	rep, ok := fixtureReports[reportID]
	app, found := r.apps[rep.ApplicationID]
	if !ok || !found || app.PartnershipID != partnershipID || !auth.Caller(ctx).Sees(app.SwedishOrgID, app.InternationalOrgID) {
		return domain.Report{}, &fault.NotFound{Kind: "report", ID: reportID}
	}
	return rep, nil
}

// storedReceipts are the receipts the stand-in keeps, by id, as the partnership service would: receipt()
// stores one for each line it makes. The end-to-end tests upload real files.
var storedReceipts = map[string]domain.Document{}

// Documents serves storedReceipts, all or none, each only to a caller who sees its partnership.
func (r remoteApplications) Documents(ctx context.Context, ids []string) ([]domain.Document, error) {
	out := make([]domain.Document, len(ids))
	for i, id := range ids {
		d, ok := storedReceipts[id]
		if !ok || !r.seesPartnership(ctx, d.PartnershipID) {
			return nil, &fault.NotFound{Kind: "document", ID: id}
		}
		out[i] = d
	}
	return out, nil
}

// seesPartnership reports whether the caller sees the partnership of one of the fixture's applications.
func (r remoteApplications) seesPartnership(ctx context.Context, partnershipID string) bool {
	for _, a := range r.apps {
		if a.PartnershipID == partnershipID {
			return auth.Caller(ctx).Sees(a.SwedishOrgID, a.InternationalOrgID)
		}
	}
	return false
}

func (r remoteApplications) OrganizationName(_ context.Context, id string) (string, error) {
	names := map[string]string{malmo: "Malmö stad", umea: "Umeå kommun", lusaka: "Lusaka City Council"}
	if n, ok := names[id]; ok {
		return n, nil
	}
	return "", &fault.NotFound{Kind: "organization", ID: id}
}

func fixtureApps() remoteApplications {
	d := func(y int, m time.Month, day int) civil.Date { return civil.Date{Year: y, Month: m, Day: day} }
	malmoApp := func(id, kind, status string) domain.Application {
		return domain.Application{ID: id, PartnershipID: malmoP, Kind: kind, Status: status, Start: d(2026, 1, 1), End: d(2027, 12, 31),
			CostZone: domain.CostZoneAfricaAsiaLatinAmerica, Parties: 2, SwedishOrgID: malmo, InternationalOrgID: lusaka}
	}
	u := malmoApp(umeaProj, "project", "approved")
	u.PartnershipID, u.SwedishOrgID = umeaP, umea
	return remoteApplications{reportCalls: new(atomic.Int32), apps: map[string]domain.Application{
		project:   malmoApp(project, "project", "approved"),
		inception: malmoApp(inception, "inception", "submitted"),
		develop:   malmoApp(develop, "development", "approved"),
		umeaProj:  u,
	}}
}

type fixture struct {
	srv  *Server
	pool *pgxpool.Pool
}

// The fixture's grants: Sida's grant of each year its applications span, far larger than any test commits;
// each is a ledger transaction.
const (
	fixtureGrantKronor = 1_000_000_000
	fixtureGrants      = 2 // 2026 and 2027
)

// newFixture is newBareFixture with the fixture's grants recorded: budgets are approved within a year's grant
// only.
func newFixture(t testing.TB) fixture {
	t.Helper()
	f := newBareFixture(t)
	for year := int32(2026); year < 2026+fixtureGrants; year++ {
		if _, err := f.srv.CreateGrant(admin, &pb.CreateGrantRequest{Grant: &pb.Grant{Year: year, Amount: sekPB(fixtureGrantKronor)}}); err != nil {
			t.Fatalf("grant of %d: %v", year, err)
		}
	}
	return f
}

// newBareFixture is the finance service on a new database with its default rules and no grant.
func newBareFixture(t testing.TB) fixture {
	t.Helper()
	pool := pgtest.NewPool(t, migrations.FS)
	if err := store.SeedDefaultRules(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	srv := New(pool, fixtureApps()).WithToday(func() civil.Date { return civil.Date{Year: 2026, Month: 6, Day: 15} })
	return fixture{srv: srv, pool: pool}
}

// who is a caller: subject, role and (for members and partners) organisation.
func who(subject string, role auth.Role, org string) context.Context {
	return auth.WithPrincipal(context.Background(), auth.Principal{Subject: subject, Role: role, Org: org})
}

var (
	malmoMember = who("anna@malmo", auth.RoleMember, malmo)
	umeaMember  = who("erik@umea", auth.RoleMember, umea)
	lusakaStaff = who("mwila@lusaka", auth.RolePartner, lusaka)
	coordinator = who("karin@icld", auth.RoleCoordinator, "")
	coord2      = who("lars@icld", auth.RoleCoordinator, "")
	admin       = who("admin@icld", auth.RoleAdmin, "")
	auditor     = who("eva@riksrevisionen", auth.RoleAuditor, "")
)

// withKey adds an Idempotency-Key to ctx as the gateway would pass it.
func withKey(ctx context.Context, key string) context.Context {
	return metadata.NewIncomingContext(ctx, metadata.Pairs("idempotency-key", key))
}

func sekPB(kronor int64) *typepb.Money {
	return &typepb.Money{CurrencyCode: "SEK", AmountMinor: kronor * 100}
}

func line(id string, c pb.Category, year int32, kronor int64) *pb.BudgetLine {
	return &pb.BudgetLine{Id: id, Category: c, Year: year, Description: "planned " + id, Amount: sekPB(kronor)}
}

// projectLines is a budget within the project cap (500 000 SEK a year, Africa, two parties).
func projectLines() []*pb.BudgetLine {
	return []*pb.BudgetLine{
		line("travel-2026", pb.Category_CATEGORY_TRAVEL, 2026, 200_000),
		line("accommodation-2026", pb.Category_CATEGORY_ACCOMMODATION, 2026, 100_000),
		line("travel-2027", pb.Category_CATEGORY_TRAVEL, 2027, 150_000),
	}
}

// approvedBudget creates, submits and approves the Malmö–Lusaka project budget with lines.
func approvedBudget(t testing.TB, f fixture, lines []*pb.BudgetLine) *pb.Budget {
	t.Helper()
	b, err := f.srv.CreateBudget(malmoMember, &pb.CreateBudgetRequest{Budget: &pb.Budget{PartnershipId: malmoP, ApplicationId: project, Lines: lines}})
	if err != nil {
		t.Fatalf("create budget: %v", err)
	}
	if _, err := f.srv.SubmitBudget(malmoMember, &pb.TransitionBudgetRequest{Id: b.GetId()}); err != nil {
		t.Fatalf("submit budget: %v", err)
	}
	b, err = f.srv.ApproveBudget(coordinator, &pb.TransitionBudgetRequest{Id: b.GetId()})
	if err != nil {
		t.Fatalf("approve budget: %v", err)
	}
	return b
}

var receiptN int

// receipt is a new receipt of the Malmö–Lusaka partnership, stored (storedReceipts).
func receipt() *pb.Receipt { return receiptOf(malmoP) }

// receiptOf is a new receipt of partnershipID, stored.
func receiptOf(partnershipID string) *pb.Receipt {
	receiptN++
	d := domain.Document{ID: fmt.Sprintf("0190c5a2-0000-7000-8000-%012x", 0x10000+receiptN), PartnershipID: partnershipID,
		SHA256: fmt.Sprintf("%064x", receiptN), Size: 48_213, Kind: "receipt"}
	storedReceipts[d.ID] = d
	return &pb.Receipt{FileName: fmt.Sprintf("kvitto-%d.pdf", receiptN), Size: d.Size, Sha256: d.SHA256, DocumentId: d.ID}
}

// sekLine is a claim line in SEK on a budget line.
func sekLine(id, budgetLine string, c pb.Category, kronor int64) *pb.ClaimLine {
	return &pb.ClaimLine{Id: id, Date: civil.ToProto(civil.Date{Year: 2026, Month: 3, Day: 10}), Category: c, BudgetLineId: budgetLine,
		Description: "cost " + id, Original: sekPB(kronor), Receipt: receipt()}
}

func claimOf(budgetID string, lines ...*pb.ClaimLine) *pb.CreateClaimRequest {
	return &pb.CreateClaimRequest{Claim: &pb.Claim{BudgetId: budgetID, ReportId: report2026,
		PeriodStart: civil.ToProto(civil.Date{Year: 2026, Month: 1, Day: 1}), PeriodEnd: civil.ToProto(civil.Date{Year: 2026, Month: 6, Day: 30}),
		Lines: lines}}
}

// submittedClaim creates and submits a claim as the Malmö member.
func submittedClaim(t testing.TB, f fixture, req *pb.CreateClaimRequest) *pb.Claim {
	t.Helper()
	c, err := f.srv.CreateClaim(malmoMember, req)
	if err != nil {
		t.Fatalf("create claim: %v", err)
	}
	c, err = f.srv.SubmitClaim(malmoMember, &pb.TransitionClaimRequest{Id: c.GetId()})
	if err != nil {
		t.Fatalf("submit claim: %v", err)
	}
	return c
}

// reasonOf returns the stable reason of a domain error, "" for nil.
func reasonOf(err error) string {
	var inv *fault.Invalid
	var fp *fault.FailedPrecondition
	var cf *fault.Conflict
	var pd *fault.PermissionDenied
	switch {
	case err == nil:
		return ""
	case errors.As(err, &inv):
		if inv.Reason == "" {
			return "INVALID_ARGUMENT"
		}
		return inv.Reason
	case errors.As(err, &fp):
		return fp.Reason
	case errors.As(err, &cf):
		return cf.Reason
	case errors.As(err, &pd):
		return pd.Reason
	case fault.IsNotFound(err):
		return "NOT_FOUND"
	}
	return "OTHER: " + err.Error()
}

// fieldsOf returns the fields an Invalid names.
func fieldsOf(err error) []string {
	var inv *fault.Invalid
	if !errors.As(err, &inv) {
		return nil
	}
	var out []string
	for _, v := range inv.Violations {
		out = append(out, v.Field)
	}
	return out
}

// counts returns the number of rows of the tables that money changes touch, to prove a refusal wrote nothing.
func counts(t testing.TB, f fixture) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"budgets", "budget_revisions", "budget_lines", "budget_line_spend", "claims", "claim_lines",
		"payment_batches", "in_kind_contributions", "ledger_transactions", "ledger_postings", "audit_log", "outbox"} {
		var n int
		if err := f.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	var spent int64
	if err := f.pool.QueryRow(context.Background(), "SELECT COALESCE(sum(spent_minor), 0) FROM budget_line_spend").Scan(&spent); err != nil {
		t.Fatal(err)
	}
	out["spent"] = int(spent)
	return out
}

func sameCounts(t testing.TB, what string, before, after map[string]int) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s wrote to %s: %d rows before, %d after", what, k, v, after[k])
		}
	}
}
