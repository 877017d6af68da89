// Command network serves the network service: thematic networks of partnerships that start together and
// run four years. It reads partnerships from the partnership service. Run `network env` for its settings.
package main

import (
	"log/slog"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"

	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/services/network/internal/partnerships"
	"github.com/partnerskap/partnerskap/services/network/internal/server"
	"github.com/partnerskap/partnerskap/services/network/migrations"
)

func main() {
	upstream := partnerships.DefaultSettings()
	service.Main(service.Spec{
		Name:       "network",
		GRPCPort:   9092,
		Migrations: migrations.FS,
		Settings:   &upstream,
		Register: func(s *grpc.Server, pool *pgxpool.Pool) {
			client, err := partnerships.New(upstream)
			if err != nil {
				slog.Error("exiting", "error", err.Error())
				os.Exit(1)
			}
			pb.RegisterNetworkServiceServer(s, server.New(pool, client))
		},
	})
}
