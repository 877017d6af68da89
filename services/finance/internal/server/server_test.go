package server

import (
	"context"
	"errors"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/finance/migrations"
)

func as(role auth.Role, org string) context.Context {
	return auth.WithPrincipal(context.Background(), auth.Principal{Subject: "test-" + string(role), Role: role, Org: org})
}

// Organisations and budgets of the fixture; the budget ids sort b1 < b2 < b3 < b4.
const (
	malmo  = "0190c5a2-0000-7000-8000-00000000000a"
	umea   = "0190c5a2-0000-7000-8000-00000000000b"
	lusaka = "0190c5a2-0000-7000-8000-0000000000ff"
	b1     = "0190c5a2-0000-7000-8000-000000000001"
	b2     = "0190c5a2-0000-7000-8000-000000000002"
	b3     = "0190c5a2-0000-7000-8000-000000000003"
	b4     = "0190c5a2-0000-7000-8000-000000000004"
)

// newServer is a server on a fresh database holding four budgets, inserted out of id order: Malmö–Lusaka
// (b1, b3), Umeå–Lusaka (b2) and Umeå with a third party (b4). b4 leaves out its currency to get the default.
func newServer(t *testing.T) *Server {
	t.Helper()
	pool := pgtest.NewPool(t, migrations.FS)
	_, err := pool.Exec(context.Background(), `INSERT INTO budgets (id, partnership_id, swedish_organization_id,
		international_organization_id, state, total_minor, currency_code, create_time, update_time, creator) VALUES
		($3, gen_random_uuid(), $4, $6, 'approved', 150000000, 'SEK', now(), now(), 'seed'),
		($1, gen_random_uuid(), $4, $6, 'draft', 12345600, 'SEK', now(), now(), 'seed'),
		($2, gen_random_uuid(), $5, $6, 'submitted', 500, 'EUR', now(), now(), 'seed')`, b1, b2, b3, malmo, umea, lusaka)
	if err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(context.Background(), `INSERT INTO budgets (id, partnership_id, swedish_organization_id,
		international_organization_id, state, total_minor, create_time, update_time, creator)
		VALUES ($1, gen_random_uuid(), $2, gen_random_uuid(), 'closed', 0, now(), now(), 'seed')`, b4, umea)
	if err != nil {
		t.Fatal(err)
	}
	return New(pool)
}

// all pages through the caller's budgets two at a time and returns them in the order served.
func all(t *testing.T, srv *Server, ctx context.Context) []*pb.Budget {
	t.Helper()
	var out []*pb.Budget
	req := &pb.ListBudgetsRequest{PageSize: 2}
	for {
		resp, err := srv.ListBudgets(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, resp.GetBudgets()...)
		if resp.GetNextPageToken() == "" {
			return out
		}
		req.PageToken = resp.GetNextPageToken()
	}
}

func ids(budgets []*pb.Budget) []string {
	out := make([]string, 0, len(budgets))
	for _, b := range budgets {
		out = append(out, b.GetId())
	}
	return out
}

func TestListBudgetsScopesAndPages(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"admin sees all", as(auth.RoleAdmin, ""), []string{b1, b2, b3, b4}},
		{"coordinator sees all", as(auth.RoleCoordinator, ""), []string{b1, b2, b3, b4}},
		{"member sees its own", as(auth.RoleMember, malmo), []string{b1, b3}},
		{"partner sees its own", as(auth.RolePartner, lusaka), []string{b1, b2, b3}},
		{"another member", as(auth.RoleMember, umea), []string{b2, b4}},
		{"organisation with no budget", as(auth.RoleMember, "0190c5a2-0000-7000-8000-0000000000ee"), []string{}},
		{"organisation that is not an id", as(auth.RolePartner, "lusaka"), []string{}},
		{"no principal", context.Background(), []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(all(t, srv, tc.ctx)); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestListBudgetsMapsStateAndMoney(t *testing.T) {
	budgets := all(t, newServer(t), as(auth.RoleAuditor, ""))
	for i, want := range []struct {
		state pb.BudgetState
		total *typepb.Money
	}{
		{pb.BudgetState_BUDGET_STATE_DRAFT, &typepb.Money{CurrencyCode: "SEK", AmountMinor: 12345600}},
		{pb.BudgetState_BUDGET_STATE_SUBMITTED, &typepb.Money{CurrencyCode: "EUR", AmountMinor: 500}},
		{pb.BudgetState_BUDGET_STATE_APPROVED, &typepb.Money{CurrencyCode: "SEK", AmountMinor: 150000000}},
		{pb.BudgetState_BUDGET_STATE_CLOSED, &typepb.Money{CurrencyCode: "SEK", AmountMinor: 0}},
	} {
		b := budgets[i]
		if b.GetState() != want.state || !proto.Equal(b.GetTotal(), want.total) || b.GetCreator() != "seed" || b.GetPartnershipId() == "" {
			t.Errorf("budget %d: got %v, want state %v total %v", i, b, want.state, want.total)
		}
	}
}

func TestListBudgetsRefusesForeignPageTokens(t *testing.T) {
	srv := newServer(t)
	first, err := srv.ListBudgets(as(auth.RoleAdmin, ""), &pb.ListBudgetsRequest{PageSize: 2})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	for name, req := range map[string]struct {
		ctx   context.Context
		token string
	}{
		"admin's token replayed by a member": {as(auth.RoleMember, malmo), first.GetNextPageToken()},
		"garbage":                            {as(auth.RoleAdmin, ""), "garbage"},
	} {
		var invalid *fault.Invalid
		if _, err := srv.ListBudgets(req.ctx, &pb.ListBudgetsRequest{PageToken: req.token}); !errors.As(err, &invalid) {
			t.Errorf("%s: want *fault.Invalid, got %v", name, err)
		}
	}
}
