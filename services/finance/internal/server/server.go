// Package server is the finance service's gRPC layer: it turns requests into domain values, checks who may do
// what, runs the domain rules and writes through package store, each change in one transaction with its ledger
// transaction, audit record and idempotency record.
package server

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"
	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/audit"
	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// Applications reads applications from the partnership service (package partnerships in production).
type Applications interface {
	Application(ctx context.Context, partnershipID, applicationID string) (domain.Application, error)
	// OrganizationName returns an organisation's display name, for files a municipality imports.
	OrganizationName(ctx context.Context, id string) (string, error)
	// Report reads a partnership's report, which the money of its period follows.
	Report(ctx context.Context, partnershipID, reportID string) (domain.Report, error)
	// Documents reads stored files' records, which receipts name, in the order of ids (each once, at most
	// 500): all, or a *fault.NotFound naming the first the caller may not see.
	Documents(ctx context.Context, ids []string) ([]domain.Document, error)
}

// Server implements partnerskap.finance.v1.FinanceService.
type Server struct {
	pb.UnimplementedFinanceServiceServer
	pool *pgxpool.Pool
	apps Applications
	// today is the programme's calendar day (Stockholm), replaceable in tests.
	today func() civil.Date
	// approved remembers the reports found approved: approval is final, so a claim of a report already seen
	// approved needs no call to the partnership service.
	approved *approvedReports
	// claimWaitDays is how many days after its submission a claim's decision is due.
	claimWaitDays int
}

// stockholm is the programme's time zone: "today" for rules and payments is the Swedish calendar day.
var stockholm = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	return time.UTC
}()

// Register adds every gRPC service the finance service serves to s: its API, its event stream and its audit
// log, on pool, reading applications from apps.
func Register(s grpc.ServiceRegistrar, pool *pgxpool.Pool, apps Applications, claimWaitDays int) {
	pb.RegisterFinanceServiceServer(s, New(pool, apps).WithClaimWaitDays(claimWaitDays))
	eventspb.RegisterEventServiceServer(s, outbox.NewServer(pool, "finance"))
	auditpb.RegisterAuditServiceServer(s, audit.NewServer(pool, "finance"))
}

// New returns a Server on the service's database, reading applications through apps.
func New(pool *pgxpool.Pool, apps Applications) *Server {
	return &Server{pool: pool, apps: apps, today: func() civil.Date { return civil.DateOf(time.Now().In(stockholm)) },
		approved: &approvedReports{ids: map[string]bool{}}, claimWaitDays: DefaultClaimWaitDays}
}

// DefaultClaimWaitDays is how long a submitted claim may wait for ICLD's decision (programme.md: about a
// month).
const DefaultClaimWaitDays = 30

// WithClaimWaitDays sets how many days after its submission a claim's decision is due.
func (s *Server) WithClaimWaitDays(days int) *Server { s.claimWaitDays = days; return s }

// WithToday replaces the clock, for tests of rules that depend on the day.
func (s *Server) WithToday(today func() civil.Date) *Server { s.today = today; return s }

func actor(ctx context.Context) record.Actor { return record.ActorFrom(ctx) }

// scope is the organisation whose budgets and claims the caller may see, "" for all.
func scope(ctx context.Context) string { return auth.Caller(ctx).Scope() }

// mayWriteFor lets staff through and, of members and partners, only a member of the partnership's Swedish
// party, which writes the budget and claims its costs. It fails closed for any other caller.
func mayWriteFor(ctx context.Context, swedishOrgID, what string) error {
	p := auth.Caller(ctx)
	switch {
	case p.Role == auth.RoleAdmin || p.Role == auth.RoleCoordinator:
		return nil
	case p.Role == auth.RoleMember && p.Scope() == swedishOrgID:
		return nil
	}
	return &fault.PermissionDenied{Reason: "NOT_THE_SWEDISH_PARTY",
		Message: "only members of the partnership's Swedish party may " + what}
}

// seesBudget re-authorizes a replayed answer (platform/idempotency): the caller must still see the budget
// the answer belongs to, or it gets NOT_FOUND as a fresh call would.
func seesBudget[T proto.Message](ctx context.Context, budgetID func(T) string) idempotency.Check[T] {
	return func(tx pgx.Tx, answer T) error {
		_, err := store.GetBudget(ctx, tx, budgetID(answer), scope(ctx))
		return err
	}
}
