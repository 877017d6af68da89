package server

import (
	"testing"

	"google.golang.org/grpc"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/servertest"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/migrations"
)

// Every RPC of the service, through the real interceptor chain, as every kind of caller: only the roles its
// proto declares get past authorization, and no empty request is answered with INTERNAL.
func TestEveryRPCAsEveryRole(t *testing.T) {
	pool := pgtest.NewPool(t, migrations.FS)
	client := standInClient(t)
	servertest.RoleMatrix(t, "0190c5a2-8c6e-7000-8000-000000000001", func(s *grpc.Server) error {
		Register(s, pool, client, domain.DefaultMembershipRule())
		return nil
	})
}
