// Command partnership serves the partnership service: organisations, partnerships and the programme's rules.
// Run `partnership env` for its settings.
package main

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/services/partnership/internal/demo"
	"github.com/partnerskap/partnerskap/services/partnership/internal/server"
	"github.com/partnerskap/partnerskap/services/partnership/migrations"
)

func main() {
	service.Main(service.Spec{
		Name:       "partnership",
		GRPCPort:   9091,
		Migrations: migrations.FS,
		Register: func(s *grpc.Server, pool *pgxpool.Pool) {
			pb.RegisterPartnershipServiceServer(s, server.New(pool))
		},
		Seed: demo.Load,
	})
}
