// Command reporting serves the reporting service: reports from read models it builds from the other
// services' events. Run `reporting env` for its settings.
package main

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/services/reporting/internal/server"
	"github.com/partnerskap/partnerskap/services/reporting/migrations"
)

func main() {
	service.Main(service.Spec{
		Name:       "reporting",
		GRPCPort:   9094,
		Migrations: migrations.FS,
		Register: func(s *grpc.Server, pool *pgxpool.Pool) {
			pb.RegisterReportingServiceServer(s, server.New(pool))
		},
		// No demo data: the read models are built only from the other services' events, so seeding them here
		// would show lines no event ever produced.
	})
}
