package server

import (
	"context"
	"testing"

	"google.golang.org/grpc"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/servertest"
	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
	"github.com/partnerskap/partnerskap/services/notification/migrations"
)

// noSources answers nothing: the role matrix checks who may call, not what is answered.
type noSources struct{}

func (noSources) Deadlines(context.Context, bool, civil.Date, civil.Date, string) ([]agenda.Deadline, []string, error) {
	return nil, nil, nil
}
func (noSources) Me(context.Context) (string, error) { return "", nil }

func TestRoles(t *testing.T) {
	pool := pgtest.NewPool(t, migrations.FS)
	servertest.RoleMatrix(t, "0190c5a2-0000-7000-8000-00000000000a", func(s *grpc.Server) error {
		Register(s, New(pool, noSources{}, "http://x"))
		return nil
	})
}
