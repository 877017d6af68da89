package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// Partnership is a stored partnership, with where its international party lies.
type Partnership struct {
	domain.Partnership
	// CountryCode is the international party's country, read with the row.
	CountryCode string
	// Cluster is that country's cluster on the eligibility date (programme.ClusterOf), set by place.
	Cluster programme.Cluster
	Meta
}

// place sets p's cluster from the countries' eligibility versions. Every partnership this package returns,
// and every partnership event, is placed here, so the API and the events cannot disagree.
func (p *Partnership) place(countries []programme.CountryEligibility) {
	p.Cluster = programme.ClusterOf(countries, p.CountryCode, p.EligibilityDate)
}

// placeAll places ps with one read of the eligibility periods of their countries (a handful of rows),
// however many partnerships there are.
func placeAll(ctx context.Context, q Querier, ps []Partnership) error {
	if len(ps) == 0 {
		return nil
	}
	codes := make([]string, 0, 1)
	for _, p := range ps {
		if !slices.Contains(codes, p.CountryCode) {
			codes = append(codes, p.CountryCode)
		}
	}
	rows, err := q.Query(ctx, `SELECT country_code, cluster, valid_from, valid_to FROM country_eligibility
		WHERE country_code = ANY($1)`, codes)
	if err != nil {
		return fmt.Errorf("read the countries' periods: %w", err)
	}
	countries, err := pgx.CollectRows(rows, scanPeriod)
	if err != nil {
		return fmt.Errorf("read the countries' periods: %w", err)
	}
	for i := range ps {
		ps[i].place(countries)
	}
	return nil
}

// scanPeriod reads a row of (country_code, cluster, valid_from, valid_to): one period of a country's eligibility.
func scanPeriod(r pgx.CollectableRow) (programme.CountryEligibility, error) {
	var c programme.CountryEligibility
	var from time.Time
	var to *time.Time
	err := r.Scan(&c.CountryCode, &c.Cluster, &from, &to)
	c.Period = programme.Period{From: civil.DateFromTime(from), To: dateOfNullable(to)}
	return c, err
}

// PartnershipFilter narrows a list of partnerships; zero fields do not filter.
type PartnershipFilter struct {
	State domain.State
	// OrganizationID keeps partnerships in which this organisation is a party.
	OrganizationID string
	// VisibleTo, when set, keeps only the partnerships of this organisation: the scope of a member or partner.
	VisibleTo string
	// CountryCode keeps partnerships whose international party is in this country.
	CountryCode string
	// Query keeps partnerships whose title contains it, in any case.
	Query string
}

// TransitionRecord is one recorded change of a partnership's state.
type TransitionRecord struct {
	Seq        int64
	Transition domain.Transition
	From, To   domain.State
	Actor      string
	ActorRole  string
	Reason     string
	Time       time.Time
	RequestID  string
}

// partnershipColumns are read by SELECT and returned by INSERT and UPDATE alike. The international party's
// country is joined in by its primary key, so a page of partnerships is still one query.
const partnershipColumns = ownColumns + `,
	(SELECT o.country_code FROM organizations o WHERE o.id = partnerships.international_organization_id)`

// ownColumns are the partnership's own columns of partnershipColumns, for a list, which joins the
// international party's country in once for the page (a join is far cheaper than a subquery per row).
const ownColumns = `partnerships.id, swedish_organization_id, international_organization_id, title, challenge,
	core_areas, sdg_targets, state, partnerships.version, partnerships.create_time, partnerships.update_time,
	partnerships.creator, partnerships.updater, coalesce(third_organization_id::text, ''), eligibility_date`

func scanPartnership(row pgx.Row, extra ...any) (Partnership, error) {
	var p Partnership
	var areas []string
	var eligibility time.Time
	err := row.Scan(append([]any{&p.ID, &p.SwedishOrgID, &p.InternationalOrgID, &p.Title, &p.Challenge, &areas, &p.SDGTargets,
		&p.State, &p.Version, &p.CreateTime, &p.UpdateTime, &p.Creator, &p.Updater, &p.ThirdOrgID, &eligibility, &p.CountryCode}, extra...)...)
	p.EligibilityDate = civil.DateFromTime(eligibility)
	for _, a := range areas {
		p.CoreAreas = append(p.CoreAreas, domain.CoreArea(a))
	}
	return p, err
}

func coreAreaStrings(areas []domain.CoreArea) []string {
	out := make([]string, len(areas))
	for i, a := range areas {
		out[i] = string(a)
	}
	return out
}

// CreatePartnership stores a new, already validated partnership in state draft, after checking that both
// parties exist and fit their roles.
func CreatePartnership(ctx context.Context, tx pgx.Tx, p domain.Partnership, a Actor) (Partnership, error) {
	ids := []string{p.SwedishOrgID, p.InternationalOrgID}
	if p.ThirdOrgID != "" {
		ids = append(ids, p.ThirdOrgID)
	}
	parties, err := getOrganizations(ctx, tx, ids)
	if err != nil {
		return Partnership{}, err
	}
	if err := domain.CheckParties(parties[0].Organization, parties[1].Organization); err != nil {
		return Partnership{}, err
	}
	if p.ThirdOrgID != "" {
		if err := domain.CheckThirdParty(parties[2].Organization); err != nil {
			return Partnership{}, err
		}
	}
	// The placement is locked before the insert: its periods decide both whether the country may take part
	// and the new partnership's cluster, in its answer and its event alike.
	code, periods, err := lockPlacement(ctx, tx, p.InternationalOrgID)
	if err != nil {
		return Partnership{}, err
	}
	if _, err := programme.CheckEligible(periods, code, p.EligibilityDate); err != nil {
		return Partnership{}, err
	}
	p.ID, p.State = record.NewID(), domain.StateDraft
	at := record.Now()
	stored, err := scanPartnership(tx.QueryRow(ctx, `INSERT INTO partnerships (id, swedish_organization_id,
		international_organization_id, title, challenge, core_areas, sdg_targets, state, create_time, update_time,
		creator, updater, third_organization_id, eligibility_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $10,
		NULLIF($11, '')::uuid, $12) RETURNING `+partnershipColumns,
		p.ID, p.SwedishOrgID, p.InternationalOrgID, p.Title, p.Challenge, coreAreaStrings(p.CoreAreas),
		nonNil(p.SDGTargets), p.State, at, a.Subject, p.ThirdOrgID, p.EligibilityDate.Time()))
	if err != nil {
		return stored, fmt.Errorf("store partnership: %w", err)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "partnership", p.ID, ""); err != nil {
		return stored, err
	}
	stored.place(periods)
	return stored, emit(ctx, tx, a, partnershipEvent(stored))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// GetPartnership returns one partnership.
func GetPartnership(ctx context.Context, q Querier, id string) (Partnership, error) {
	p, err := scanPlaced(q.QueryRow(ctx, `SELECT `+placedColumns+` FROM `+placed(`SELECT * FROM partnerships WHERE id = $1`), id))
	if err != nil {
		return p, record.NotFound(err, "partnership", id)
	}
	return p, nil
}

// ListPartnerships returns up to limit partnerships after the id after, oldest first.
func ListPartnerships(ctx context.Context, q Querier, f PartnershipFilter, after string, limit int) ([]Partnership, error) {
	rows, err := q.Query(ctx, `SELECT `+ownColumns+`, io.country_code FROM partnerships
		JOIN organizations io ON io.id = partnerships.international_organization_id
		WHERE ($1 = '' OR state = $1)
		  AND ($2 = '' OR swedish_organization_id = NULLIF($2, '')::uuid OR international_organization_id = NULLIF($2, '')::uuid)
		  AND ($3 = '' OR swedish_organization_id = NULLIF($3, '')::uuid OR international_organization_id = NULLIF($3, '')::uuid)
		  AND ($4 = '' OR partnerships.id > NULLIF($4, '')::uuid)
		  AND ($6 = '' OR io.country_code = $6)
		  AND ($7 = '' OR strpos(lower(partnerships.title), lower($7)) > 0)
		ORDER BY partnerships.id LIMIT $5`, string(f.State), f.OrganizationID, f.VisibleTo, after, limit, f.CountryCode, f.Query)
	if err != nil {
		return nil, fmt.Errorf("list partnerships: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Partnership, error) { return scanPartnership(r) })
	if err != nil {
		return nil, fmt.Errorf("list partnerships: %w", err)
	}
	return ps, placeAll(ctx, q, ps)
}

// placedColumns and placed read a partnership placed in one query: the row with its international party's
// country and that country's eligibility periods, which place applies in Go (the rule is not written
// twice), so that reading one partnership is one round trip to the database, not two. A page of them is
// cheaper the other way (placeAll): fifty rows each carrying their country's periods cost more to decode
// than one more small query. The periods are aggregated for the one country only (LATERAL, by the index on
// country_code): a join with all countries' aggregates made PostgreSQL group the whole table on every read.
const placedColumns = ownColumns + `, io.country_code, periods.clusters, periods.froms, periods.tos`

// placed is the FROM clause of placedColumns over the partnership rows that rows selects.
func placed(rows string) string {
	return `(` + rows + `) partnerships JOIN organizations io ON io.id = partnerships.international_organization_id
		LEFT JOIN LATERAL (SELECT array_agg(cluster) AS clusters, array_agg(valid_from) AS froms, array_agg(valid_to) AS tos
			FROM country_eligibility WHERE country_code = io.country_code) periods ON true`
}

// scanPlaced reads a row of placedColumns and places it.
func scanPlaced(row pgx.Row) (Partnership, error) {
	var clusters []string
	var froms []time.Time
	var tos []*time.Time
	p, err := scanPartnership(row, &clusters, &froms, &tos)
	if err != nil {
		return p, err
	}
	if len(froms) != len(clusters) || len(tos) != len(clusters) {
		return p, fmt.Errorf("partnership %s: the country's periods are not aligned", p.ID)
	}
	countries := make([]programme.CountryEligibility, len(clusters))
	for i := range clusters {
		countries[i] = programme.CountryEligibility{CountryCode: p.CountryCode, Cluster: programme.Cluster(clusters[i]),
			Period: programme.Period{From: civil.DateFromTime(froms[i]), To: dateOfNullable(tos[i])}}
	}
	p.place(countries)
	return p, nil
}

// LockPartnership reads a partnership for update, so that writes about what it does (applications, teams,
// steering group) are serialised with each other and with its transitions.
func LockPartnership(ctx context.Context, tx pgx.Tx, id string) (Partnership, error) {
	return lockPartnership(ctx, tx, id, "")
}

// lockPartnership reads a partnership for update and checks its etag.
func lockPartnership(ctx context.Context, tx pgx.Tx, id, etag string) (Partnership, error) {
	p, err := scanPartnership(tx.QueryRow(ctx, `SELECT `+partnershipColumns+` FROM partnerships WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return p, record.NotFound(err, "partnership", id)
	}
	return p, record.CheckETag("partnership", p.Version, etag)
}

// UpdatePartnership applies change to the stored partnership under a row lock, after checking etag.
// allowed may refuse the change on the stored state (e.g. a member editing a submitted partnership).
func UpdatePartnership(ctx context.Context, tx pgx.Tx, id, etag string, a Actor, change func(current Partnership, next *domain.Partnership) error) (Partnership, error) {
	current, err := lockPartnership(ctx, tx, id, etag)
	if err != nil {
		return current, err
	}
	next := current.Partnership
	if err := change(current, &next); err != nil {
		return current, err
	}
	at := record.Now()
	stored, err := scanPartnership(tx.QueryRow(ctx, `UPDATE partnerships SET title = $2, challenge = $3,
		core_areas = $4, sdg_targets = $5, version = version + 1, update_time = $6, updater = $7
		WHERE id = $1 RETURNING `+partnershipColumns,
		id, next.Title, next.Challenge, coreAreaStrings(next.CoreAreas), nonNil(next.SDGTargets), at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("update partnership %s: %w", id, err)
	}
	if err := record.Audit(ctx, tx, a, at, "update", "partnership", id, ""); err != nil {
		return stored, err
	}
	return stored, partnershipChanged(ctx, tx, &stored, a)
}

// TransitionPartnership moves a partnership along its lifecycle and records who, when and why. check may
// refuse on the stored partnership after the lifecycle allows the step (e.g. a member acting on another
// organisation's partnership, or an unbalanced steering group at activation).
func TransitionPartnership(ctx context.Context, tx pgx.Tx, id, etag string, t domain.Transition, reason string, a Actor, check func(Partnership) error) (Partnership, error) {
	current, err := lockPartnership(ctx, tx, id, etag)
	if err != nil {
		return current, err
	}
	to, err := domain.Apply(current.State, t)
	if err != nil {
		if checkErr := check(current); checkErr != nil {
			return current, checkErr // one that may not know the partnership learns nothing of its state
		}
		return current, err
	}
	if err := check(current); err != nil {
		return current, err
	}
	at := record.Now()
	stored, err := scanPartnership(tx.QueryRow(ctx, `UPDATE partnerships SET state = $2, version = version + 1,
		update_time = $3, updater = $4 WHERE id = $1 RETURNING `+partnershipColumns, id, to, at, a.Subject))
	if err != nil {
		return stored, fmt.Errorf("transition partnership %s: %w", id, err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO partnership_transitions (partnership_id, transition, from_state, to_state,
		actor, actor_role, reason, time, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		id, t, current.State, to, a.Subject, a.Role, reason, at, a.RequestID)
	if err != nil {
		return stored, fmt.Errorf("record transition of %s: %w", id, err)
	}
	if err := record.Audit(ctx, tx, a, at, string(t), "partnership", id, ""); err != nil {
		return stored, err
	}
	return stored, partnershipChanged(ctx, tx, &stored, a)
}

// ListTransitions returns up to limit recorded transitions of a partnership after sequence number after.
func ListTransitions(ctx context.Context, q Querier, id string, after int64, limit int) ([]TransitionRecord, error) {
	rows, err := q.Query(ctx, `SELECT seq, transition, from_state, to_state, actor, actor_role, reason, time, request_id
		FROM partnership_transitions WHERE partnership_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, id, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list transitions of %s: %w", id, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TransitionRecord, error) {
		var t TransitionRecord
		err := r.Scan(&t.Seq, &t.Transition, &t.From, &t.To, &t.Actor, &t.ActorRole, &t.Reason, &t.Time, &t.RequestID)
		return t, err
	})
}
