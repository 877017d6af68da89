package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
)

// Rules is a stored version of the budget rules.
type Rules struct {
	domain.CapRules
	CreateTime time.Time
	Creator    string
}

// ListRules returns every version, oldest first, with its caps.
func ListRules(ctx context.Context, q Querier) ([]Rules, error) {
	rows, err := q.Query(ctx, `SELECT id, valid_from, valid_to, in_kind_hourly_rate_minor, create_time, creator
		FROM budget_rules ORDER BY valid_from, id`)
	if err != nil {
		return nil, fmt.Errorf("list budget rules: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Rules, error) {
		var x Rules
		var from time.Time
		var to *time.Time
		var rate int64
		err := r.Scan(&x.ID, &from, &to, &rate, &x.CreateTime, &x.Creator)
		x.Period = domain.Period{From: nullableDate(&from), To: nullableDate(to)}
		x.InKindHourlyRate = sek(rate)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("list budget rules: %w", err)
	}
	byID := make(map[string]*Rules, len(out))
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	rows, err = q.Query(ctx, `SELECT rules_id, kind, cluster, parties, total_minor, per_year, work_input_max_minor
		FROM budget_caps ORDER BY rules_id, kind, cluster, parties`)
	if err != nil {
		return nil, fmt.Errorf("list budget caps: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c domain.Cap
		var total int64
		var work *int64
		if err := rows.Scan(&id, &c.Key.Kind, &c.Key.CostZone, &c.Key.Parties, &total, &c.PerYear, &work); err != nil {
			return nil, fmt.Errorf("read budget cap: %w", err)
		}
		c.Total = sek(total)
		if work != nil {
			c.LimitsWorkInput, c.WorkInputMax = true, sek(*work)
		}
		if r := byID[id]; r != nil {
			r.Caps = append(r.Caps, c)
		}
	}
	return out, rows.Err()
}

// History returns the versions as the domain's CapHistory.
func History(rs []Rules) domain.CapHistory {
	h := make(domain.CapHistory, len(rs))
	for i, r := range rs {
		h[i] = r.CapRules
	}
	return h
}

// lockRules keeps concurrent changes of the rules from both passing the overlap check.
func lockRules(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `LOCK TABLE budget_rules IN SHARE ROW EXCLUSIVE MODE`)
	return err
}

// CreateRules stores a new version after checking, under a lock, that it overlaps no stored one.
func CreateRules(ctx context.Context, tx pgx.Tx, r domain.CapRules, a Actor) (Rules, error) {
	if err := lockRules(ctx, tx); err != nil {
		return Rules{}, fmt.Errorf("lock budget rules: %w", err)
	}
	stored, err := ListRules(ctx, tx)
	if err != nil {
		return Rules{}, err
	}
	if err := History(stored).CheckAdd(r); err != nil {
		return Rules{}, err
	}
	out := Rules{CapRules: r, CreateTime: record.Now(), Creator: a.Subject}
	out.ID = record.NewID()
	if err := insertRules(ctx, tx, out); err != nil {
		return Rules{}, err
	}
	return out, record.Audit(ctx, tx, a, out.CreateTime, "create", "budget_rules", out.ID, out.Period.String())
}

func insertRules(ctx context.Context, tx pgx.Tx, r Rules) error {
	_, err := tx.Exec(ctx, `INSERT INTO budget_rules (id, valid_from, valid_to, in_kind_hourly_rate_minor, create_time, creator)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, r.Period.From.Time(), dateArg(r.Period.To), r.InKindHourlyRate.Minor, r.CreateTime, r.Creator)
	if err != nil {
		return fmt.Errorf("insert budget rules: %w", err)
	}
	for _, c := range r.Caps {
		var work any
		if c.LimitsWorkInput {
			work = c.WorkInputMax.Minor
		}
		if _, err := tx.Exec(ctx, `INSERT INTO budget_caps (rules_id, kind, cluster, parties, total_minor, per_year, work_input_max_minor)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.ID, c.Key.Kind, c.Key.CostZone, c.Key.Parties, c.Total.Minor, c.PerYear, work); err != nil {
			return fmt.Errorf("insert budget cap %s: %w", c.Key, err)
		}
	}
	return nil
}

// EndRules sets the last day of a version; the shortened period is checked against the others like a new one.
func EndRules(ctx context.Context, tx pgx.Tx, id string, to domain.Date, a Actor) (Rules, error) {
	if err := lockRules(ctx, tx); err != nil {
		return Rules{}, fmt.Errorf("lock budget rules: %w", err)
	}
	stored, err := ListRules(ctx, tx)
	if err != nil {
		return Rules{}, err
	}
	var target *Rules
	var others domain.CapHistory
	for i := range stored {
		if stored[i].ID == id {
			target = &stored[i]
		} else {
			others = append(others, stored[i].CapRules)
		}
	}
	if target == nil {
		return Rules{}, record.NotFound(pgx.ErrNoRows, "budget rules", id)
	}
	target.Period.To = to
	if err := target.CapRules.Validate(); err != nil {
		return Rules{}, err
	}
	if err := others.CheckAdd(target.CapRules); err != nil {
		return Rules{}, err
	}
	if _, err := tx.Exec(ctx, `UPDATE budget_rules SET valid_to = $2 WHERE id = $1`, id, to.Time()); err != nil {
		return Rules{}, fmt.Errorf("end budget rules: %w", err)
	}
	return *target, record.Audit(ctx, tx, a, record.Now(), "end", "budget_rules", id, target.Period.String())
}

// SeedDefaultRules stores programme.md's default caps when no version exists, so that a new installation
// accepts budgets at once; an admin corrects them through the API.
func SeedDefaultRules(ctx context.Context, pool *pgxpool.Pool) error {
	return postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if err := lockRules(ctx, tx); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM budget_rules`).Scan(&n); err != nil || n > 0 {
			return err
		}
		r := Rules{CapRules: domain.DefaultCapRules(), CreateTime: record.Now(), Creator: "system"}
		r.ID = record.NewID()
		return insertRules(ctx, tx, r)
	})
}
