// Package sources is what the notification service asks the other services: their deadlines, the people who
// use the system, and a partnership's Swedish party. A request's deadlines are asked with the caller's own
// token, so each service keeps its own scope; the worker's and calendars' with the service's own identity.
package sources

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	networkpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
)

// Addresses are where the services are.
type Addresses struct {
	Partnership string        `env:"PARTNERSHIP_ADDR" help:"gRPC address of the partnership service: deadlines, people, and its events"`
	Network     string        `env:"NETWORK_ADDR" help:"gRPC address of the network service: the networks' milestones"`
	Finance     string        `env:"FINANCE_ADDR" help:"gRPC address of the finance service: claims to decide, and its events"`
	Timeout     time.Duration `env:"UPSTREAM_TIMEOUT" help:"deadline of one call to another service, retries included"`
}

// DefaultAddresses are the services' default ports on this machine.
func DefaultAddresses() Addresses {
	return Addresses{Partnership: "127.0.0.1:9091", Network: "127.0.0.1:9092", Finance: "127.0.0.1:9093", Timeout: 5 * time.Second}
}

// Sources asks the other services.
type Sources struct {
	Conns       map[string]*upstream.Conn
	cooperation partnershippb.CooperationServiceClient
	partnership partnershippb.PartnershipServiceClient
	programme   partnershippb.ProgrammeServiceClient
	finance     financepb.FinanceServiceClient
	network     networkpb.NetworkServiceClient
	// Self is the service's own identity (role auditor: it reads, never writes).
	Self upstream.Identity
}

// Dial prepares connections to the three services.
func Dial(a Addresses, self upstream.Identity) (*Sources, error) {
	s := &Sources{Conns: map[string]*upstream.Conn{}, Self: self}
	for _, c := range []struct{ name, addr string }{{"partnership", a.Partnership}, {"network", a.Network}, {"finance", a.Finance}} {
		conn, err := upstream.Dial(c.name, c.addr, a.Timeout, "partnerskap.partnership.v1.CooperationService",
			"partnerskap.partnership.v1.PartnershipService", "partnerskap.partnership.v1.ProgrammeService", "partnerskap.finance.v1.FinanceService", "partnerskap.network.v1.NetworkService",
			"partnerskap.events.v1.EventService")
		if err != nil {
			s.Close()
			return nil, err
		}
		s.Conns[c.name] = conn
	}
	s.cooperation = partnershippb.NewCooperationServiceClient(s.Conns["partnership"].ClientConn())
	s.partnership = partnershippb.NewPartnershipServiceClient(s.Conns["partnership"].ClientConn())
	s.programme = partnershippb.NewProgrammeServiceClient(s.Conns["partnership"].ClientConn())
	s.finance = financepb.NewFinanceServiceClient(s.Conns["finance"].ClientConn())
	s.network = networkpb.NewNetworkServiceClient(s.Conns["network"].ClientConn())
	return s, nil
}

// Close closes the connections.
func (s *Sources) Close() error {
	for _, c := range s.Conns {
		_ = c.Close()
	}
	return nil
}

// outgoing bounds a call to service name and sends the caller's token (asCaller) or the service's own.
func (s *Sources) outgoing(ctx context.Context, name string, asCaller bool) (context.Context, context.CancelFunc, error) {
	if asCaller {
		ctx, cancel := s.Conns[name].Outgoing(ctx)
		return ctx, cancel, nil
	}
	return s.Conns[name].OutgoingAs(ctx, s.Self)
}

// Deadlines asks the three services at once for their deadlines from from to to (of one organisation's
// partnerships when org is not empty), with the caller's token (asCaller) or the service's own, and merges
// them by day and id. A service that cannot answer is named in unavailable and its deadlines are missing;
// when none can, the answer is an Unavailable error. Another error is a refusal of the request itself (a 4xx),
// which every service would give.
func (s *Sources) Deadlines(ctx context.Context, asCaller bool, from, to civil.Date, org string) (ds []agenda.Deadline, unavailable []string, err error) {
	req := &typepb.DeadlinesRequest{From: civil.ToProto(from), To: civil.ToProto(to), OrganizationId: org}
	calls := map[string]func(context.Context) (*typepb.DeadlinesResponse, error){
		"partnership": func(ctx context.Context) (*typepb.DeadlinesResponse, error) {
			return s.cooperation.ListDeadlines(ctx, req)
		},
		"finance": func(ctx context.Context) (*typepb.DeadlinesResponse, error) { return s.finance.ListDeadlines(ctx, req) },
		"network": func(ctx context.Context) (*typepb.DeadlinesResponse, error) { return s.network.ListDeadlines(ctx, req) },
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, call := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel, oerr := s.outgoing(ctx, name, asCaller)
			defer cancel()
			var resp *typepb.DeadlinesResponse
			if oerr == nil {
				resp, oerr = call(cctx)
			}
			mu.Lock()
			defer mu.Unlock()
			switch terr := s.Conns[name].Translate(oerr, "deadlines", name); {
			case oerr == nil:
				for _, d := range resp.GetDeadlines() {
					ds = append(ds, deadlineOf(d))
				}
			case upstream.IsUnavailable(terr):
				unavailable = append(unavailable, name)
			default:
				if err == nil {
					err = terr
				}
			}
		}()
	}
	wg.Wait()
	slices.SortFunc(ds, func(a, b agenda.Deadline) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	slices.Sort(unavailable)
	if err == nil && len(unavailable) == len(calls) {
		// Nothing to answer with: not an empty calendar, an outage.
		return nil, unavailable, &fault.Unavailable{Reason: fault.ServiceUnavailable, Service: strings.Join(unavailable, ","),
			Message: "no service could answer its deadlines; try again shortly"}
	}
	return ds, unavailable, err
}

func deadlineOf(d *typepb.Deadline) agenda.Deadline {
	return agenda.Deadline{ID: d.GetId(), Kind: agenda.Kind(enumword.Word(d.GetKind())), Title: d.GetTitle(), Due: dateOf(d.GetDueDate()),
		PartnershipID: d.GetPartnershipId(), OrgIDs: d.GetOrganizationIds(), Responsible: d.GetResponsible(), Resource: d.GetResource(),
		Facts: d.GetFacts()}
}

func dateOf(d *date.Date) civil.Date {
	if d == nil {
		return civil.Date{}
	}
	return civil.Date{Year: int(d.GetYear()), Month: time.Month(d.GetMonth()), Day: int(d.GetDay())}
}

// People lists every person who can be written to (not erased), or those acting for org, with the service's
// own identity.
func (s *Sources) People(ctx context.Context, org string) ([]agenda.Person, error) {
	var out []agenda.Person
	for token := ""; ; {
		cctx, cancel, err := s.outgoing(ctx, "partnership", false)
		if err != nil {
			return nil, err
		}
		resp, err := s.cooperation.ListPeople(cctx, &partnershippb.ListPeopleRequest{PageSize: 500, PageToken: token, OrganizationId: org})
		cancel()
		if err != nil {
			return nil, s.Conns["partnership"].Translate(err, "people", org)
		}
		for _, p := range resp.GetPeople() {
			if p.GetErased() || p.GetEmail() == "" {
				continue
			}
			out = append(out, agenda.Person{ID: p.GetId(), Email: p.GetEmail(), Name: p.GetDisplayName(), Language: p.GetLanguage(),
				Role: enumword.Word(p.GetRole()), OrgIDs: p.GetOrganizationIds(), NoReminders: p.GetNotifications().GetNoReminders(),
				NoRequests: p.GetNotifications().GetNoRequests(), NoDigest: p.GetNotifications().GetNoWeeklyDigest()})
			for _, d := range p.GetNotifications().GetReminderDays() {
				out[len(out)-1].ReminderDays = append(out[len(out)-1].ReminderDays, int(d))
			}
		}
		if token = resp.GetNextPageToken(); token == "" {
			return out, nil
		}
	}
}

// Me is the person id of the caller (their token's subject), with the caller's token; a caller who is no
// person is NotFound.
func (s *Sources) Me(ctx context.Context) (string, error) {
	cctx, cancel, _ := s.outgoing(ctx, "partnership", true)
	defer cancel()
	p, err := s.cooperation.GetMe(cctx, &partnershippb.GetMeRequest{})
	if err != nil {
		return "", s.Conns["partnership"].Translate(err, "person", "me")
	}
	return p.GetId(), nil
}

// Partnership is what a request to act needs of a partnership: its title and Swedish party.
func (s *Sources) Partnership(ctx context.Context, id string) (title, swedishOrg string, err error) {
	cctx, cancel, err := s.outgoing(ctx, "partnership", false)
	if err != nil {
		return "", "", err
	}
	defer cancel()
	p, err := s.partnership.GetPartnership(cctx, &partnershippb.GetPartnershipRequest{Id: id})
	if err != nil {
		return "", "", s.Conns["partnership"].Translate(err, "partnership", id)
	}
	return p.GetTitle(), p.GetSwedishOrganizationId(), nil
}

// ReminderDays are the programme's distances before a deadline at which people are reminded, under the rules
// in force on day (ProgrammeRules.reminders).
func (s *Sources) ReminderDays(ctx context.Context, day civil.Date) ([]int, error) {
	cctx, cancel, err := s.outgoing(ctx, "partnership", false)
	if err != nil {
		return nil, err
	}
	defer cancel()
	r, err := s.programme.GetProgrammeRules(cctx, &partnershippb.GetProgrammeRulesRequest{Date: day.String()})
	if err != nil {
		return nil, s.Conns["partnership"].Translate(err, "programme rules", day.String())
	}
	var out []int
	for _, d := range r.GetReminders().GetDaysBefore() {
		out = append(out, int(d))
	}
	return out, nil
}
