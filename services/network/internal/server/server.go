// Package server is the network service's gRPC layer: it checks who may see what and reads through package
// store, which holds the SQL.
package server

import (
	"github.com/jackc/pgx/v5/pgxpool"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
)

// Server implements partnerskap.network.v1.NetworkService.
type Server struct {
	pb.UnimplementedNetworkServiceServer
	pool *pgxpool.Pool
}

// New returns a Server on the service's database.
func New(pool *pgxpool.Pool) *Server { return &Server{pool: pool} }
