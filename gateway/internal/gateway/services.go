package gateway

import (
	financev1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	networkv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	notificationv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/notification/v1"
	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	reportingv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/gateway/internal/upstream"
)

// services lists the backends the gateway exposes; a new service is one more line here.
func (s Settings) services() []upstream.Service {
	return []upstream.Service{
		{Name: "partnership", Addr: s.PartnershipAddr, Registers: []upstream.RegisterFunc{
			partnershipv1.RegisterPartnershipServiceHandler,
			partnershipv1.RegisterProgrammeServiceHandler,
			partnershipv1.RegisterCooperationServiceHandler,
			partnershipv1.RegisterDocumentServiceHandler,
		}},
		{Name: "network", Addr: s.NetworkAddr, Registers: []upstream.RegisterFunc{networkv1.RegisterNetworkServiceHandler}},
		{Name: "finance", Addr: s.FinanceAddr, Registers: []upstream.RegisterFunc{financev1.RegisterFinanceServiceHandler}},
		{Name: "reporting", Addr: s.ReportingAddr, Registers: []upstream.RegisterFunc{reportingv1.RegisterReportingServiceHandler}},
		{Name: "notification", Addr: s.NotificationAddr, Registers: []upstream.RegisterFunc{notificationv1.RegisterNotificationServiceHandler}},
	}
}
