// Command finance serves the finance service: budgets, reimbursement claims, payments and the ledger.
// Run `finance env` for its settings.
package main

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/finance/internal/server"
	"github.com/partnerskap/partnerskap/services/finance/migrations"
)

// settings are the finance service's own environment variables.
type settings struct {
	Partnerships upstream.PartnershipSettings
}

func main() {
	own := settings{Partnerships: upstream.DefaultPartnershipSettings()}
	service.Main(service.Spec{
		Name:       "finance",
		GRPCPort:   9093,
		Migrations: migrations.FS,
		Settings:   &own,
		Register: func(s *grpc.Server, pool *pgxpool.Pool) {
			pb.RegisterFinanceServiceServer(s, server.New(pool))
		},
		// No demo data yet: budgets belong to partnerships, which this service learns about from events that
		// arrive in a later issue.
	})
}
