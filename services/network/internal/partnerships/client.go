// Package partnerships is the network service's client of the partnership service, on the suite's shared
// connection (platform/upstream): every call carries the caller's own token (so the partnership service
// applies the caller's rights: a member never learns of another organisation's partnership through a
// network) and request id, runs under a deadline, and is retried with backoff only when it failed with
// UNAVAILABLE: every method used here only reads.
package partnerships

import (
	"context"
	"time"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
)

// Client reads partnerships.
type Client struct {
	conn        *upstream.Conn
	partnership pb.PartnershipServiceClient
	cooperation pb.CooperationServiceClient
}

// New prepares a client; it connects lazily, so the network service starts while the partnership service
// is down.
func New(s upstream.PartnershipSettings) (*Client, error) {
	conn, err := upstream.DialPartnership(s)
	if err != nil {
		return nil, err
	}
	cc := conn.ClientConn()
	return &Client{conn: conn, partnership: pb.NewPartnershipServiceClient(cc),
		cooperation: pb.NewCooperationServiceClient(cc)}, nil
}

// Close releases the connection.
func (c *Client) Close() error { return c.conn.Close() }

// translate turns the partnership service's answer about partnership id into this service's faults (see
// upstream.Conn.Translate).
func (c *Client) translate(err error, id string) error {
	return c.conn.Translate(err, "partnership", id)
}

// IsUnavailable reports whether err means the partnership service could not answer.
func IsUnavailable(err error) bool { return upstream.IsUnavailable(err) }

// Summary is a partnership as a network shows it.
type Summary struct {
	ID, Title, State                 string
	SwedishOrgID, InternationalOrgID string
	SwedishParty, InternationalParty string
	InternationalCountry             string
	// Cluster is the partnership's cluster as the partnership service works it out (its international
	// party's country on its eligibility date); empty when the country was in none that day.
	Cluster domain.Cluster
}

// Summary reads a partnership and the names of its parties.
func (c *Client) Summary(ctx context.Context, id string) (Summary, error) {
	ctx, cancel := c.conn.Outgoing(ctx)
	defer cancel()
	p, err := c.partnership.GetPartnership(ctx, &pb.GetPartnershipRequest{Id: id})
	if err != nil {
		return Summary{}, c.translate(err, id)
	}
	if p.GetCountryCode() == "" {
		// Every partnership has a country: none means a partnership service from before it said so.
		return Summary{}, c.conn.NotUpgraded("a partnership's country and cluster")
	}
	s := Summary{ID: id, Title: p.GetTitle(), State: enumword.Word(p.GetState()), SwedishOrgID: p.GetSwedishOrganizationId(), InternationalOrgID: p.GetInternationalOrganizationId(),
		InternationalCountry: p.GetCountryCode(), Cluster: domain.Cluster(enumword.Word(p.GetCluster()))}
	sw, err := c.partnership.GetOrganization(ctx, &pb.GetOrganizationRequest{Id: s.SwedishOrgID})
	if err != nil {
		return Summary{}, c.translate(err, id)
	}
	in, err := c.partnership.GetOrganization(ctx, &pb.GetOrganizationRequest{Id: s.InternationalOrgID})
	if err != nil {
		return Summary{}, c.translate(err, id)
	}
	s.SwedishParty, s.InternationalParty = sw.GetDisplayName(), in.GetDisplayName()
	return s, nil
}

// Candidate reads what the membership rules need to know about a partnership: its state, its international
// party's country, its cluster, and when its inception starts.
func (c *Client) Candidate(ctx context.Context, id string) (domain.Candidate, Summary, error) {
	s, err := c.Summary(ctx, id)
	if err != nil {
		return domain.Candidate{}, s, err
	}
	cand := domain.Candidate{PartnershipID: id, Title: s.Title, State: s.State, CountryCode: s.InternationalCountry, CountryCluster: s.Cluster}
	ctx, cancel := c.conn.Outgoing(ctx)
	defer cancel()
	req := &pb.ListApplicationsRequest{PartnershipId: id, PageSize: 500}
	for {
		apps, err := c.cooperation.ListApplications(ctx, req)
		if err != nil {
			return cand, s, c.translate(err, id)
		}
		for _, a := range apps.GetApplications() {
			if a.GetKind() == pb.ApplicationKind_APPLICATION_KIND_INCEPTION && a.GetState() != pb.ApplicationState_APPLICATION_STATE_REJECTED {
				d := a.GetStartDate()
				cand.InceptionStart = domain.Date{Year: int(d.GetYear()), Month: time.Month(d.GetMonth()), Day: int(d.GetDay())}
			}
		}
		if apps.GetNextPageToken() == "" {
			return cand, s, nil
		}
		req.PageToken = apps.GetNextPageToken()
	}
}

// Progress is what the cohort view shows of a partnership beyond its summary; Missing names the parts that
// could not be read.
type Progress struct {
	VisitsThisYear        int
	SteeringGroupBalanced bool
	Missing               []string
}

// visitsIn counts a partnership's visits that start in year, reading every page of its visits (they come by
// first day, so the pages after the year's end are not read).
func (c *Client) visitsIn(ctx context.Context, id string, year int) (int, error) {
	n := 0
	req := &pb.ListVisitsRequest{PartnershipId: id, PageSize: 500}
	for {
		page, err := c.cooperation.ListVisits(ctx, req)
		if err != nil {
			return 0, err
		}
		for _, v := range page.GetVisits() {
			switch y := int(v.GetStartDate().GetYear()); {
			case y == year:
				n++
			case y > year:
				return n, nil
			}
		}
		if page.GetNextPageToken() == "" {
			return n, nil
		}
		req.PageToken = page.GetNextPageToken()
	}
}

// Progress reads a partnership's visits this year and its steering-group balance; a part that fails is
// named in Missing rather than failing the whole answer.
func (c *Client) Progress(ctx context.Context, id string, year int) Progress {
	ctx, cancel := c.conn.Outgoing(ctx)
	defer cancel()
	var p Progress
	if n, err := c.visitsIn(ctx, id, year); err != nil {
		p.Missing = append(p.Missing, domain.PartVisits)
	} else {
		p.VisitsThisYear = n
	}
	if check, err := c.cooperation.CheckSteeringGroup(ctx, &pb.CheckSteeringGroupRequest{PartnershipId: id}); err != nil {
		p.Missing = append(p.Missing, domain.PartSteeringGroup)
	} else {
		p.SteeringGroupBalanced = check.GetPasses()
	}
	return p
}
