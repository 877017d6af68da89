// Package server is the network service's gRPC layer: it checks who may see and change what, reads the
// partnerships it needs from the partnership service, and runs the store's functions in transactions. The
// rules live in package domain; the SQL in package store.
package server

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"
	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"

	"github.com/partnerskap/partnerskap/platform/audit"
	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/internal/partnerships"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
)

// Server implements partnerskap.network.v1.NetworkService.
type Server struct {
	pb.UnimplementedNetworkServiceServer
	pool         *pgxpool.Pool
	partnerships *partnerships.Client
	rule         domain.MembershipRule
}

// Register adds every gRPC service the network service serves to s: its API, its event stream and its audit
// log, on pool, reading partnerships through client.
func Register(s grpc.ServiceRegistrar, pool *pgxpool.Pool, client *partnerships.Client, rule domain.MembershipRule) {
	pb.RegisterNetworkServiceServer(s, New(pool, client, rule))
	eventspb.RegisterEventServiceServer(s, outbox.NewServer(pool, "network"))
	auditpb.RegisterAuditServiceServer(s, audit.NewServer(pool, "network"))
}

// New returns a Server on the service's database, reading partnerships through client and admitting members
// by rule.
func New(pool *pgxpool.Pool, client *partnerships.Client, rule domain.MembershipRule) *Server {
	return &Server{pool: pool, partnerships: client, rule: rule}
}

// mayManage says whether the caller may change network n: an admin may change any, a coordinator only the
// networks it coordinates (conventions: "the network's coordinator manages it").
func mayManage(ctx context.Context, n store.Network) error {
	p := auth.Caller(ctx)
	if p.Role == auth.RoleAdmin || (p.Role == auth.RoleCoordinator && p.Subject == n.CoordinatorSubject) {
		return nil
	}
	return &fault.PermissionDenied{Reason: "NOT_THE_NETWORK_COORDINATOR", Message: "only the network's coordinator or an admin may change this network"}
}
