// Package partnerships is the finance service's reader of applications in the partnership service. Calls carry
// the caller's own token, so a member never learns through finance of an application it may not see; reads are
// retried while the partnership service is unavailable (platform/upstream).
package partnerships

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/grpc/status"

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
	cooperation pb.CooperationServiceClient
	documents   pb.DocumentServiceClient
}

// New prepares a client over conn.
func New(conn *upstream.Conn) *Client {
	cc := conn.ClientConn()
	return &Client{conn: conn, partnership: pb.NewPartnershipServiceClient(cc),
		cooperation: pb.NewCooperationServiceClient(cc), documents: pb.NewDocumentServiceClient(cc)}
}

// Application reads what a budget needs of an application: its kind, status and dates, the partnership's
// parties, and the cost zone of the partnership's cluster.
func (c *Client) Application(ctx context.Context, partnershipID, applicationID string) (domain.Application, error) {
	ctx, cancel := c.conn.Outgoing(ctx)
	defer cancel()
	p, err := c.partnership.GetPartnership(ctx, &pb.GetPartnershipRequest{Id: partnershipID})
	if err != nil {
		return domain.Application{}, c.conn.Translate(err, "partnership", partnershipID)
	}
	app, err := c.cooperation.GetApplication(ctx, &pb.GetApplicationRequest{PartnershipId: partnershipID, Id: applicationID})
	if err != nil {
		return domain.Application{}, c.conn.Translate(err, "application", applicationID)
	}
	out := domain.Application{ID: applicationID, PartnershipID: partnershipID, Kind: enumword.Word(app.GetKind()),
		Status: enumword.Word(app.GetState()), Start: dateOf(app.GetStartDate()), End: dateOf(app.GetEndDate()),
		Parties: 2, SwedishOrgID: p.GetSwedishOrganizationId(), InternationalOrgID: p.GetInternationalOrganizationId()}
	if p.GetThirdOrganizationId() != "" {
		out.Parties = 3
	}
	// The partnership service owns a partnership's cluster (that of its international party's country on its
	// eligibility date); the cost zone follows from it. Every partnership has a country, so none means a
	// partnership service from before it said so.
	if p.GetCountryCode() == "" {
		return domain.Application{}, c.conn.NotUpgraded("a partnership's country and cluster")
	}
	var ok bool
	if out.CostZone, ok = domain.CostZoneOf(enumword.Word(p.GetCluster())); !ok {
		msg := fmt.Sprintf("the partnership service reports no cluster for partnership %s (its international party's country %q), so no cap applies",
			partnershipID, p.GetCountryCode())
		return domain.Application{}, &fault.FailedPrecondition{Reason: "NO_CLUSTER", Message: msg,
			Violations: []fault.PreconditionViolation{{Type: "NO_CLUSTER", Subject: "partnerships/" + partnershipID, Description: msg}}}
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

// Report reads what finance needs of a partnership's report: its application, kind, year and status.
func (c *Client) Report(ctx context.Context, partnershipID, reportID string) (domain.Report, error) {
	ctx, cancel := c.conn.Outgoing(ctx)
	defer cancel()
	// The list, not GetReport: GetReport reads its financial part from this service, which must not be asked
	// back while it waits for the answer.
	req := &pb.ListReportsRequest{PartnershipId: partnershipID, PageSize: 500}
	for {
		page, err := c.cooperation.ListReports(ctx, req)
		if err != nil {
			return domain.Report{}, c.conn.Translate(err, "report", reportID)
		}
		for _, r := range page.GetReports() {
			if r.GetId() == reportID {
				return domain.Report{ID: r.GetId(), ApplicationID: r.GetApplicationId(), Kind: enumword.Word(r.GetKind()), Year: int(r.GetYear()),
					Status: enumword.Word(r.GetState())}, nil
			}
		}
		if page.GetNextPageToken() == "" {
			return domain.Report{}, &fault.NotFound{Kind: "report", ID: reportID}
		}
		req.PageToken = page.GetNextPageToken()
	}
}

// Documents reads the records of stored files, in the order of ids (each named once, at most 500): all of
// them, or a NotFound naming the first one the caller may not see.
func (c *Client) Documents(ctx context.Context, ids []string) ([]domain.Document, error) {
	ctx, cancel := c.conn.Outgoing(ctx)
	defer cancel()
	resp, err := c.documents.BatchGetDocuments(ctx, &pb.BatchGetDocumentsRequest{Ids: ids})
	if err != nil {
		return nil, c.conn.Translate(err, "document", missingID(err, ids))
	}
	if len(resp.GetDocuments()) != len(ids) {
		return nil, fmt.Errorf("partnership service: %d documents for %d ids", len(resp.GetDocuments()), len(ids))
	}
	out := make([]domain.Document, len(ids))
	for i, d := range resp.GetDocuments() {
		out[i] = domain.Document{ID: d.GetId(), PartnershipID: d.GetPartnershipId(), SHA256: d.GetSha256(), Size: d.GetSize(),
			Kind: enumword.Word(d.GetKind()), Erased: d.GetErased()}
	}
	return out, nil
}

// missingID is the id a NOT_FOUND of a batch names (its ErrorInfo's "id"), or the first of ids.
func missingID(err error, ids []string) string {
	for _, d := range status.Convert(err).Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetMetadata()["id"] != "" {
			return info.GetMetadata()["id"]
		}
	}
	return ids[0]
}

func dateOf(d *date.Date) domain.Date {
	if d == nil {
		return domain.Date{}
	}
	return civil.Date{Year: int(d.GetYear()), Month: time.Month(d.GetMonth()), Day: int(d.GetDay())} // stored by the partnership service, so on the calendar
}
