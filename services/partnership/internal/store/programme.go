package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// Country is a stored period of a country's eligibility.
type Country struct {
	programme.CountryEligibility
	Meta
}

const countryColumns = `id, country_code, cluster, valid_from, valid_to, version, create_time, update_time, creator, updater`

func scanCountry(row pgx.Row) (Country, error) {
	var c Country
	var from time.Time
	var to *time.Time
	err := row.Scan(&c.ID, &c.CountryCode, &c.Cluster, &from, &to, &c.Version, &c.CreateTime, &c.UpdateTime, &c.Creator, &c.Updater)
	c.Period = programme.Period{From: civil.DateFromTime(from), To: dateOfNullable(to)}
	return c, err
}

// ListCountries returns every period of every country, by country code and start. The table holds a few
// dozen rows, so callers pick the periods that apply on a date in Go, with the domain's own rule.
func ListCountries(ctx context.Context, q Querier) ([]Country, error) {
	rows, err := q.Query(ctx, `SELECT `+countryColumns+` FROM country_eligibility ORDER BY country_code, valid_from`)
	if err != nil {
		return nil, fmt.Errorf("list countries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Country, error) { return scanCountry(r) })
}

func eligibilities(cs []Country) []programme.CountryEligibility {
	out := make([]programme.CountryEligibility, len(cs))
	for i, c := range cs {
		out[i] = c.CountryEligibility
	}
	return out
}

// lockRules serialises changes to one kind of rule data, so two admins cannot create overlapping versions
// at the same moment; readers are not blocked.
func lockRules(ctx context.Context, tx pgx.Tx, table string) error {
	_, err := tx.Exec(ctx, `LOCK TABLE `+pgx.Identifier{table}.Sanitize()+` IN SHARE ROW EXCLUSIVE MODE`)
	return err
}

// CreateCountry adds a period of eligibility after checking it against the country's other periods.
func CreateCountry(ctx context.Context, tx pgx.Tx, c programme.CountryEligibility, a Actor) (Country, error) {
	if err := lockRules(ctx, tx, "country_eligibility"); err != nil {
		return Country{}, err
	}
	all, err := ListCountries(ctx, tx)
	if err != nil {
		return Country{}, err
	}
	if err := programme.CheckNoOverlap(eligibilities(all), c); err != nil {
		return Country{}, err
	}
	c.ID = record.NewID()
	at := record.Now()
	stored, err := scanCountry(tx.QueryRow(ctx, `INSERT INTO country_eligibility (id, country_code, cluster, valid_from,
		valid_to, create_time, update_time, creator, updater) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $7)
		RETURNING `+countryColumns, c.ID, c.CountryCode, c.Cluster, c.Period.From.Time(), nullableDate(c.Period.To), at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store country %s: %w", c.CountryCode, err)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "country_eligibility", c.ID, ""); err != nil {
		return stored, err
	}
	return stored, countryChanged(ctx, tx, c.CountryCode, a)
}

// UpdateCountry changes a period of eligibility under the table lock, checking etag and overlaps.
func UpdateCountry(ctx context.Context, tx pgx.Tx, id, etag string, a Actor, change func(*programme.CountryEligibility) error) (Country, error) {
	if err := lockRules(ctx, tx, "country_eligibility"); err != nil {
		return Country{}, err
	}
	current, err := scanCountry(tx.QueryRow(ctx, `SELECT `+countryColumns+` FROM country_eligibility WHERE id = $1`, id))
	if err != nil {
		return current, record.NotFound(err, "country", id)
	}
	if err := record.CheckETag("country", current.Version, etag); err != nil {
		return current, err
	}
	next := current.CountryEligibility
	if err := change(&next); err != nil {
		return current, err
	}
	all, err := ListCountries(ctx, tx)
	if err != nil {
		return current, err
	}
	var others []programme.CountryEligibility
	for _, c := range all {
		if c.ID != id {
			others = append(others, c.CountryEligibility)
		}
	}
	if err := programme.CheckNoOverlap(others, next); err != nil {
		return current, err
	}
	at := record.Now()
	stored, err := scanCountry(tx.QueryRow(ctx, `UPDATE country_eligibility SET cluster = $2, valid_from = $3, valid_to = $4,
		version = version + 1, update_time = $5, updater = $6 WHERE id = $1 RETURNING `+countryColumns,
		id, next.Cluster, next.Period.From.Time(), nullableDate(next.Period.To), at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("update country %s: %w", id, err)
	}
	if err := record.Audit(ctx, tx, a, at, "update", "country_eligibility", id, ""); err != nil {
		return stored, err
	}
	return stored, countryChanged(ctx, tx, stored.CountryCode, a)
}

// countryChanged restates the partnerships of a country whose eligibility changed: their cluster may have.
func countryChanged(ctx context.Context, tx pgx.Tx, code string, a Actor) error {
	restated, err := partnershipsRestated(ctx, tx, "", code)
	if err != nil {
		return err
	}
	return emit(ctx, tx, a, restated...)
}

// RuleSet is a stored version of the programme's numbers.
type RuleSet struct {
	programme.RuleSet
	CreateTime time.Time
	Creator    string
}

func scanRuleSet(row pgx.Row) (RuleSet, error) {
	var r RuleSet
	var from time.Time
	var to *time.Time
	var doc []byte
	if err := row.Scan(&r.ID, &from, &to, &doc, &r.CreateTime, &r.Creator); err != nil {
		return r, err
	}
	if err := json.Unmarshal(doc, &r.RuleSet); err != nil {
		return r, fmt.Errorf("decode programme rules %s: %w", r.ID, err)
	}
	r.RuleSet = r.RuleSet.OrDefaults()
	r.Period = programme.Period{From: civil.DateFromTime(from), To: dateOfNullable(to)}
	return r, nil
}

const ruleSetColumns = `id, valid_from, valid_to, rules, create_time, creator`

// ListRuleSets returns every version of the programme rules, oldest first.
func ListRuleSets(ctx context.Context, q Querier) ([]RuleSet, error) {
	rows, err := q.Query(ctx, `SELECT `+ruleSetColumns+` FROM programme_rules ORDER BY valid_from`)
	if err != nil {
		return nil, fmt.Errorf("list programme rules: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (RuleSet, error) { return scanRuleSet(r) })
}

// RuleSetVersions returns every version of the programme rules, oldest first, for a caller that looks up
// the rules of several dates (programme.RuleSetOn) with one read.
func RuleSetVersions(ctx context.Context, q Querier) ([]programme.RuleSet, error) {
	all, err := ListRuleSets(ctx, q)
	return ruleSets(all), err
}

func ruleSets(rs []RuleSet) []programme.RuleSet {
	out := make([]programme.RuleSet, len(rs))
	for i, r := range rs {
		out[i] = r.RuleSet
	}
	return out
}

// RuleSetOn returns the rules in force on a date.
func RuleSetOn(ctx context.Context, q Querier, on programme.Date) (programme.RuleSet, error) {
	all, err := ListRuleSets(ctx, q)
	if err != nil {
		return programme.RuleSet{}, err
	}
	return programme.RuleSetOn(ruleSets(all), on)
}

// CreateRuleSet adds a version of the rules after checking it overlaps no other version.
func CreateRuleSet(ctx context.Context, tx pgx.Tx, r programme.RuleSet, a Actor) (RuleSet, error) {
	if err := lockRules(ctx, tx, "programme_rules"); err != nil {
		return RuleSet{}, err
	}
	all, err := ListRuleSets(ctx, tx)
	if err != nil {
		return RuleSet{}, err
	}
	if err := programme.CheckRuleSetNoOverlap(ruleSets(all), r); err != nil {
		return RuleSet{}, err
	}
	r.ID = record.NewID()
	doc, err := json.Marshal(r)
	if err != nil {
		return RuleSet{}, err
	}
	at := record.Now()
	stored, err := scanRuleSet(tx.QueryRow(ctx, `INSERT INTO programme_rules (id, valid_from, valid_to, rules, create_time, creator)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+ruleSetColumns, r.ID, r.Period.From.Time(), nullableDate(r.Period.To), doc, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store programme rules: %w", err)
	}
	return stored, record.Audit(ctx, tx, a, at, "create", "programme_rules", r.ID, "")
}

// EndRuleSet sets the last day of a version of the rules.
func EndRuleSet(ctx context.Context, tx pgx.Tx, id string, last programme.Date, a Actor) (RuleSet, error) {
	if err := lockRules(ctx, tx, "programme_rules"); err != nil {
		return RuleSet{}, err
	}
	all, err := ListRuleSets(ctx, tx)
	if err != nil {
		return RuleSet{}, err
	}
	var target *RuleSet
	var others []programme.RuleSet
	for i := range all {
		if all[i].ID == id {
			target = &all[i]
		} else {
			others = append(others, all[i].RuleSet)
		}
	}
	if target == nil {
		return RuleSet{}, record.NotFound(pgx.ErrNoRows, "programme rules", id)
	}
	next := target.RuleSet
	next.Period.To = last
	if err := next.Period.Validate("valid_from", "valid_to"); err != nil {
		return RuleSet{}, err
	}
	if err := programme.CheckRuleSetNoOverlap(others, next); err != nil {
		return RuleSet{}, err
	}
	at := record.Now()
	stored, err := scanRuleSet(tx.QueryRow(ctx, `UPDATE programme_rules SET valid_to = $2 WHERE id = $1 RETURNING `+ruleSetColumns, id, last.Time()))
	if err != nil {
		return stored, fmt.Errorf("end programme rules %s: %w", id, err)
	}
	return stored, record.Audit(ctx, tx, a, at, "end", "programme_rules", id, "")
}

// Window is a stored application window.
type Window struct {
	programme.Window
	CreateTime time.Time
	Creator    string
}

const windowColumns = `id, kind, opens, closes, create_time, creator`

func scanWindow(row pgx.Row) (Window, error) {
	var w Window
	var opens, closes time.Time
	err := row.Scan(&w.ID, &w.Kind, &opens, &closes, &w.CreateTime, &w.Creator)
	w.Period = programme.Period{From: civil.DateFromTime(opens), To: civil.DateFromTime(closes)}
	return w, err
}

// ListWindows returns the windows of kind (every kind when empty) that close on or after the date from,
// soonest first (by opening day, then id).
func ListWindows(ctx context.Context, q Querier, kind programme.ApplicationKind, from programme.Date) ([]Window, error) {
	rows, err := q.Query(ctx, `SELECT `+windowColumns+` FROM application_windows
		WHERE ($1 = '' OR kind = $1) AND closes >= $2 ORDER BY opens, id`, string(kind), from.Time())
	if err != nil {
		return nil, fmt.Errorf("list application windows: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Window, error) { return scanWindow(r) })
}

func windows(ws []Window) []programme.Window {
	out := make([]programme.Window, len(ws))
	for i, w := range ws {
		out[i] = w.Window
	}
	return out
}

// CreateWindow adds an application window after checking it overlaps no window of the same kind.
func CreateWindow(ctx context.Context, tx pgx.Tx, w programme.Window, a Actor) (Window, error) {
	if err := lockRules(ctx, tx, "application_windows"); err != nil {
		return Window{}, err
	}
	existing, err := ListWindows(ctx, tx, w.Kind, programme.Date{Year: 1900, Month: 1, Day: 1})
	if err != nil {
		return Window{}, err
	}
	if err := programme.CheckNoWindowOverlap(windows(existing), w); err != nil {
		return Window{}, err
	}
	w.ID = record.NewID()
	at := record.Now()
	stored, err := scanWindow(tx.QueryRow(ctx, `INSERT INTO application_windows (id, kind, opens, closes, create_time, creator)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+windowColumns, w.ID, w.Kind, w.Period.From.Time(), w.Period.To.Time(), at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("store application window: %w", err)
	}
	return stored, record.Audit(ctx, tx, a, at, "create", "application_window", w.ID, "")
}

// defaultsActor marks the rows the programme ships with.
var defaultsActor = Actor{Subject: "programme-defaults", Role: "admin", RequestID: "migrate"}

// EnsureDefaults loads the programme's default rules (programme.md) into each rule table that is still
// empty; it runs after every migration and changes nothing once an admin owns the data.
func EnsureDefaults(ctx context.Context, pool *pgxpool.Pool, windowsFrom, windowsTo int) error {
	return postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		for _, table := range []string{"country_eligibility", "programme_rules", "application_windows"} {
			if err := lockRules(ctx, tx, table); err != nil {
				return err
			}
		}
		if empty, err := isEmpty(ctx, tx, "country_eligibility"); err != nil || !empty {
			return err
		}
		for _, c := range programme.DefaultCountries() {
			if _, err := CreateCountry(ctx, tx, c, defaultsActor); err != nil {
				return fmt.Errorf("default country %s: %w", c.CountryCode, err)
			}
		}
		if _, err := CreateRuleSet(ctx, tx, programme.DefaultRuleSet(), defaultsActor); err != nil {
			return fmt.Errorf("default programme rules: %w", err)
		}
		for _, w := range programme.DefaultWindows(windowsFrom, windowsTo) {
			if _, err := CreateWindow(ctx, tx, w, defaultsActor); err != nil {
				return fmt.Errorf("default application window: %w", err)
			}
		}
		return nil
	})
}

func isEmpty(ctx context.Context, q Querier, table string) (bool, error) {
	var exists bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgx.Identifier{table}.Sanitize()+`)`).Scan(&exists)
	return !exists, err
}
