package store

import (
	"context"
	"fmt"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// The IATI export reads three kinds of row, each streamed from PostgreSQL one at a time: the networks of the
// year, their partnerships, and the funded applications. An application is funded when its budget is
// approved; it belongs to the year when its period touches the year.

// fundedApps is the CTE of the year's funded applications ($1 is the year).
const fundedApps = `funded AS (
	SELECT a.id, a.partnership_id, a.kind, a.status, a.start_date, a.end_date, a.as_of_time, b.id AS budget_id,
		b.approved_minor, b.approve_time, b.as_of_time AS budget_time
	FROM applications a JOIN budgets b ON b.application_id = a.id
	WHERE b.approved_revision > 0 AND a.status <> 'rejected'
		AND a.start_date <= make_date($1, 12, 31) AND a.end_date >= make_date($1, 1, 1)
)`

// IATINetwork is a network with funded member partnerships in the year.
type IATINetwork struct {
	ID, Name, Theme, Status string
	Start, End              civil.Date
	Updated                 time.Time
	Partnerships            []string
}

// IATINetworks calls fn with each network of the year, in id order.
func IATINetworks(ctx context.Context, q Querier, year int, fn func(IATINetwork) error) error {
	rows, err := q.Query(ctx, `WITH `+fundedApps+`
		SELECT n.id, n.display_name, n.theme, n.status, n.cohort_start, n.end_date, n.as_of_time,
			array_agg(DISTINCT m.partnership_id::text ORDER BY m.partnership_id::text)
		FROM networks n JOIN network_members m ON m.network_id = n.id
		WHERE m.partnership_id IN (SELECT partnership_id FROM funded)
		GROUP BY n.id ORDER BY n.id`, year)
	if err != nil {
		return fmt.Errorf("iati networks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n IATINetwork
		var start, end *time.Time
		if err := rows.Scan(&n.ID, &n.Name, &n.Theme, &n.Status, &start, &end, &n.Updated, &n.Partnerships); err != nil {
			return fmt.Errorf("iati networks: %w", err)
		}
		n.Start, n.End = dayOf(start), dayOf(end)
		if err := fn(n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// IATIPartnership is a partnership with funded applications in the year.
type IATIPartnership struct {
	ID, Title, Challenge, State, CountryCode string
	CoreAreas, SDGTargets                    []string
	SwedishName, SwedishOrgNumber            string
	InternationalName                        string
	Start, End                               civil.Date
	Updated                                  time.Time
	Networks, Applications                   []string
	// Documents are the partnership's documents ICLD made public.
	Documents []IATIDocument
}

// IATIDocument is a public document of a partnership.
type IATIDocument struct {
	ID, Kind, FileName, ContentType string
}

// IATIPartnerships calls fn with each partnership of the year, in id order.
func IATIPartnerships(ctx context.Context, q Querier, year int, fn func(IATIPartnership) error) error {
	rows, err := q.Query(ctx, `WITH `+fundedApps+`, per_partnership AS (
			SELECT partnership_id, min(start_date) AS start_date, max(end_date) AS end_date,
				array_agg(id::text ORDER BY id::text) AS apps
			FROM funded GROUP BY partnership_id
		)
		SELECT p.partnership_id, p.title, p.challenge, p.state, p.country_code, p.core_areas, p.sdg_targets,
			COALESCE(so.display_name, ''), COALESCE(so.org_number, ''), COALESCE(io.display_name, ''),
			f.start_date, f.end_date, p.as_of_time,
			ARRAY(SELECT network_id::text FROM network_members m WHERE m.partnership_id = p.partnership_id ORDER BY 1),
			f.apps,
			ARRAY(SELECT d.id::text FROM documents d WHERE d.partnership_id = p.partnership_id AND d.public ORDER BY d.id),
			ARRAY(SELECT d.kind FROM documents d WHERE d.partnership_id = p.partnership_id AND d.public ORDER BY d.id),
			ARRAY(SELECT d.file_name FROM documents d WHERE d.partnership_id = p.partnership_id AND d.public ORDER BY d.id),
			ARRAY(SELECT d.content_type FROM documents d WHERE d.partnership_id = p.partnership_id AND d.public ORDER BY d.id)
		FROM partnership_summaries p
		JOIN per_partnership f ON f.partnership_id = p.partnership_id
		LEFT JOIN organizations so ON so.id = p.swedish_organization_id
		LEFT JOIN organizations io ON io.id = p.international_organization_id
		ORDER BY p.partnership_id`, year)
	if err != nil {
		return fmt.Errorf("iati partnerships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p IATIPartnership
		var start, end *time.Time
		var docIDs, docKinds, docNames, docTypes []string
		if err := rows.Scan(&p.ID, &p.Title, &p.Challenge, &p.State, &p.CountryCode, &p.CoreAreas, &p.SDGTargets, &p.SwedishName,
			&p.SwedishOrgNumber, &p.InternationalName, &start, &end, &p.Updated, &p.Networks, &p.Applications,
			&docIDs, &docKinds, &docNames, &docTypes); err != nil {
			return fmt.Errorf("iati partnerships: %w", err)
		}
		for i := range docIDs {
			p.Documents = append(p.Documents, IATIDocument{ID: docIDs[i], Kind: docKinds[i], FileName: docNames[i], ContentType: docTypes[i]})
		}
		p.Start, p.End = dayOf(start), dayOf(end)
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// IATIYearAmount is an amount in one calendar year.
type IATIYearAmount struct {
	Year  int
	Minor int64
}

// IATIPayment is a paid claim.
type IATIPayment struct {
	Date  civil.Date
	Minor int64
}

// IATIApplication is a funded application of the year with its money.
type IATIApplication struct {
	ID, PartnershipID, Kind, Status string
	Start, End                      civil.Date
	Updated                         time.Time
	ApprovedMinor                   int64
	Approved                        civil.Date
	BudgetByYear                    []IATIYearAmount
	Payments                        []IATIPayment
	// Partnership holds what the application inherits of its partnership: title, challenge, country, core
	// areas, SDG targets and parties.
	Partnership IATIPartnership
	// Framework is its results framework with the values its approved reports gave.
	Framework Framework
}

// IATIApplications calls fn with each funded application of the year, by partnership and id.
func IATIApplications(ctx context.Context, q Querier, year int, fn func(IATIApplication) error) error {
	rows, err := q.Query(ctx, `WITH `+fundedApps+`
		SELECT f.id, f.partnership_id, f.kind, f.status, f.start_date, f.end_date, GREATEST(f.as_of_time, f.budget_time),
			f.approved_minor, f.approve_time,
			ARRAY(SELECT bl.year FROM budget_lines bl WHERE bl.budget_id = f.budget_id GROUP BY bl.year ORDER BY bl.year),
			ARRAY(SELECT sum(bl.amount_minor)::bigint FROM budget_lines bl WHERE bl.budget_id = f.budget_id GROUP BY bl.year ORDER BY bl.year),
			ARRAY(SELECT c.pay_date FROM claims c WHERE c.budget_id = f.budget_id AND c.state = 'paid' ORDER BY c.pay_date, c.id),
			ARRAY(SELECT (SELECT COALESCE(sum(cl.approved_minor), 0) FROM claim_lines cl WHERE cl.claim_id = c.id)::bigint
				FROM claims c WHERE c.budget_id = f.budget_id AND c.state = 'paid' ORDER BY c.pay_date, c.id),
			COALESCE(p.title, ''), COALESCE(p.challenge, ''), COALESCE(p.country_code, ''), COALESCE(p.core_areas, '{}'),
			COALESCE(p.sdg_targets, '{}'), COALESCE(so.display_name, ''), COALESCE(so.org_number, ''), COALESCE(io.display_name, ''),
			(SELECT x.framework FROM applications x WHERE x.id = f.id), `+approvedValues("f.id")+`
		FROM funded f
		LEFT JOIN partnership_summaries p ON p.partnership_id = f.partnership_id
		LEFT JOIN organizations so ON so.id = p.swedish_organization_id
		LEFT JOIN organizations io ON io.id = p.international_organization_id
		ORDER BY f.partnership_id, f.id`, year)
	if err != nil {
		return fmt.Errorf("iati applications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a IATIApplication
		var start, end, approved *time.Time
		var years []int32
		var amounts []int64
		var payDates []time.Time
		var paid []int64
		var framework []byte
		var reportYears []int32
		var reportValues [][]byte
		pp := &a.Partnership
		if err := rows.Scan(&a.ID, &a.PartnershipID, &a.Kind, &a.Status, &start, &end, &a.Updated, &a.ApprovedMinor, &approved,
			&years, &amounts, &payDates, &paid, &pp.Title, &pp.Challenge, &pp.CountryCode, &pp.CoreAreas, &pp.SDGTargets,
			&pp.SwedishName, &pp.SwedishOrgNumber, &pp.InternationalName, &framework, &reportYears, &reportValues); err != nil {
			return fmt.Errorf("iati applications: %w", err)
		}
		f, err := decodeFramework(a.ID, framework, reportYears, reportValues)
		if err != nil {
			return err
		}
		a.Framework = f
		a.Start, a.End, a.Approved = dayOf(start), dayOf(end), dayOf(approved)
		pp.ID = a.PartnershipID
		for i := range years {
			a.BudgetByYear = append(a.BudgetByYear, IATIYearAmount{Year: int(years[i]), Minor: amounts[i]})
		}
		for i := range payDates {
			a.Payments = append(a.Payments, IATIPayment{Date: civil.DateFromTime(payDates[i]), Minor: paid[i]})
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

func dayOf(t *time.Time) civil.Date {
	if t == nil {
		return civil.Date{}
	}
	return civil.DateFromTime(*t)
}
