// Package finance is the partnership service's client of the finance service: it reads the financial part of a
// partnership's report, with the caller's own token, so the finance service applies its own scope.
package finance

import (
	"context"

	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/upstream"
)

// Client reads from the finance service.
type Client struct {
	conn    *upstream.Conn
	finance financepb.FinanceServiceClient
}

// New prepares a client over conn.
func New(conn *upstream.Conn) *Client {
	return &Client{conn: conn, finance: financepb.NewFinanceServiceClient(conn.ClientConn())}
}

// Report reads an application's money per budget line of year (0: every year).
func (c *Client) Report(ctx context.Context, partnershipID, applicationID string, year int) (*financepb.FinancialReport, error) {
	ctx, cancel := c.conn.Outgoing(ctx)
	defer cancel()
	r, err := c.finance.GetFinancialReport(ctx, &financepb.GetFinancialReportRequest{PartnershipId: partnershipID,
		ApplicationId: applicationID, Year: int32(year)})
	if err != nil {
		return nil, c.conn.Translate(err, "application", applicationID)
	}
	return r, nil
}
