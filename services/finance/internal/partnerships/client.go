// Package partnerships is the finance service's reader of applications in the partnership service. Calls carry
// the caller's own token, so a member never learns through finance of an application it may not see; reads are
// retried while the partnership service is unavailable (platform/upstream).
package partnerships

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
)

// Client reads applications.
type Client struct {
	conn        *upstream.Conn
	partnership pb.PartnershipServiceClient
	programme   pb.ProgrammeServiceClient
	cooperation pb.CooperationServiceClient
}

// New prepares a client over conn.
func New(conn *upstream.Conn) *Client {
	cc := conn.ClientConn()
	return &Client{conn: conn, partnership: pb.NewPartnershipServiceClient(cc), programme: pb.NewProgrammeServiceClient(cc),
		cooperation: pb.NewCooperationServiceClient(cc)}
}

// Application reads what a budget needs of an application: its kind, status and dates, the partnership's
// parties, and the cap cluster of the international party's country on the application's first day.
func (c *Client) Application(ctx context.Context, partnershipID, applicationID string) (domain.Application, error) {
	ctx, cancel := c.conn.Outgoing(ctx)
	defer cancel()
	p, err := c.partnership.GetPartnership(ctx, &pb.GetPartnershipRequest{Id: partnershipID})
	if err != nil {
		return domain.Application{}, c.conn.Translate(err, "partnership", partnershipID)
	}
	apps, err := c.cooperation.ListApplications(ctx, &pb.ListApplicationsRequest{PartnershipId: partnershipID})
	if err != nil {
		return domain.Application{}, c.conn.Translate(err, "partnership", partnershipID)
	}
	var app *pb.Application
	for _, a := range apps.GetApplications() {
		if a.GetId() == applicationID {
			app = a
		}
	}
	if app == nil {
		return domain.Application{}, &fault.NotFound{Kind: "application", ID: applicationID}
	}
	out := domain.Application{ID: applicationID, PartnershipID: partnershipID, Kind: enumword.Word(app.GetKind()),
		Status: enumword.Word(app.GetStatus()), Start: dateOf(app.GetStartDate()), End: dateOf(app.GetEndDate()),
		Parties: 2, SwedishOrgID: p.GetSwedishOrganizationId(), InternationalOrgID: p.GetInternationalOrganizationId()}
	if p.GetThirdOrganizationId() != "" {
		out.Parties = 3
	}
	org, err := c.partnership.GetOrganization(ctx, &pb.GetOrganizationRequest{Id: out.InternationalOrgID})
	if err != nil {
		return domain.Application{}, c.conn.Translate(err, "organization", out.InternationalOrgID)
	}
	countries, err := c.programme.ListCountries(ctx, &pb.ListCountriesRequest{AllVersions: true})
	if err != nil {
		return domain.Application{}, c.conn.Translate(err, "partnership", partnershipID)
	}
	code := org.GetInternational().GetCountryCode()
	var cluster pb.Cluster
	for _, country := range countries.GetCountries() {
		if country.GetCountryCode() != code {
			continue
		}
		from, to := dateOf(country.GetValidFrom()), dateOf(country.GetValidTo())
		onStart := !out.Start.Before(from) && (to.IsZero() || !to.Before(out.Start))
		if onStart || cluster == pb.Cluster_CLUSTER_UNSPECIFIED {
			cluster = country.GetCluster() // the version valid on the first day wins; else any version
		}
	}
	var ok bool
	if out.Cluster, ok = CapCluster(cluster); !ok {
		msg := fmt.Sprintf("the partnership service knows no cluster of %q, the international party's country, so no cap applies", code)
		return domain.Application{}, &fault.FailedPrecondition{Reason: "NO_CLUSTER", Message: msg,
			Violations: []fault.PreconditionViolation{{Type: "NO_CLUSTER", Subject: "countries/" + code, Description: msg}}}
	}
	return out, nil
}

// OrganizationName returns an organisation's display name.
func (c *Client) OrganizationName(ctx context.Context, id string) (string, error) {
	ctx, cancel := c.conn.Outgoing(ctx)
	defer cancel()
	org, err := c.partnership.GetOrganization(ctx, &pb.GetOrganizationRequest{Id: id})
	if err != nil {
		return "", c.conn.Translate(err, "organization", id)
	}
	return org.GetDisplayName(), nil
}

// CapCluster maps the partnership service's regional clusters onto the two cap clusters of the money rules,
// and reports false for a cluster it does not know, which must never fall into one by default.
func CapCluster(c pb.Cluster) (domain.Cluster, bool) {
	switch c {
	case pb.Cluster_CLUSTER_EUROPE:
		return domain.ClusterEurope, true
	case pb.Cluster_CLUSTER_LATIN_AMERICA, pb.Cluster_CLUSTER_EAST_AFRICA, pb.Cluster_CLUSTER_SOUTHERN_AFRICA, pb.Cluster_CLUSTER_ASIA:
		return domain.ClusterAfricaAsiaLatinAmerica, true
	}
	return "", false
}

func dateOf(d *date.Date) domain.Date {
	if d == nil {
		return domain.Date{}
	}
	return civil.Date{Year: int(d.GetYear()), Month: time.Month(d.GetMonth()), Day: int(d.GetDay())} // stored by the partnership service, so on the calendar
}
