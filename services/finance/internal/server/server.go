// Package server is the finance service's gRPC layer: it checks who may see what and reads through package
// store, which holds the SQL.
package server

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// Server implements partnerskap.finance.v1.FinanceService.
type Server struct {
	pb.UnimplementedFinanceServiceServer
	pool *pgxpool.Pool
}

// New returns a Server on the service's database.
func New(pool *pgxpool.Pool) *Server { return &Server{pool: pool} }

// visibleTo returns the organisation whose budgets the caller may see, or "" for the roles that see all.
// It fails closed: ok is false for a call without a principal, or for a member or partner whose organisation
// is not a UUID (no row can be its), because an empty scope would mean everything.
func visibleTo(ctx context.Context) (org string, ok bool) {
	p, authenticated := auth.FromContext(ctx)
	if !authenticated || !p.Role.OrgScoped() {
		return "", authenticated
	}
	return p.Org, uuid.Validate(p.Org) == nil
}
