package server

import (
	"testing"

	"google.golang.org/grpc"

	"github.com/partnerskap/partnerskap/platform/servertest"
)

// Every RPC of the service, through the real interceptor chain, as every kind of caller: only the roles its
// proto declares get past authorization, and no empty request is answered with INTERNAL.
func TestEveryRPCAsEveryRole(t *testing.T) {
	f := newFixture(t)
	servertest.RoleMatrix(t, malmo, func(s *grpc.Server) error {
		Register(s, f.pool, fixtureApps(), DefaultClaimWaitDays)
		return nil
	})
}
