package server

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/reporting/migrations"
)

func as(role auth.Role, org string) context.Context {
	return auth.WithPrincipal(context.Background(), auth.Principal{Subject: "test-" + string(role), Role: role, Org: org})
}

// Organisations and partnerships of the fixture; the partnership ids sort p1 < p2 < p3 < p4.
const (
	malmo   = "0190c5a2-0000-7000-8000-00000000000a"
	umea    = "0190c5a2-0000-7000-8000-00000000000b"
	lusaka  = "0190c5a2-0000-7000-8000-0000000000ff"
	kampala = "0190c5a2-0000-7000-8000-0000000000fe"
	p1      = "0190c5a2-0000-7000-8000-000000000001"
	p2      = "0190c5a2-0000-7000-8000-000000000002"
	p3      = "0190c5a2-0000-7000-8000-000000000003"
	p4      = "0190c5a2-0000-7000-8000-000000000004"
)

// asOf is the freshness of every fixture line, at PostgreSQL's microsecond precision.
var asOf = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newServer is a server on a fresh database holding four summary lines, inserted out of id order:
// Malmö–Lusaka (p1, p3), Umeå–Lusaka (p2) and Umeå–Kampala (p4).
func newServer(t *testing.T) *Server {
	t.Helper()
	pool := pgtest.NewPool(t, migrations.FS)
	_, err := pool.Exec(context.Background(), `INSERT INTO partnership_summaries (partnership_id, title, state,
		swedish_organization_id, international_organization_id, as_of_time) VALUES
		($4, 'Water', 'submitted', $6, $8, $9), ($2, 'Schools', 'draft', $6, $7, $9),
		($1, 'Youth', 'active', $5, $7, $9), ($3, 'Waste', 'completed', $5, $7, $9)`,
		p1, p2, p3, p4, malmo, umea, lusaka, kampala, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return New(pool, Options{ClaimWaitDays: 30})
}

// all pages through the caller's summaries two at a time and returns them in the order served.
func all(t *testing.T, srv *Server, ctx context.Context) []*pb.PartnershipSummary {
	t.Helper()
	var out []*pb.PartnershipSummary
	req := &pb.ListPartnershipSummariesRequest{PageSize: 2}
	for {
		resp, err := srv.ListPartnershipSummaries(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, resp.GetSummaries()...)
		if resp.GetNextPageToken() == "" {
			return out
		}
		req.PageToken = resp.GetNextPageToken()
	}
}

func TestListPartnershipSummariesScopesAndPages(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"admin sees all", as(auth.RoleAdmin, ""), []string{p1, p2, p3, p4}},
		{"auditor sees all", as(auth.RoleAuditor, ""), []string{p1, p2, p3, p4}},
		{"member sees its own", as(auth.RoleMember, malmo), []string{p1, p3}},
		{"partner sees its own", as(auth.RolePartner, lusaka), []string{p1, p2, p3}},
		{"another partner", as(auth.RolePartner, kampala), []string{p4}},
		{"organisation that is not an id", as(auth.RoleMember, "malmo"), nil},
		{"no principal", context.Background(), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range all(t, srv, tc.ctx) {
				got = append(got, s.GetPartnershipId())
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestListPartnershipSummariesMapsFields(t *testing.T) {
	s := all(t, newServer(t), as(auth.RoleMember, umea))[0]
	if s.GetPartnershipId() != p2 || s.GetTitle() != "Schools" || s.GetState() != partnershippb.PartnershipState_PARTNERSHIP_STATE_DRAFT || !s.GetAsOfTime().AsTime().Equal(asOf) {
		t.Fatalf("unexpected summary %v", s)
	}
}

func TestListPartnershipSummariesRefusesForeignPageTokens(t *testing.T) {
	srv := newServer(t)
	first, err := srv.ListPartnershipSummaries(as(auth.RoleMember, umea), &pb.ListPartnershipSummariesRequest{PageSize: 1})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	for name, req := range map[string]struct {
		ctx   context.Context
		token string
	}{
		"a member's token replayed by another organisation": {as(auth.RolePartner, lusaka), first.GetNextPageToken()},
		"a member's token replayed by an admin":             {as(auth.RoleAdmin, ""), first.GetNextPageToken()},
		"garbage":                                           {as(auth.RoleMember, umea), "garbage"},
	} {
		var invalid *fault.Invalid
		if _, err := srv.ListPartnershipSummaries(req.ctx, &pb.ListPartnershipSummariesRequest{PageToken: req.token}); !errors.As(err, &invalid) {
			t.Errorf("%s: want *fault.Invalid, got %v", name, err)
		}
	}
}
