package gateway

import (
	"context"
	"fmt"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"

	"github.com/partnerskap/partnerskap/gateway/internal/auditfan"
	"github.com/partnerskap/partnerskap/gateway/internal/upstream"
)

// auditLogServices are the services that keep an audit log and serve it as partnerskap.audit.v1.AuditService;
// the reporting service changes nothing and keeps none.
var auditLogServices = []string{"partnership", "network", "finance"}

// registerAuditLog routes GET /v1/audit-log once, to the merge of the services' logs, over the connections
// the services' own routes use. Registering each service's AuditService handler instead would give the route
// to whichever registered last.
func registerAuditLog(ctx context.Context, mux *runtime.ServeMux, conns []upstream.Conn) error {
	var sources []auditfan.Source
	for _, name := range auditLogServices {
		found := false
		for _, c := range conns {
			if c.Name == name {
				sources = append(sources, auditfan.Source{Name: name, Client: auditpb.NewAuditServiceClient(c.ClientConn)})
				found = true
			}
		}
		if !found {
			return fmt.Errorf("the audit log needs a connection to the %s service", name)
		}
	}
	if err := auditpb.RegisterAuditServiceHandlerClient(ctx, mux, auditfan.New(sources...)); err != nil {
		return fmt.Errorf("register the audit log's route: %w", err)
	}
	return nil
}
