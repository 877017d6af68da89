package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/types/known/timestamppb"

	networkpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
)

// Row is what a read needs beyond Query.
type Row interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// DB is a pool or a transaction.
type DB interface {
	Querier
	Row
}

func sek(minor int64) *typepb.Money { return &typepb.Money{CurrencyCode: "SEK", AmountMinor: minor} }

func dateOf(t *time.Time) *civil.Date {
	if t == nil {
		return nil
	}
	d := civil.DateFromTime(*t)
	return &d
}

// Snapshot runs fn in a read-only transaction that sees one moment of the read models: a report's figures
// and its freshness agree, and the IATI export's three queries see the same applications.
func Snapshot(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// AsOf is the commit time of the newest event the read models reflect, across every producer.
func AsOf(ctx context.Context, q Row) (*timestamppb.Timestamp, error) {
	var t *time.Time
	if err := q.QueryRow(ctx, `SELECT max(event_time) FROM consumer_cursors`).Scan(&t); err != nil {
		return nil, fmt.Errorf("freshness: %w", err)
	}
	if t == nil {
		return nil, nil
	}
	return timestamppb.New(*t), nil
}

// visibleTo is the SQL condition of a member's or partner's scope ($1) on the partnership row p.
const visibleTo = `($1 = '' OR p.swedish_organization_id = NULLIF($1, '')::uuid OR p.international_organization_id = NULLIF($1, '')::uuid)`

// moneyByLine sums, per budget line and year, what approved budgets hold and what claims asked, got approved
// and were paid. Drafts are not claimed yet; rejected claims count as claimed with nothing approved.
const moneyByLine = `
	WITH lines AS (
		SELECT bl.budget_id, bl.line_id, bl.category, bl.year, bl.amount_minor
		FROM budget_lines bl JOIN budgets b ON b.id = bl.budget_id
		WHERE b.partnership_id = $1 AND b.approved_revision > 0
	), claimed AS (
		SELECT c.budget_id, cl.budget_line_id AS line_id, cl.year,
			sum(cl.sek_minor) AS claimed,
			sum(COALESCE(cl.approved_minor, 0)) AS approved,
			sum(CASE WHEN c.state = 'paid' THEN COALESCE(cl.approved_minor, 0) ELSE 0 END) AS paid
		FROM claims c JOIN claim_lines cl ON cl.claim_id = c.id
		WHERE c.partnership_id = $1 AND c.state <> 'draft'
		GROUP BY c.budget_id, cl.budget_line_id, cl.year
	)
	SELECT COALESCE(l.budget_id, c.budget_id), COALESCE(l.line_id, c.line_id), COALESCE(l.category, ''),
		COALESCE(l.year, c.year), COALESCE(l.amount_minor, 0)::bigint, COALESCE(c.claimed, 0)::bigint,
		COALESCE(c.approved, 0)::bigint, COALESCE(c.paid, 0)::bigint
	FROM lines l FULL JOIN claimed c ON c.budget_id = l.budget_id AND c.line_id = l.line_id AND c.year = l.year
	ORDER BY 1, 4, 2`

// PartnershipReport reads one partnership the scope may see.
func PartnershipReport(ctx context.Context, q DB, id, scope string) (*pb.PartnershipReport, error) {
	r := &pb.PartnershipReport{PartnershipId: id, SwedishParty: &pb.Party{}, InternationalParty: &pb.Party{}}
	var state, cluster string
	err := q.QueryRow(ctx, `SELECT p.title, p.state, p.cluster, p.swedish_organization_id, COALESCE(so.display_name, ''),
			p.international_organization_id, COALESCE(io.display_name, ''), p.country_code
		FROM partnership_summaries p
		LEFT JOIN organizations so ON so.id = p.swedish_organization_id
		LEFT JOIN organizations io ON io.id = p.international_organization_id
		WHERE `+visibleTo+` AND p.partnership_id = $2`, scope, id).Scan(&r.Title, &state, &cluster,
		&r.SwedishParty.OrganizationId, &r.SwedishParty.DisplayName, &r.InternationalParty.OrganizationId,
		&r.InternationalParty.DisplayName, &r.InternationalParty.CountryCode)
	if err == pgx.ErrNoRows {
		return nil, &fault.NotFound{Kind: "partnership", ID: id}
	} else if err != nil {
		return nil, fmt.Errorf("partnership report: %w", err)
	}
	r.SwedishParty.CountryCode = "SE"
	r.State, r.Cluster = enumword.Of[partnershippb.PartnershipState](state), enumword.Of[typepb.Cluster](cluster)
	rows, err := q.Query(ctx, `SELECT id, kind, status, start_date, end_date FROM applications
		WHERE partnership_id = $1 ORDER BY start_date NULLS LAST, id`, id)
	if err != nil {
		return nil, fmt.Errorf("applications: %w", err)
	}
	r.Applications, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*pb.ApplicationLine, error) {
		a := &pb.ApplicationLine{}
		var state string
		var start, end *time.Time
		err := row.Scan(&a.ApplicationId, &a.Kind, &state, &start, &end)
		a.State = enumword.Of[partnershippb.ApplicationState](state)
		if d := dateOf(start); d != nil {
			a.StartDate = civil.ToProto(*d)
		}
		if d := dateOf(end); d != nil {
			a.EndDate = civil.ToProto(*d)
		}
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("applications: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT year, meetings, visits, compliant, steering_group_balanced FROM compliance
		WHERE partnership_id = $1 ORDER BY year`, id)
	if err != nil {
		return nil, fmt.Errorf("compliance: %w", err)
	}
	r.Compliance, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*pb.ComplianceYear, error) {
		c := &pb.ComplianceYear{}
		var balanced bool
		err := row.Scan(&c.Year, &c.Meetings, &c.Visits, &c.Compliant, &balanced)
		r.SteeringGroupBalanced = balanced // the newest year's, since rows come in year order
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("compliance: %w", err)
	}
	rows, err = q.Query(ctx, moneyByLine, id)
	if err != nil {
		return nil, fmt.Errorf("money: %w", err)
	}
	r.Money, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*pb.MoneyLine, error) {
		m := &pb.MoneyLine{}
		var budgeted, claimed, approved, paid int64
		err := row.Scan(&m.BudgetId, &m.LineId, &m.Category, &m.Year, &budgeted, &claimed, &approved, &paid)
		m.Budgeted, m.Claimed, m.Approved, m.Paid = sek(budgeted), sek(claimed), sek(approved), sek(paid)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("money: %w", err)
	}
	var value int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(sum(hours), 0), COALESCE(sum(value_minor), 0)::bigint FROM in_kind WHERE partnership_id = $1`, id).
		Scan(&r.InKindHours, &value); err != nil {
		return nil, fmt.Errorf("in-kind: %w", err)
	}
	r.InKindValue = sek(value)
	apps := make([]string, len(r.Applications))
	for i, a := range r.Applications {
		apps[i] = a.GetApplicationId()
	}
	frameworks, err := Frameworks(ctx, q, apps)
	if err != nil {
		return nil, err
	}
	r.Indicators = indicatorLines(apps, frameworks)
	if r.Reports, err = reportLines(ctx, q, id); err != nil {
		return nil, err
	}
	r.AsOfTime, err = AsOf(ctx, q)
	return r, err
}

// totals is a CTE of what each partnership has in approved budgets, approved claims and paid claims, for
// the year in parameter $2 (0 for every year). Costs count in the year they were incurred.
const totals = `
	budget_totals AS (
		SELECT b.partnership_id, sum(bl.amount_minor)::bigint AS budgeted
		FROM budgets b JOIN budget_lines bl ON bl.budget_id = b.id
		WHERE b.approved_revision > 0 AND ($2 = 0 OR bl.year = $2)
		GROUP BY b.partnership_id
	), claim_totals AS (
		SELECT c.partnership_id, sum(COALESCE(cl.approved_minor, 0))::bigint AS approved,
			sum(CASE WHEN c.state = 'paid' THEN COALESCE(cl.approved_minor, 0) ELSE 0 END)::bigint AS paid
		FROM claims c JOIN claim_lines cl ON cl.claim_id = c.id
		WHERE ($2 = 0 OR cl.year = $2)
		GROUP BY c.partnership_id
	)`

// NetworkReport reads a network with the member partnerships the scope may see; a member or partner who
// may see none of them gets NOT_FOUND, as for a network that does not exist. compliantYear is the year whose
// compliance the rows show.
func NetworkReport(ctx context.Context, q DB, id, scope string, compliantYear int) (*pb.NetworkReport, error) {
	r := &pb.NetworkReport{NetworkId: id}
	var state string
	var start, end *time.Time
	err := q.QueryRow(ctx, `SELECT display_name, theme, status, cohort_start, end_date FROM networks WHERE id = $1`, id).
		Scan(&r.DisplayName, &r.Theme, &state, &start, &end)
	if err == pgx.ErrNoRows {
		return nil, &fault.NotFound{Kind: "network", ID: id}
	} else if err != nil {
		return nil, fmt.Errorf("network report: %w", err)
	}
	r.State = enumword.Of[networkpb.NetworkState](state)
	if d := dateOf(start); d != nil {
		r.CohortStart = civil.ToProto(*d)
	}
	if d := dateOf(end); d != nil {
		r.EndDate = civil.ToProto(*d)
	}
	rows, err := q.Query(ctx, `WITH `+totals+`
		SELECT p.partnership_id, p.title, p.state, p.country_code,
			COALESCE((SELECT steering_group_balanced FROM compliance c WHERE c.partnership_id = p.partnership_id ORDER BY year DESC LIMIT 1), false),
			COALESCE((SELECT compliant FROM compliance c WHERE c.partnership_id = p.partnership_id AND c.year = $4), false),
			COALESCE(bt.budgeted, 0), COALESCE(ct.approved, 0), COALESCE(ct.paid, 0)
		FROM partnership_summaries p JOIN network_members m ON m.partnership_id = p.partnership_id
		LEFT JOIN budget_totals bt ON bt.partnership_id = p.partnership_id
		LEFT JOIN claim_totals ct ON ct.partnership_id = p.partnership_id
		WHERE m.network_id = $3 AND `+visibleTo+`
		ORDER BY p.partnership_id`, scope, 0, id, compliantYear)
	if err != nil {
		return nil, fmt.Errorf("cohort: %w", err)
	}
	r.Rows, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*pb.CohortRow, error) {
		c := &pb.CohortRow{}
		var state string
		var budgeted, approved, paid int64
		err := row.Scan(&c.PartnershipId, &c.Title, &state, &c.CountryCode, &c.SteeringGroupBalanced, &c.CompliantThisYear,
			&budgeted, &approved, &paid)
		c.State = enumword.Of[partnershippb.PartnershipState](state)
		c.Budgeted, c.Approved, c.Paid = sek(budgeted), sek(approved), sek(paid)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("cohort: %w", err)
	}
	if scope != "" && len(r.Rows) == 0 {
		return nil, &fault.NotFound{Kind: "network", ID: id}
	}
	r.AsOfTime, err = AsOf(ctx, q)
	return r, err
}

// PortfolioReport groups the partnerships of a year (those with an approved, running or closed application
// whose period touches the year) by country, cluster and theme. A partnership counts once, under the theme of
// its running network (else its recruiting, else its newest), or under the empty theme when it is in none.
// The compliance rate is the share of the group's partnerships that meet the year's rules; one with nothing
// recorded for the year does not.
func PortfolioReport(ctx context.Context, q DB, scope string, year int) (*pb.PortfolioReport, error) {
	rows, err := q.Query(ctx, `WITH `+totals+`
		SELECT p.country_code, p.cluster, COALESCE(n.theme, ''), p.state, p.sdg_targets,
			COALESCE(bt.budgeted, 0), COALESCE(ct.approved, 0), COALESCE(ct.paid, 0), COALESCE(c.compliant, false)
		FROM partnership_summaries p
		-- One network per partnership, so that a partnership in several networks counts once: the running
		-- one, else the recruiting one, else the newest.
		LEFT JOIN LATERAL (
			SELECT n.theme FROM network_members m JOIN networks n ON n.id = m.network_id
			WHERE m.partnership_id = p.partnership_id
			ORDER BY n.status = 'running' DESC, n.status = 'recruiting' DESC, n.id DESC LIMIT 1
		) n ON true
		LEFT JOIN budget_totals bt ON bt.partnership_id = p.partnership_id
		LEFT JOIN claim_totals ct ON ct.partnership_id = p.partnership_id
		LEFT JOIN compliance c ON c.partnership_id = p.partnership_id AND c.year = $2
		WHERE `+visibleTo+` AND EXISTS (SELECT 1 FROM applications a WHERE a.partnership_id = p.partnership_id
			AND a.status IN ('approved', 'running', 'closed')
			AND a.start_date <= make_date($2, 12, 31) AND a.end_date >= make_date($2, 1, 1))
		ORDER BY 1, 2, 3`, scope, year)
	if err != nil {
		return nil, fmt.Errorf("portfolio: %w", err)
	}
	defer rows.Close()
	type key struct{ country, cluster, theme string }
	type group struct {
		row              *pb.PortfolioRow
		phases           map[string]int32
		targets          map[string]bool
		recorded, passed int
	}
	var order []key
	groups := map[key]*group{}
	for rows.Next() {
		var k key
		var phase string
		var targets []string
		var budgeted, approved, paid int64
		var compliant bool
		if err := rows.Scan(&k.country, &k.cluster, &k.theme, &phase, &targets, &budgeted, &approved, &paid, &compliant); err != nil {
			return nil, fmt.Errorf("portfolio: %w", err)
		}
		g := groups[k]
		if g == nil {
			g = &group{row: &pb.PortfolioRow{CountryCode: k.country, Cluster: enumword.Of[typepb.Cluster](k.cluster), Theme: k.theme, Budgeted: sek(0), Approved: sek(0), Paid: sek(0)},
				phases: map[string]int32{}, targets: map[string]bool{}}
			groups[k] = g
			order = append(order, k)
		}
		g.phases[phase]++
		for _, t := range targets {
			g.targets[t] = true
		}
		g.row.Budgeted.AmountMinor += budgeted
		g.row.Approved.AmountMinor += approved
		g.row.Paid.AmountMinor += paid
		// A partnership with nothing recorded for the year has not met its rules: it counts, as not compliant.
		g.recorded++
		if compliant {
			g.passed++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("portfolio: %w", err)
	}
	r := &pb.PortfolioReport{Year: int32(year)}
	for _, k := range order {
		g := groups[k]
		for _, phase := range sortedKeys(g.phases) {
			g.row.Phases = append(g.row.Phases, &pb.PhaseCount{State: enumword.Of[partnershippb.PartnershipState](phase), Partnerships: g.phases[phase]})
		}
		g.row.SdgTargets = sortedKeys(g.targets)
		if g.recorded > 0 {
			g.row.CompliancePercent = int32(100 * g.passed / g.recorded)
		}
		r.Rows = append(r.Rows, g.row)
	}
	if r.ResultsByCoreArea, r.ResultsBySdgTarget, err = portfolioResults(ctx, q, scope, year); err != nil {
		return nil, err
	}
	r.AsOfTime, err = AsOf(ctx, q)
	return r, err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ComplianceReport lists the partnerships in inception or active phase that lag in year: not meeting the
// year's rules (or with nothing recorded for it), an unbalanced steering group, or claims submitted more than
// waitDays ago and not yet decided.
func ComplianceReport(ctx context.Context, q DB, scope string, year, waitDays int) (*pb.ComplianceReport, error) {
	rows, err := q.Query(ctx, `SELECT p.partnership_id, p.title, COALESCE(c.meetings, 0), NOT COALESCE(c.compliant, false),
			NOT COALESCE((SELECT steering_group_balanced FROM compliance s WHERE s.partnership_id = p.partnership_id ORDER BY year DESC LIMIT 1), false),
			w.waiting, w.oldest
		FROM partnership_summaries p
		LEFT JOIN compliance c ON c.partnership_id = p.partnership_id AND c.year = $2
		CROSS JOIN LATERAL (
			SELECT count(*)::int AS waiting, COALESCE(max(floor(extract(epoch FROM now() - cl.submit_time) / 86400)), 0)::int AS oldest
			FROM claims cl WHERE cl.partnership_id = p.partnership_id AND cl.state = 'submitted'
				AND cl.submit_time < now() - make_interval(days => $3)
		) w
		WHERE `+visibleTo+` AND p.state IN ('inception', 'active')
		ORDER BY p.partnership_id`, scope, year, waitDays)
	if err != nil {
		return nil, fmt.Errorf("compliance report: %w", err)
	}
	all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*pb.ComplianceRow, error) {
		c := &pb.ComplianceRow{}
		err := row.Scan(&c.PartnershipId, &c.Title, &c.Meetings, &c.MissingMeetings, &c.UnbalancedSteeringGroup, &c.ClaimsWaiting, &c.OldestClaimWaitDays)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("compliance report: %w", err)
	}
	r := &pb.ComplianceReport{Year: int32(year), ClaimWaitDays: int32(waitDays)}
	for _, c := range all {
		if c.MissingMeetings || c.UnbalancedSteeringGroup || c.ClaimsWaiting > 0 {
			r.Rows = append(r.Rows, c)
		}
	}
	r.AsOfTime, err = AsOf(ctx, q)
	return r, err
}
