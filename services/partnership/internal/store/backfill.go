package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"

	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/record"
)

// backfillPage is how many organisations or partnerships Backfill reads at a time.
const backfillPage = 500

// Backfill writes the whole current state as events when the outbox is empty but the service holds data: an
// installation with organisations and partnerships from before the outbox (migration 00003) existed. It
// writes every organisation, then every partnership, every application, and the compliance of each
// partnership and year the writes state it for (backfillCompliance), each event built as those writes build
// it, oldest first within a kind; see outbox.Backfill for when it writes and how it locks. It returns how
// many events it wrote.
//
// The share locks stand for the row locks the writes compute their events under. The tables are locked in
// the order the transactions that write several of them write them (an organisation before its
// partnership, a partnership before its applications, visits and members), and the countries last, as their
// writers write nothing else.
func Backfill(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	return outbox.Backfill(ctx, pool, outbox.Snapshot{
		Tables:  []string{"organizations", "partnerships", "applications", "visits", "members"},
		HasData: `EXISTS (SELECT 1 FROM organizations)`,
		Write: func(ctx context.Context, tx pgx.Tx, a record.Actor) (int, error) {
			if _, err := lockCountries(ctx, tx); err != nil {
				return 0, err
			}
			orgs, err := allPages(func(after string) ([]Organization, error) {
				return ListOrganizations(ctx, tx, OrganizationFilter{}, after, backfillPage)
			}, func(o Organization) string { return o.ID })
			if err != nil {
				return 0, err
			}
			partnerships, err := allPages(func(after string) ([]Partnership, error) {
				return ListPartnerships(ctx, tx, PartnershipFilter{}, after, backfillPage)
			}, func(p Partnership) string { return p.ID })
			if err != nil {
				return 0, err
			}
			rows, err := tx.Query(ctx, `SELECT `+applicationColumns+` FROM applications ORDER BY id`)
			if err != nil {
				return 0, fmt.Errorf("backfill: applications: %w", err)
			}
			apps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Application, error) { return scanApplication(r) })
			if err != nil {
				return 0, fmt.Errorf("backfill: applications: %w", err)
			}
			events := make([]proto.Message, 0, len(orgs)+2*len(partnerships)+len(apps))
			for _, o := range orgs {
				events = append(events, organizationChanged(o))
			}
			// ListPartnerships placed each partnership under the countries' lock taken above, as a write does.
			for _, p := range partnerships {
				events = append(events, partnershipEvent(p))
			}
			for _, a := range apps {
				events = append(events, applicationChanged(a))
			}
			compliance, err := backfillCompliance(ctx, tx, partnerships)
			if err != nil {
				return 0, err
			}
			events = append(events, compliance...)
			return len(events), emit(ctx, tx, a, events...)
		},
	})
}

// backfillCompliance returns the compliance events of the partnerships for the years the writes state it
// for: a change of the steering group states the current year and every year with visits, a visit its own
// year. A partnership with a steering group gets the former (with today's year, where its last change of
// the steering group stated the year it was made in), one with visits only the years of its visits, and one
// with neither, whose compliance no write has stated, none. Backfill's share locks on the tables stand for
// the partnership's row lock complianceChanged asks for: no visit or member can change.
func backfillCompliance(ctx context.Context, tx pgx.Tx, partnerships []Partnership) ([]proto.Message, error) {
	type stated struct {
		steering bool
		years    []int
	}
	rows, err := tx.Query(ctx, `SELECT p.id::text,
			EXISTS (SELECT 1 FROM members m WHERE m.partnership_id = p.id AND m.application_id IS NULL),
			ARRAY(SELECT DISTINCT extract(year FROM v.start_date)::int FROM visits v WHERE v.partnership_id = p.id ORDER BY 1)
		FROM partnerships p`)
	if err != nil {
		return nil, fmt.Errorf("backfill: compliance: %w", err)
	}
	of := map[string]stated{}
	var id string
	var steering bool
	var years []int
	if _, err := pgx.ForEachRow(rows, []any{&id, &steering, &years}, func() error {
		of[id] = stated{steering: steering, years: slices.Clone(years)}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("backfill: compliance: %w", err)
	}
	var out []proto.Message
	for _, p := range partnerships {
		years := of[p.ID].years
		if of[p.ID].steering {
			years = []int{0} // the current year and every year with visits
		}
		for _, y := range years {
			events, err := complianceChanged(ctx, tx, p, y)
			if err != nil {
				return nil, err
			}
			out = append(out, events...)
		}
	}
	return out, nil
}

// allPages reads every row through list, a page of backfillPage rows at a time, each page after the last
// row's id of the one before.
func allPages[T any](list func(after string) ([]T, error), id func(T) string) ([]T, error) {
	var out []T
	after := ""
	for {
		page, err := list(after)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < backfillPage {
			return out, nil
		}
		after = id(page[len(page)-1])
	}
}
