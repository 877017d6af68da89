// Command network serves the network service: thematic networks of partnerships that start together.
// Run `network env` for its settings.
package main

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"

	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/services/network/internal/server"
	"github.com/partnerskap/partnerskap/services/network/migrations"
)

func main() {
	service.Main(service.Spec{
		Name:       "network",
		GRPCPort:   9092,
		Migrations: migrations.FS,
		Register: func(s *grpc.Server, pool *pgxpool.Pool) {
			pb.RegisterNetworkServiceServer(s, server.New(pool))
		},
		// No demo data yet: the network domain arrives in a later issue, and an invented network would only
		// have to be unlearned.
	})
}
