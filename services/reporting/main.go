// Command reporting serves the reporting service: reports and exports from read models it builds from the
// partnership, network and finance services' events. `reporting rebuild` replays every event into fresh read
// models. Run `reporting env` for its settings.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/consume"
	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/reporting/internal/readmodel"
	"github.com/partnerskap/partnerskap/services/reporting/internal/server"
	"github.com/partnerskap/partnerskap/services/reporting/migrations"
)

// settings are the reporting service's own environment variables.
type settings struct {
	PartnershipAddr  string        `env:"PARTNERSHIP_ADDR" help:"gRPC address of the partnership service, whose events the reporting service reads"`
	NetworkAddr      string        `env:"NETWORK_ADDR" help:"gRPC address of the network service, whose events the reporting service reads"`
	FinanceAddr      string        `env:"FINANCE_ADDR" help:"gRPC address of the finance service, whose events the reporting service reads"`
	EventsTimeout    time.Duration `env:"EVENTS_TIMEOUT" help:"deadline of one read of a producer's events"`
	EventsInterval   time.Duration `env:"EVENTS_POLL_INTERVAL" help:"how long the consumer waits before asking an up-to-date or unreachable producer again"`
	ServiceTokenFile string        `env:"SERVICE_TOKEN_FILE" help:"oidc: file holding the reporting service's own bearer token (role auditor), kept fresh outside the service; development signs its own"`
	ClaimWaitDays    int           `env:"CLAIM_WAIT_DAYS" help:"days a submitted claim may wait for a decision before the compliance report lists it"`
	IATIOrgRef       string        `env:"IATI_REPORTING_ORG_REF" help:"IATI identifier of the publisher (SE-ON- and ICLD's organisation number); activity identifiers start with it"`
	IATIOrgName      string        `env:"IATI_REPORTING_ORG_NAME" help:"name of the publisher in the IATI export"`
	IATIOrgType      string        `env:"IATI_REPORTING_ORG_TYPE" help:"IATI OrganisationType code of the publisher (10 is government)"`
	IATIDocumentsURL string        `env:"IATI_DOCUMENTS_BASE_URL" help:"the gateway's address as the public reaches it; a public document is linked in the IATI export as this plus /v1/public/documents/{id}:download, which needs no token"`
}

func defaults() settings {
	return settings{PartnershipAddr: "127.0.0.1:9091", NetworkAddr: "127.0.0.1:9092", FinanceAddr: "127.0.0.1:9093",
		EventsTimeout: 10 * time.Second, EventsInterval: 250 * time.Millisecond, ClaimWaitDays: 30,
		IATIOrgRef: "SE-ON-0000000000", IATIOrgName: "ICLD", IATIOrgType: "10", IATIDocumentsURL: "http://127.0.0.1:8080"}
}

func main() {
	own := defaults()
	metrics := consume.NewMetrics("reporting")
	service.Main(service.Spec{
		Name:       "reporting",
		GRPCPort:   9094,
		Migrations: migrations.FS,
		Settings:   &own,
		Register: func(s *grpc.Server, pool *pgxpool.Pool, _ service.Settings) (io.Closer, error) {
			server.Register(s, pool, server.Options{ClaimWaitDays: own.ClaimWaitDays,
				IATI: server.IATIPublisher{Ref: own.IATIOrgRef, Name: own.IATIOrgName, Type: own.IATIOrgType,
					DocumentBaseURL: strings.TrimSuffix(own.IATIDocumentsURL, "/")}})
			return nil, nil
		},
		Collectors: metrics.Collectors(),
		Worker: func(ctx context.Context, pool *pgxpool.Pool, common service.Settings) error {
			c, err := consumer(pool, own, common, metrics)
			if err != nil {
				return err
			}
			return c.Run(ctx)
		},
		Commands: map[string]func(context.Context, *pgxpool.Pool, service.Settings) error{
			"rebuild": func(ctx context.Context, pool *pgxpool.Pool, common service.Settings) error {
				c, err := consumer(pool, own, common, metrics)
				if err != nil {
					return err
				}
				return rebuild(ctx, c)
			},
		},
		// No demo data: the read models are built only from the other services' events.
	})
}

// consumer reads the three producers' streams with the reporting service's own identity.
func consumer(pool *pgxpool.Pool, own settings, common service.Settings, metrics consume.Metrics) (consume.Consumer, error) {
	var id upstream.Identity
	switch {
	case common.Auth.Mode == "development":
		id = upstream.DevIdentity(common.Auth.DevKeyFile, common.Auth.Issuer, common.Auth.Audience,
			auth.Principal{Subject: "service:reporting", Role: auth.RoleAuditor})
	case own.ServiceTokenFile != "":
		id = upstream.FileIdentity(own.ServiceTokenFile)
	default:
		return consume.Consumer{}, errors.New("SERVICE_TOKEN_FILE is required outside development: the reporting service reads the producers' events with its own token")
	}
	c := consume.Consumer{Pool: pool, Metrics: metrics, Interval: own.EventsInterval, PageSize: 500,
		Apply: readmodel.Apply, Malformed: readmodel.IsMalformed, Reset: readmodel.Reset}
	for _, p := range []struct{ name, addr string }{{"partnership", own.PartnershipAddr}, {"network", own.NetworkAddr}, {"finance", own.FinanceAddr}} {
		conn, err := upstream.Dial(p.name, p.addr, own.EventsTimeout, "partnerskap.events.v1.EventService")
		if err != nil {
			return consume.Consumer{}, err
		}
		client := eventspb.NewEventServiceClient(conn.ClientConn())
		c.Sources = append(c.Sources, consume.Source{Name: p.name, List: func(ctx context.Context, after int64, limit int) (*eventspb.ListEventsResponse, error) {
			ctx, cancel, err := conn.OutgoingAs(ctx, id)
			if err != nil {
				return nil, err
			}
			defer cancel()
			resp, err := client.ListEvents(ctx, &eventspb.ListEventsRequest{AfterSeq: after, PageSize: int32(limit)}, consume.CallOptions()...)
			if err != nil {
				return nil, conn.Translate(err, "event stream", p.name)
			}
			return resp, nil
		}})
	}
	return c, nil
}

// rebuild empties the read models and replays every producer's events from the start, in one transaction
// (consume.Consumer.Rebuild): the reports stay whole throughout.
func rebuild(ctx context.Context, c consume.Consumer) error {
	start := time.Now()
	if err := c.Rebuild(ctx); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	slog.Info("rebuilt the read models", "duration", time.Since(start).String())
	return nil
}
