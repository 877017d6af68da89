// Package partnerships is the network service's client of the partnership service. Every call carries the
// caller's own token (so the partnership service applies the caller's rights: a member never learns of
// another organisation's partnership through a network) and request id, runs under a deadline, and is
// retried with backoff only when it failed with UNAVAILABLE: every method used here only reads.
package partnerships

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/requestid"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
)

// Settings configure the client.
type Settings struct {
	Addr    string        `env:"PARTNERSHIP_ADDR" help:"gRPC address of the partnership service, which the network service reads partnerships from"`
	Timeout time.Duration `env:"PARTNERSHIP_TIMEOUT" help:"deadline of one call to the partnership service, retries included"`
}

// DefaultSettings are the local defaults (conventions.md ports).
func DefaultSettings() Settings {
	return Settings{Addr: "127.0.0.1:9091", Timeout: 5 * time.Second}
}

// retryPolicy retries reads that met an unavailable server, with exponential backoff; grpc-go applies it
// within each call's deadline.
const retryPolicy = `{"methodConfig": [{
	"name": [{"service": "partnerskap.partnership.v1.PartnershipService"},
	         {"service": "partnerskap.partnership.v1.ProgrammeService"},
	         {"service": "partnerskap.partnership.v1.CooperationService"}],
	"retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.1s", "maxBackoff": "1s", "backoffMultiplier": 2,
	                "retryableStatusCodes": ["UNAVAILABLE"]}}]}`

// Client reads partnerships.
type Client struct {
	conn        *grpc.ClientConn
	timeout     time.Duration
	partnership pb.PartnershipServiceClient
	programme   pb.ProgrammeServiceClient
	cooperation pb.CooperationServiceClient
}

// New prepares a client; it connects lazily, so the network service starts while the partnership service
// is down.
func New(s Settings) (*Client, error) {
	conn, err := grpc.NewClient(s.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithDefaultServiceConfig(retryPolicy))
	if err != nil {
		return nil, fmt.Errorf("partnership service client: %w", err)
	}
	return &Client{conn: conn, timeout: s.Timeout, partnership: pb.NewPartnershipServiceClient(conn),
		programme: pb.NewProgrammeServiceClient(conn), cooperation: pb.NewCooperationServiceClient(conn)}, nil
}

// Close releases the connection.
func (c *Client) Close() error { return c.conn.Close() }

// outgoing bounds a call and passes on who asks: the caller's bearer token and the request id.
func (c *Client) outgoing(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	md := metadata.MD{}
	if in, ok := metadata.FromIncomingContext(ctx); ok {
		if v := in.Get("authorization"); len(v) > 0 {
			md.Set("authorization", v[0])
		}
	}
	if id := requestid.From(ctx); id != "" {
		md.Set(requestid.Header, id)
	}
	return metadata.NewOutgoingContext(ctx, md), cancel
}

// translate turns the partnership service's answer into this service's faults: a partnership the caller may
// not see is NOT_FOUND, exactly as one that does not exist; an unreachable or slow service is UNAVAILABLE.
func translate(err error, id string) error {
	if err == nil {
		return nil
	}
	switch status.Code(err) {
	case codes.NotFound, codes.PermissionDenied:
		return &fault.NotFound{Kind: "partnership", ID: id}
	case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled:
		return &fault.Unavailable{Message: "the partnership service is unavailable; nothing was changed, try again shortly"}
	case codes.Unauthenticated:
		return &fault.Unauthenticated{Reason: "TOKEN_REFUSED_UPSTREAM", Message: "the partnership service refused the caller's token"}
	}
	return fmt.Errorf("partnership service: %w", err)
}

// IsUnavailable reports whether err means the partnership service could not answer.
func IsUnavailable(err error) bool {
	var u *fault.Unavailable
	return errors.As(err, &u)
}

// Summary is a partnership as a network shows it.
type Summary struct {
	ID, Title, State                 string
	SwedishOrgID, InternationalOrgID string
	SwedishParty, InternationalParty string
	InternationalCountry             string
}

// Summary reads a partnership and the names of its parties.
func (c *Client) Summary(ctx context.Context, id string) (Summary, error) {
	ctx, cancel := c.outgoing(ctx)
	defer cancel()
	p, err := c.partnership.GetPartnership(ctx, &pb.GetPartnershipRequest{Id: id})
	if err != nil {
		return Summary{}, translate(err, id)
	}
	s := Summary{ID: id, Title: p.GetTitle(), State: stateWord(p.GetState()), SwedishOrgID: p.GetSwedishOrganizationId(), InternationalOrgID: p.GetInternationalOrganizationId()}
	sw, err := c.partnership.GetOrganization(ctx, &pb.GetOrganizationRequest{Id: s.SwedishOrgID})
	if err != nil {
		return Summary{}, translate(err, id)
	}
	in, err := c.partnership.GetOrganization(ctx, &pb.GetOrganizationRequest{Id: s.InternationalOrgID})
	if err != nil {
		return Summary{}, translate(err, id)
	}
	s.SwedishParty, s.InternationalParty, s.InternationalCountry = sw.GetDisplayName(), in.GetDisplayName(), in.GetInternational().GetCountryCode()
	return s, nil
}

// Candidate reads what the membership rules need to know about a partnership: its state, its international
// party's country and that country's cluster, and when its inception starts.
func (c *Client) Candidate(ctx context.Context, id string) (domain.Candidate, Summary, error) {
	s, err := c.Summary(ctx, id)
	if err != nil {
		return domain.Candidate{}, s, err
	}
	cand := domain.Candidate{PartnershipID: id, Title: s.Title, State: s.State, CountryCode: s.InternationalCountry}
	ctx, cancel := c.outgoing(ctx)
	defer cancel()
	countries, err := c.programme.ListCountries(ctx, &pb.ListCountriesRequest{AllVersions: true})
	if err != nil {
		return cand, s, translate(err, id)
	}
	for _, country := range countries.GetCountries() {
		if country.GetCountryCode() == cand.CountryCode {
			cand.CountryCluster = domain.Cluster(clusterWord(country.GetCluster())) // the newest version wins
		}
	}
	apps, err := c.cooperation.ListApplications(ctx, &pb.ListApplicationsRequest{PartnershipId: id})
	if err != nil {
		return cand, s, translate(err, id)
	}
	for _, a := range apps.GetApplications() {
		if a.GetKind() == pb.ApplicationKind_APPLICATION_KIND_INCEPTION && a.GetStatus() != pb.ApplicationStatus_APPLICATION_STATUS_REJECTED {
			d := a.GetStartDate()
			cand.InceptionStart = domain.Date{Year: int(d.GetYear()), Month: time.Month(d.GetMonth()), Day: int(d.GetDay())}
		}
	}
	return cand, s, nil
}

// Progress is what the cohort view shows of a partnership beyond its summary; Missing names the parts that
// could not be read.
type Progress struct {
	VisitsThisYear        int
	SteeringGroupBalanced bool
	Missing               []string
}

// Progress reads a partnership's visits this year and its steering-group balance; a part that fails is
// named in Missing rather than failing the whole answer.
func (c *Client) Progress(ctx context.Context, id string, year int) Progress {
	ctx, cancel := c.outgoing(ctx)
	defer cancel()
	var p Progress
	if visits, err := c.cooperation.ListVisits(ctx, &pb.ListVisitsRequest{PartnershipId: id}); err != nil {
		p.Missing = append(p.Missing, domain.PartVisits)
	} else {
		for _, v := range visits.GetVisits() {
			if int(v.GetStartDate().GetYear()) == year {
				p.VisitsThisYear++
			}
		}
	}
	if check, err := c.cooperation.CheckSteeringGroup(ctx, &pb.CheckSteeringGroupRequest{PartnershipId: id}); err != nil {
		p.Missing = append(p.Missing, domain.PartSteeringGroup)
	} else {
		p.SteeringGroupBalanced = check.GetPasses()
	}
	return p
}
