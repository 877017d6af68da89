// Package server is the finance service's gRPC layer: it checks who may see what and reads through package
// store, which holds the SQL.
package server

import (
	"github.com/jackc/pgx/v5/pgxpool"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
)

// Server implements partnerskap.finance.v1.FinanceService.
type Server struct {
	pb.UnimplementedFinanceServiceServer
	pool *pgxpool.Pool
}

// New returns a Server on the service's database.
func New(pool *pgxpool.Pool) *Server { return &Server{pool: pool} }
