package server

import (
	"context"
	"errors"
	"slices"
	"testing"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/migrations"
)

func as(role auth.Role, org string) context.Context {
	return auth.WithPrincipal(context.Background(), auth.Principal{Subject: "test-" + string(role), Role: role, Org: org})
}

// Organisations and networks of the fixture; the network ids sort n1 < n2 < n3 < n4.
const (
	orgA = "0190c5a2-0000-7000-8000-00000000000a"
	orgB = "0190c5a2-0000-7000-8000-00000000000b"
	orgY = "0190c5a2-0000-7000-8000-0000000000ff"
	n1   = "0190c5a2-0000-7000-8000-000000000001"
	n2   = "0190c5a2-0000-7000-8000-000000000002"
	n3   = "0190c5a2-0000-7000-8000-000000000003"
	n4   = "0190c5a2-0000-7000-8000-000000000004"
)

// newServer is a server on a fresh database holding four networks, inserted out of id order: orgA has a
// partnership in n1 and two in n3 (once as each party), orgB one in n2, and nobody is in n4.
func newServer(t *testing.T) *Server {
	t.Helper()
	pool := pgtest.NewPool(t, migrations.FS)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO networks (id, display_name, theme, create_time, update_time, creator) VALUES
		($4, 'Climate, Southern Africa', 'climate action', now(), now(), 'seed'),
		($1, 'Health, East Africa', 'equitable health', now(), now(), 'seed'),
		($3, 'Rights, Balkans', 'human rights', now(), now(), 'seed'),
		($2, 'Democracy, Asia', 'democracy', now(), now(), 'seed')`, n1, n2, n3, n4); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO network_memberships (network_id, partnership_id, swedish_organization_id,
		international_organization_id) VALUES ($1, gen_random_uuid(), $4, $6), ($2, gen_random_uuid(), $5, $6),
		($3, gen_random_uuid(), $4, $6), ($3, gen_random_uuid(), $5, $4)`, n1, n2, n3, orgA, orgB, orgY); err != nil {
		t.Fatal(err)
	}
	return New(pool, nil, domain.DefaultMembershipRule())
}

// all pages through the caller's networks two at a time and returns their ids in the order served.
func all(t *testing.T, srv *Server, ctx context.Context) []string {
	t.Helper()
	var ids []string
	req := &pb.ListNetworksRequest{PageSize: 2}
	for {
		resp, err := srv.ListNetworks(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range resp.GetNetworks() {
			ids = append(ids, n.GetId())
		}
		if resp.GetNextPageToken() == "" {
			return ids
		}
		req.PageToken = resp.GetNextPageToken()
	}
}

func TestListNetworksScopesAndPages(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"admin sees all", as(auth.RoleAdmin, ""), []string{n1, n2, n3, n4}},
		{"auditor sees all", as(auth.RoleAuditor, ""), []string{n1, n2, n3, n4}},
		{"member sees its networks once each", as(auth.RoleMember, orgA), []string{n1, n3}},
		{"partner sees its networks", as(auth.RolePartner, orgY), []string{n1, n2, n3}},
		{"member of another organisation", as(auth.RoleMember, orgB), []string{n2, n3}},
		{"organisation with no partnership", as(auth.RoleMember, "0190c5a2-0000-7000-8000-0000000000ee"), nil},
		{"organisation that is not an id", as(auth.RolePartner, "lusaka"), nil},
		{"no principal", context.Background(), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := all(t, srv, tc.ctx); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestListNetworksMapsFields(t *testing.T) {
	resp, err := newServer(t).ListNetworks(as(auth.RoleCoordinator, ""), &pb.ListNetworksRequest{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	n := resp.GetNetworks()[0]
	if n.GetDisplayName() != "Health, East Africa" || n.GetTheme() != "equitable health" || n.GetCreator() != "seed" || n.GetCreateTime() == nil {
		t.Fatalf("unexpected network %v", n)
	}
}

func TestListNetworksRefusesForeignPageTokens(t *testing.T) {
	srv := newServer(t)
	first, err := srv.ListNetworks(as(auth.RoleAdmin, ""), &pb.ListNetworksRequest{PageSize: 2})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	for name, req := range map[string]struct {
		ctx   context.Context
		token string
	}{
		"admin's token replayed by a member": {as(auth.RoleMember, orgA), first.GetNextPageToken()},
		"garbage":                            {as(auth.RoleAdmin, ""), "garbage"},
	} {
		var invalid *fault.Invalid
		if _, err := srv.ListNetworks(req.ctx, &pb.ListNetworksRequest{PageToken: req.token}); !errors.As(err, &invalid) {
			t.Errorf("%s: want *fault.Invalid, got %v", name, err)
		}
	}
}
