// Command notification serves the notification service: the programme's deadlines gathered from every service
// (GET /v1/deadlines, an iCalendar feed per person), and the e-mails that tell people what is due, sent
// through SMTP: reminders before deadlines, requests to act from the other services' events, and a weekly
// digest. Run `notification env` for its settings.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/consume"
	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/notification/internal/events"
	"github.com/partnerskap/partnerskap/services/notification/internal/remind"
	"github.com/partnerskap/partnerskap/services/notification/internal/send"
	"github.com/partnerskap/partnerskap/services/notification/internal/server"
	"github.com/partnerskap/partnerskap/services/notification/internal/sources"
	"github.com/partnerskap/partnerskap/services/notification/migrations"
)

// settings are the notification service's own environment variables.
type settings struct {
	Services         sources.Addresses
	EventsInterval   time.Duration `env:"EVENTS_POLL_INTERVAL" help:"how long the consumer waits before asking an up-to-date or unreachable producer again"`
	ServiceTokenFile string        `env:"SERVICE_TOKEN_FILE" help:"oidc: file holding the notification service's own bearer token (role auditor), kept fresh outside the service; development signs its own"`
	SMTP             send.Settings
	DigestDay        string        `env:"DIGEST_WEEKDAY" help:"the weekday the weekly digest is made on (Monday ... Sunday)"`
	ScheduleInterval time.Duration `env:"SCHEDULE_INTERVAL" help:"how often reminders and digests due are looked for"`
	LinkBaseURL      string        `env:"LINK_BASE_URL" help:"the gateway's address as people reach it: the e-mails' and calendars' links start with it"`
}

func defaults() settings {
	return settings{Services: sources.DefaultAddresses(), EventsInterval: 250 * time.Millisecond, SMTP: send.DefaultSettings(),
		DigestDay: "Monday", ScheduleInterval: time.Hour, LinkBaseURL: "http://127.0.0.1:8080"}
}

func main() {
	own := defaults()
	a := &app{own: &own, metrics: consume.NewMetrics("notification")}
	service.Main(service.Spec{
		Name:       "notification",
		GRPCPort:   9095,
		Migrations: migrations.FS,
		Settings:   &own,
		Register: func(s *grpc.Server, pool *pgxpool.Pool, common service.Settings) (io.Closer, error) {
			src, err := a.sources(common)
			if err != nil {
				return nil, err
			}
			server.Register(s, server.New(pool, src, strings.TrimSuffix(own.LinkBaseURL, "/")))
			return nil, nil // the connections close with the worker
		},
		Collectors: a.metrics.Collectors(),
		Worker:     a.work,
	})
}

// app holds what the server and the worker share: one set of connections to the other services.
type app struct {
	own     *settings
	metrics consume.Metrics
	once    sync.Once
	src     *sources.Sources
	err     error
}

// sources dials the other services once, with the service's own identity.
func (a *app) sources(common service.Settings) (*sources.Sources, error) {
	a.once.Do(func() {
		var id upstream.Identity
		switch {
		case common.Auth.Mode == "development":
			id = upstream.DevIdentity(common.Auth.DevKeyFile, common.Auth.Issuer, common.Auth.Audience,
				auth.Principal{Subject: "service:notification", Role: auth.RoleAuditor})
		case a.own.ServiceTokenFile != "":
			id = upstream.FileIdentity(a.own.ServiceTokenFile)
		default:
			a.err = errors.New("SERVICE_TOKEN_FILE is required outside development: the notification service reads the other services with its own token")
			return
		}
		a.src, a.err = sources.Dial(a.own.Services, id)
	})
	return a.src, a.err
}

// work runs the three loops: the consumer of the partnership and finance services' events (requests to act),
// the scheduler (reminders, digests) and the sender, until ctx ends; the first to fail stops the others.
func (a *app) work(ctx context.Context, pool *pgxpool.Pool, common service.Settings) error {
	own := *a.own
	if err := own.SMTP.Validate(); err != nil {
		return err
	}
	weekday, err := weekdayOf(own.DigestDay)
	if err != nil {
		return err
	}
	src, err := a.sources(common)
	if err != nil {
		return err
	}
	defer src.Close()
	link := strings.TrimSuffix(own.LinkBaseURL, "/")
	handler := events.Handler{People: src, LinkBase: link}
	// From now: a notification service installed beside years of events asks no one to act on what happened then.
	c := consume.Consumer{Pool: pool, Metrics: a.metrics, Interval: own.EventsInterval, PageSize: 500, FromNow: true,
		Apply: handler.Apply, Malformed: events.IsMalformed}
	for _, name := range []string{"partnership", "finance"} {
		conn := src.Conns[name]
		client := eventspb.NewEventServiceClient(conn.ClientConn())
		c.Sources = append(c.Sources, consume.Source{Name: name, List: func(ctx context.Context, after int64, limit int) (*eventspb.ListEventsResponse, error) {
			ctx, cancel, err := conn.OutgoingAs(ctx, src.Self)
			if err != nil {
				return nil, err
			}
			defer cancel()
			resp, err := client.ListEvents(ctx, &eventspb.ListEventsRequest{AfterSeq: after, PageSize: int32(limit)}, consume.CallOptions()...)
			if err != nil {
				return nil, conn.Translate(err, "event stream", name)
			}
			return resp, nil
		}})
	}
	loops := []func(context.Context) error{
		c.Run,
		remind.Scheduler{Pool: pool, Sources: src, DigestDay: weekday, Interval: own.ScheduleInterval, LinkBase: link}.Run,
		send.Sender{Pool: pool, Settings: own.SMTP}.Run,
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	errs := make(chan error, len(loops))
	var wg sync.WaitGroup
	for _, loop := range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := loop(ctx)
			if err != nil {
				stop()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// weekdayOf reads DIGEST_WEEKDAY.
func weekdayOf(s string) (time.Weekday, error) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), s) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("DIGEST_WEEKDAY %q is not a weekday (Monday ... Sunday)", s)
}
