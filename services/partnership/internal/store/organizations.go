package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
)

// Organization is a stored organisation.
type Organization struct {
	domain.Organization
	Meta
}

// OrganizationFilter narrows a list of organisations; zero fields do not filter.
type OrganizationFilter struct {
	Kind        domain.OrgKind
	CountryCode string
}

const orgColumns = `id, kind, display_name, coalesce(org_number, ''), municipality_code, county_code, country_code,
	government_kind, version, create_time, update_time, creator, updater`

func scanOrganization(row pgx.Row) (Organization, error) {
	var o Organization
	var orgNumber, municipality, county, country, govKind string
	err := row.Scan(&o.ID, &o.Kind, &o.Name, &orgNumber, &municipality, &county, &country, &govKind,
		&o.Version, &o.CreateTime, &o.UpdateTime, &o.Creator, &o.Updater)
	if err != nil {
		return o, err
	}
	if o.Kind.IsSwedish() {
		o.Swedish = &domain.SwedishDetails{OrgNumber: domain.OrgNumber(orgNumber), MunicipalityCode: municipality, CountyCode: county}
	} else {
		o.International = &domain.InternationalDetails{CountryCode: country, GovernmentKind: govKind}
	}
	return o, nil
}

// columns returns the stored form of o's details.
func orgDetails(o domain.Organization) (orgNumber *string, municipality, county, country, govKind string) {
	if s := o.Swedish; s != nil {
		n := string(s.OrgNumber)
		return &n, s.MunicipalityCode, s.CountyCode, "SE", ""
	}
	if i := o.International; i != nil {
		return nil, "", "", i.CountryCode, i.GovernmentKind
	}
	return nil, "", "", "", ""
}

// CreateOrganization stores a new, already validated organisation. A second organisation with the same
// organisation number is ALREADY_EXISTS.
func CreateOrganization(ctx context.Context, tx pgx.Tx, o domain.Organization, a Actor) (Organization, error) {
	o.ID = record.NewID()
	at := record.Now()
	orgNumber, municipality, county, country, govKind := orgDetails(o)
	row := tx.QueryRow(ctx, `INSERT INTO organizations (id, kind, display_name, org_number, municipality_code,
		county_code, country_code, government_kind, create_time, update_time, creator, updater)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $10) RETURNING `+orgColumns,
		o.ID, o.Kind, o.Name, orgNumber, municipality, county, country, govKind, at, a.Subject)
	stored, err := scanOrganization(row)
	if err != nil {
		return stored, duplicateOrgNumber(err, o)
	}
	if err := record.Audit(ctx, tx, a, at, "create", "organization", o.ID, ""); err != nil {
		return stored, err
	}
	return stored, emit(ctx, tx, a, organizationChanged(stored))
}

func duplicateOrgNumber(err error, o domain.Organization) error {
	if _, ok := postgres.UniqueViolation(err); ok && o.Swedish != nil {
		return &fault.Conflict{AlreadyExists: true, Reason: "ORG_NUMBER_TAKEN", Field: "organization.swedish.org_number",
			Message: fmt.Sprintf("an organisation with organisation number %s is already registered", o.Swedish.OrgNumber)}
	}
	return fmt.Errorf("store organization: %w", err)
}

// GetOrganization returns one organisation.
func GetOrganization(ctx context.Context, q Querier, id string) (Organization, error) {
	o, err := scanOrganization(q.QueryRow(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = $1`, id))
	return o, record.NotFound(err, "organization", id)
}

// getOrganizations reads the organisations with ids in one query, in the order of ids; the first id not
// found is reported as GetOrganization would.
func getOrganizations(ctx context.Context, q Querier, ids []string) ([]Organization, error) {
	rows, err := q.Query(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("read organizations: %w", err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Organization, error) { return scanOrganization(r) })
	if err != nil {
		return nil, fmt.Errorf("read organizations: %w", err)
	}
	out := make([]Organization, len(ids))
	for i, id := range ids {
		j := slices.IndexFunc(found, func(o Organization) bool { return o.ID == id })
		if j < 0 {
			return nil, &fault.NotFound{Kind: "organization", ID: id}
		}
		out[i] = found[j]
	}
	return out, nil
}

// ListOrganizations returns up to limit organisations after the id after, oldest first.
func ListOrganizations(ctx context.Context, q Querier, f OrganizationFilter, after string, limit int) ([]Organization, error) {
	rows, err := q.Query(ctx, `SELECT `+orgColumns+` FROM organizations
		WHERE ($1 = '' OR kind = $1) AND ($2 = '' OR country_code = $2) AND ($3 = '' OR id > NULLIF($3, '')::uuid)
		ORDER BY id LIMIT $4`, string(f.Kind), f.CountryCode, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list organizations: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Organization, error) { return scanOrganization(r) })
}

// UpdateOrganization applies change to the stored organisation under a row lock, after checking etag, and
// stores the result when validate accepts it.
func UpdateOrganization(ctx context.Context, tx pgx.Tx, id, etag string, a Actor, change func(*domain.Organization) error) (Organization, error) {
	current, err := scanOrganization(tx.QueryRow(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return current, record.NotFound(err, "organization", id)
	}
	if err := record.CheckETag("organization", current.Version, etag); err != nil {
		return current, err
	}
	next := current.Organization
	if err := change(&next); err != nil {
		return current, err
	}
	at := record.Now()
	orgNumber, municipality, county, country, govKind := orgDetails(next)
	row := tx.QueryRow(ctx, `UPDATE organizations SET display_name = $2, org_number = $3, municipality_code = $4,
		county_code = $5, country_code = $6, government_kind = $7, version = version + 1, update_time = $8, updater = $9
		WHERE id = $1 RETURNING `+orgColumns, id, next.Name, orgNumber, municipality, county, country, govKind, at, a.Subject)
	stored, err := scanOrganization(row)
	if err != nil {
		return stored, duplicateOrgNumber(err, next)
	}
	if err := record.Audit(ctx, tx, a, at, "update", "organization", id, ""); err != nil {
		return stored, err
	}
	events := []proto.Message{organizationChanged(stored)}
	if stored.International != nil && current.International != nil && stored.International.CountryCode != current.International.CountryCode {
		// Its partnerships carry its country, and that country's cluster.
		restated, err := partnershipsRestated(ctx, tx, id, stored.International.CountryCode)
		if err != nil {
			return stored, err
		}
		events = append(events, restated...)
	}
	return stored, emit(ctx, tx, a, events...)
}
