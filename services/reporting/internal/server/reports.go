package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"github.com/jackc/pgx/v5"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/services/reporting/internal/store"
)

func scope(ctx context.Context) string { return auth.Caller(ctx).Scope() }

// GetPartnershipReport reads one partnership's report.
func (s *Server) GetPartnershipReport(ctx context.Context, req *pb.GetPartnershipReportRequest) (*pb.PartnershipReport, error) {
	var r *pb.PartnershipReport
	err := store.Snapshot(ctx, s.pool, func(tx pgx.Tx) (err error) {
		r, err = store.PartnershipReport(ctx, tx, req.GetPartnershipId(), scope(ctx))
		return err
	})
	return r, err
}

// ExportPartnershipReport is the partnership report as CSV, one row per budget line and year.
func (s *Server) ExportPartnershipReport(ctx context.Context, req *pb.GetPartnershipReportRequest) (*httpbody.HttpBody, error) {
	r, err := s.GetPartnershipReport(ctx, req)
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"partnership_id", "title", "phase", "budget_id", "line_id", "category", "year", "budgeted_sek", "claimed_sek", "approved_sek", "paid_sek", "as_of"}}
	for _, m := range r.GetMoney() {
		rows = append(rows, []string{r.GetPartnershipId(), r.GetTitle(), enumword.Word(r.GetState()), m.GetBudgetId(), m.GetLineId(), m.GetCategory(),
			itoa(m.GetYear()), kronor(m.GetBudgeted()), kronor(m.GetClaimed()), kronor(m.GetApproved()), kronor(m.GetPaid()), freshness(r.GetAsOfTime())})
	}
	return csvBody(rows)
}

// GetNetworkReport reads one network's cohort.
func (s *Server) GetNetworkReport(ctx context.Context, req *pb.GetNetworkReportRequest) (*pb.NetworkReport, error) {
	var r *pb.NetworkReport
	err := store.Snapshot(ctx, s.pool, func(tx pgx.Tx) (err error) {
		r, err = store.NetworkReport(ctx, tx, req.GetNetworkId(), scope(ctx), s.today().Year)
		return err
	})
	return r, err
}

// ExportNetworkReport is the network report as CSV, one row per member.
func (s *Server) ExportNetworkReport(ctx context.Context, req *pb.GetNetworkReportRequest) (*httpbody.HttpBody, error) {
	r, err := s.GetNetworkReport(ctx, req)
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"network_id", "network", "partnership_id", "title", "phase", "country", "steering_group_balanced", "compliant_this_year", "budgeted_sek", "approved_sek", "paid_sek", "as_of"}}
	for _, c := range r.GetRows() {
		rows = append(rows, []string{r.GetNetworkId(), r.GetDisplayName(), c.GetPartnershipId(), c.GetTitle(), enumword.Word(c.GetState()), c.GetCountryCode(),
			strconv.FormatBool(c.GetSteeringGroupBalanced()), strconv.FormatBool(c.GetCompliantThisYear()), kronor(c.GetBudgeted()),
			kronor(c.GetApproved()), kronor(c.GetPaid()), freshness(r.GetAsOfTime())})
	}
	return csvBody(rows)
}

// GetPortfolioReport reads the portfolio of a year.
func (s *Server) GetPortfolioReport(ctx context.Context, req *pb.GetPortfolioReportRequest) (*pb.PortfolioReport, error) {
	var r *pb.PortfolioReport
	err := store.Snapshot(ctx, s.pool, func(tx pgx.Tx) (err error) {
		r, err = store.PortfolioReport(ctx, tx, scope(ctx), int(req.GetYear()))
		return err
	})
	return r, err
}

// ExportPortfolioReport is the portfolio as CSV, one row per country, cluster and theme.
func (s *Server) ExportPortfolioReport(ctx context.Context, req *pb.GetPortfolioReportRequest) (*httpbody.HttpBody, error) {
	r, err := s.GetPortfolioReport(ctx, req)
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"year", "country", "cluster", "theme", "partnerships_by_phase", "budgeted_sek", "approved_sek", "paid_sek", "compliance_percent", "sdg_targets", "as_of"}}
	for _, p := range r.GetRows() {
		var phases []string
		for _, ph := range p.GetPhases() {
			phases = append(phases, enumword.Word(ph.GetState())+"="+itoa(ph.GetPartnerships()))
		}
		rows = append(rows, []string{itoa(r.GetYear()), p.GetCountryCode(), enumword.Word(p.GetCluster()), p.GetTheme(), strings.Join(phases, " "),
			kronor(p.GetBudgeted()), kronor(p.GetApproved()), kronor(p.GetPaid()), itoa(p.GetCompliancePercent()),
			strings.Join(p.GetSdgTargets(), " "), freshness(r.GetAsOfTime())})
	}
	return csvBody(rows)
}

// GetComplianceReport lists the partnerships that lag in a year.
func (s *Server) GetComplianceReport(ctx context.Context, req *pb.GetComplianceReportRequest) (*pb.ComplianceReport, error) {
	var r *pb.ComplianceReport
	err := store.Snapshot(ctx, s.pool, func(tx pgx.Tx) (err error) {
		r, err = store.ComplianceReport(ctx, tx, scope(ctx), int(req.GetYear()), s.opts.ClaimWaitDays)
		return err
	})
	return r, err
}

// ExportComplianceReport is the compliance report as CSV.
func (s *Server) ExportComplianceReport(ctx context.Context, req *pb.GetComplianceReportRequest) (*httpbody.HttpBody, error) {
	r, err := s.GetComplianceReport(ctx, req)
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"year", "partnership_id", "title", "meetings", "missing_meetings", "unbalanced_steering_group", "claims_waiting", "oldest_claim_wait_days", "as_of"}}
	for _, c := range r.GetRows() {
		rows = append(rows, []string{itoa(r.GetYear()), c.GetPartnershipId(), c.GetTitle(), itoa(c.GetMeetings()),
			strconv.FormatBool(c.GetMissingMeetings()), strconv.FormatBool(c.GetUnbalancedSteeringGroup()), itoa(c.GetClaimsWaiting()),
			itoa(c.GetOldestClaimWaitDays()), freshness(r.GetAsOfTime())})
	}
	return csvBody(rows)
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// kronor writes öre as kronor with two decimals and a point, as spreadsheets read it: 1234.50.
func kronor(m *typepb.Money) string {
	n := m.GetAmountMinor()
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + strconv.FormatInt(n/100, 10) + "." + strconv.FormatInt(100+n%100, 10)[1:]
}

// freshness writes a report's freshness in RFC 3339; empty before any event.
func freshness(t *timestamppb.Timestamp) string {
	if t == nil {
		return ""
	}
	return t.AsTime().UTC().Format(time.RFC3339Nano)
}

func csvBody(rows [][]string) (*httpbody.HttpBody, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return &httpbody.HttpBody{ContentType: "text/csv; charset=utf-8", Data: buf.Bytes()}, nil
}
