// Package readmodel applies the producers' events to the reporting service's read models. Every event
// carries the whole state of what changed, so applying is an upsert by id (child rows replaced), and applying
// an event twice has the effect of applying it once. An event this package cannot apply safely — an unknown
// type or schema version, a payload that does not decode, an id that is not a UUID — is refused with a
// Malformed error, which the consumer parks instead of applying.
package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/outbox"
)

// Malformed is an event that must be parked, with the reason.
type Malformed struct{ Reason string }

func (m *Malformed) Error() string { return m.Reason }

// IsMalformed reports whether err says the event must be parked.
func IsMalformed(err error) bool {
	var m *Malformed
	return errors.As(err, &m)
}

func malformed(format string, args ...any) error {
	return &Malformed{Reason: fmt.Sprintf(format, args...)}
}

// Apply applies e in tx. It returns a *Malformed error for an event to park; any other error is a fault of
// the database, and the caller retries.
func Apply(ctx context.Context, tx pgx.Tx, e *eventspb.Event) error {
	if e.GetSchemaVersion() != outbox.SchemaVersion {
		return malformed("schema version %d is not one this consumer knows (it knows %d)", e.GetSchemaVersion(), outbox.SchemaVersion)
	}
	msg, err := e.GetPayload().UnmarshalNew()
	if err != nil {
		return malformed("the payload does not decode: %v", err)
	}
	at := e.GetTime().AsTime()
	if e.GetTime() == nil {
		return malformed("the event has no time")
	}
	switch p := msg.(type) {
	case *eventspb.OrganizationChanged:
		return organization(ctx, tx, p, at)
	case *eventspb.PartnershipChanged:
		return partnership(ctx, tx, p, at)
	case *eventspb.ApplicationChanged:
		return application(ctx, tx, p, at)
	case *eventspb.ComplianceChanged:
		return compliance(ctx, tx, p, at)
	case *eventspb.NetworkChanged:
		return network(ctx, tx, p, at)
	case *eventspb.BudgetChanged:
		return budget(ctx, tx, p, at)
	case *eventspb.ClaimChanged:
		return claim(ctx, tx, p, at)
	case *eventspb.InKindRecorded:
		return inKind(ctx, tx, p, at)
	case *eventspb.ReportChanged:
		return report(ctx, tx, p, at)
	case *eventspb.DocumentChanged:
		return document(ctx, tx, p, at)
	case *eventspb.PersonErased:
		return nil // the read models hold no person's name or address
	}
	return malformed("%s is not an event this consumer applies", proto.MessageName(msg))
}

// ids checks that every named id is a UUID, so that a malformed event is parked rather than failing the
// database write again and again.
func ids(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if uuid.Validate(pairs[i+1]) != nil {
			return malformed("%s %q is not a UUID", pairs[i], pairs[i+1])
		}
	}
	return nil
}

func optionalUUID(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func minor(m *typepb.Money) int64 { return m.GetAmountMinor() }

func protoDate(field string, d interface {
	GetYear() int32
	GetMonth() int32
	GetDay() int32
}) (any, error) {
	if d == nil || (d.GetYear() == 0 && d.GetMonth() == 0 && d.GetDay() == 0) {
		return nil, nil
	}
	out := civil.Date{Year: int(d.GetYear()), Month: time.Month(d.GetMonth()), Day: int(d.GetDay())}
	if !out.Valid() {
		return nil, malformed("%s is not a calendar date", field)
	}
	return out.Time(), nil
}

func exec(ctx context.Context, tx pgx.Tx, sql string, args ...any) error {
	if _, err := tx.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("read model: %w", err)
	}
	return nil
}

func organization(ctx context.Context, tx pgx.Tx, p *eventspb.OrganizationChanged, at time.Time) error {
	if err := ids("organization", p.GetId()); err != nil {
		return err
	}
	return exec(ctx, tx, `INSERT INTO organizations (id, display_name, kind, org_number, country_code, as_of_time)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name,
		kind = EXCLUDED.kind, org_number = EXCLUDED.org_number, country_code = EXCLUDED.country_code, as_of_time = EXCLUDED.as_of_time`,
		p.GetId(), p.GetDisplayName(), p.GetKind(), p.GetOrgNumber(), p.GetCountryCode(), at)
}

func partnership(ctx context.Context, tx pgx.Tx, p *eventspb.PartnershipChanged, at time.Time) error {
	if err := ids("partnership", p.GetId(), "swedish organization", p.GetSwedishOrganizationId(), "international organization", p.GetInternationalOrganizationId()); err != nil {
		return err
	}
	if p.GetThirdOrganizationId() != "" {
		if err := ids("third organization", p.GetThirdOrganizationId()); err != nil {
			return err
		}
	}
	areas := make([]string, 0, len(p.GetCoreAreas()))
	for _, a := range p.GetCoreAreas() {
		areas = append(areas, enumword.Word(a))
	}
	var created any
	if p.GetCreateTime() != nil {
		created = p.GetCreateTime().AsTime()
	}
	targets := p.GetSdgTargets()
	if targets == nil {
		targets = []string{}
	}
	return exec(ctx, tx, `INSERT INTO partnership_summaries (partnership_id, title, state, swedish_organization_id,
		international_organization_id, third_organization_id, challenge, country_code, cluster, core_areas, sdg_targets,
		create_time, as_of_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (partnership_id) DO UPDATE SET title = EXCLUDED.title, state = EXCLUDED.state,
		swedish_organization_id = EXCLUDED.swedish_organization_id, international_organization_id = EXCLUDED.international_organization_id,
		third_organization_id = EXCLUDED.third_organization_id, challenge = EXCLUDED.challenge, country_code = EXCLUDED.country_code,
		cluster = EXCLUDED.cluster, core_areas = EXCLUDED.core_areas, sdg_targets = EXCLUDED.sdg_targets,
		create_time = EXCLUDED.create_time, as_of_time = EXCLUDED.as_of_time`,
		p.GetId(), p.GetTitle(), enumword.Word(p.GetState()), p.GetSwedishOrganizationId(), p.GetInternationalOrganizationId(),
		optionalUUID(p.GetThirdOrganizationId()), p.GetChallenge(), p.GetCountryCode(), enumword.Word(p.GetCluster()), areas,
		targets, created, at)
}

func application(ctx context.Context, tx pgx.Tx, p *eventspb.ApplicationChanged, at time.Time) error {
	if err := ids("application", p.GetId(), "partnership", p.GetPartnershipId()); err != nil {
		return err
	}
	start, err := protoDate("start_date", p.GetStartDate())
	if err != nil {
		return err
	}
	end, err := protoDate("end_date", p.GetEndDate())
	if err != nil {
		return err
	}
	framework, err := proto.Marshal(&eventspb.ApplicationChanged{Results: p.GetResults()})
	if err != nil {
		return malformed("the results framework does not encode: %v", err)
	}
	return exec(ctx, tx, `INSERT INTO applications (id, partnership_id, kind, status, start_date, end_date, framework, as_of_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET partnership_id = EXCLUDED.partnership_id,
		kind = EXCLUDED.kind, status = EXCLUDED.status, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
		framework = EXCLUDED.framework, as_of_time = EXCLUDED.as_of_time`, p.GetId(), p.GetPartnershipId(), enumword.Word(p.GetKind()),
		applicationState(p), start, end, framework, at)
}

func report(ctx context.Context, tx pgx.Tx, p *eventspb.ReportChanged, at time.Time) error {
	if err := ids("report", p.GetId(), "partnership", p.GetPartnershipId(), "application", p.GetApplicationId()); err != nil {
		return err
	}
	values, err := proto.Marshal(&eventspb.ReportChanged{Values: p.GetValues()})
	if err != nil {
		return malformed("the report's values do not encode: %v", err)
	}
	return exec(ctx, tx, `INSERT INTO reports (id, partnership_id, application_id, kind, year, status, report_values, as_of_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status,
		report_values = EXCLUDED.report_values, as_of_time = EXCLUDED.as_of_time`, p.GetId(), p.GetPartnershipId(),
		p.GetApplicationId(), enumword.Word(p.GetKind()), p.GetYear(), enumword.Word(p.GetState()), values, at)
}

func document(ctx context.Context, tx pgx.Tx, p *eventspb.DocumentChanged, at time.Time) error {
	if err := ids("document", p.GetId(), "partnership", p.GetPartnershipId()); err != nil {
		return err
	}
	var reportID any
	if p.GetReportId() != "" {
		if err := ids("report", p.GetReportId()); err != nil {
			return err
		}
		reportID = p.GetReportId()
	}
	return exec(ctx, tx, `INSERT INTO documents (id, partnership_id, report_id, kind, file_name, content_type, public, as_of_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET public = EXCLUDED.public, as_of_time = EXCLUDED.as_of_time`,
		p.GetId(), p.GetPartnershipId(), reportID, enumword.Word(p.GetKind()), p.GetFileName(), p.GetContentType(), p.GetPublic(), at)
}

func compliance(ctx context.Context, tx pgx.Tx, p *eventspb.ComplianceChanged, at time.Time) error {
	if err := ids("partnership", p.GetPartnershipId()); err != nil {
		return err
	}
	if p.GetYear() < 1900 || p.GetYear() > 2200 {
		return malformed("year %d is outside 1900 to 2200", p.GetYear())
	}
	return exec(ctx, tx, `INSERT INTO compliance (partnership_id, year, meetings, visits, compliant, steering_group_balanced, as_of_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (partnership_id, year) DO UPDATE SET meetings = EXCLUDED.meetings,
		visits = EXCLUDED.visits, compliant = EXCLUDED.compliant, steering_group_balanced = EXCLUDED.steering_group_balanced,
		as_of_time = EXCLUDED.as_of_time`, p.GetPartnershipId(), p.GetYear(), p.GetMeetings(), p.GetVisits(), p.GetCompliant(),
		p.GetSteeringGroupBalanced(), at)
}

func network(ctx context.Context, tx pgx.Tx, p *eventspb.NetworkChanged, at time.Time) error {
	if err := ids("network", p.GetId()); err != nil {
		return err
	}
	for _, m := range p.GetMemberPartnershipIds() {
		if err := ids("member partnership", m); err != nil {
			return err
		}
	}
	start, err := protoDate("cohort_start", p.GetCohortStart())
	if err != nil {
		return err
	}
	end, err := protoDate("end_date", p.GetEndDate())
	if err != nil {
		return err
	}
	if err := exec(ctx, tx, `INSERT INTO networks (id, display_name, theme, cluster, status, cohort_start, end_date, as_of_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name,
		theme = EXCLUDED.theme, cluster = EXCLUDED.cluster, status = EXCLUDED.status, cohort_start = EXCLUDED.cohort_start,
		end_date = EXCLUDED.end_date, as_of_time = EXCLUDED.as_of_time`, p.GetId(), p.GetDisplayName(), p.GetTheme(), networkCluster(p),
		enumword.Word(p.GetState()), start, end, at); err != nil {
		return err
	}
	if err := exec(ctx, tx, `DELETE FROM network_members WHERE network_id = $1`, p.GetId()); err != nil {
		return err
	}
	return exec(ctx, tx, `INSERT INTO network_members (network_id, partnership_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
		p.GetId(), p.GetMemberPartnershipIds())
}

func budget(ctx context.Context, tx pgx.Tx, p *eventspb.BudgetChanged, at time.Time) error {
	if err := ids("budget", p.GetId(), "partnership", p.GetPartnershipId(), "application", p.GetApplicationId()); err != nil {
		return err
	}
	var approved any
	if p.GetApproveTime() != nil {
		approved = p.GetApproveTime().AsTime()
	}
	if err := exec(ctx, tx, `INSERT INTO budgets (id, partnership_id, application_id, state, approved_revision, approved_minor,
		approve_time, as_of_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET
		partnership_id = EXCLUDED.partnership_id, application_id = EXCLUDED.application_id, state = EXCLUDED.state,
		approved_revision = EXCLUDED.approved_revision, approved_minor = EXCLUDED.approved_minor,
		approve_time = EXCLUDED.approve_time, as_of_time = EXCLUDED.as_of_time`, p.GetId(), p.GetPartnershipId(),
		p.GetApplicationId(), enumword.Word(p.GetState()), p.GetApprovedRevision(), minor(p.GetApprovedTotal()), approved, at); err != nil {
		return err
	}
	if err := exec(ctx, tx, `DELETE FROM budget_lines WHERE budget_id = $1`, p.GetId()); err != nil {
		return err
	}
	// One statement for all the lines (a budget has up to 500): a rebuild applies every revision of every
	// budget. A line id given twice keeps its last line, as the producer's list would read.
	var (
		lineIDs, categories []string
		years               []int32
		amounts             []int64
		seen                = map[string]int{}
	)
	for _, l := range p.GetLines() {
		if i, ok := seen[l.GetId()]; ok {
			categories[i], years[i], amounts[i] = enumword.Word(l.GetCategory()), l.GetYear(), minor(l.GetAmount())
			continue
		}
		seen[l.GetId()] = len(lineIDs)
		lineIDs = append(lineIDs, l.GetId())
		categories = append(categories, enumword.Word(l.GetCategory()))
		years = append(years, l.GetYear())
		amounts = append(amounts, minor(l.GetAmount()))
	}
	return exec(ctx, tx, `INSERT INTO budget_lines (budget_id, line_id, category, year, amount_minor)
		SELECT $1, l.* FROM unnest($2::text[], $3::text[], $4::int[], $5::bigint[]) AS l`,
		p.GetId(), lineIDs, categories, years, amounts)
}

func claim(ctx context.Context, tx pgx.Tx, p *eventspb.ClaimChanged, at time.Time) error {
	if err := ids("claim", p.GetId(), "budget", p.GetBudgetId(), "partnership", p.GetPartnershipId()); err != nil {
		return err
	}
	pay, err := protoDate("pay_date", p.GetPayDate())
	if err != nil {
		return err
	}
	var submitted any
	if p.GetSubmitTime() != nil {
		submitted = p.GetSubmitTime().AsTime()
	}
	if err := exec(ctx, tx, `INSERT INTO claims (id, budget_id, partnership_id, state, submit_time, pay_date, as_of_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET budget_id = EXCLUDED.budget_id,
		partnership_id = EXCLUDED.partnership_id, state = EXCLUDED.state, submit_time = EXCLUDED.submit_time,
		pay_date = EXCLUDED.pay_date, as_of_time = EXCLUDED.as_of_time`, p.GetId(), p.GetBudgetId(), p.GetPartnershipId(),
		enumword.Word(p.GetState()), submitted, pay, at); err != nil {
		return err
	}
	if err := exec(ctx, tx, `DELETE FROM claim_lines WHERE claim_id = $1`, p.GetId()); err != nil {
		return err
	}
	// One statement for all the lines (a claim has up to 500), positions counted from 0.
	n := len(p.GetLines())
	lineIDs, years, sek, approved := make([]string, n), make([]int32, n), make([]int64, n), make([]*int64, n)
	for i, l := range p.GetLines() {
		lineIDs[i], years[i], sek[i] = l.GetBudgetLineId(), l.GetYear(), minor(l.GetSek())
		if l.GetApproved() != nil {
			v := minor(l.GetApproved())
			approved[i] = &v // NULL until decided
		}
	}
	return exec(ctx, tx, `INSERT INTO claim_lines (claim_id, position, budget_line_id, year, sek_minor, approved_minor)
		SELECT $1, l.position - 1, l.budget_line_id, l.year, l.sek_minor, l.approved_minor
		FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[]) WITH ORDINALITY
			AS l (budget_line_id, year, sek_minor, approved_minor, position)`,
		p.GetId(), lineIDs, years, sek, approved)
}

func inKind(ctx context.Context, tx pgx.Tx, p *eventspb.InKindRecorded, at time.Time) error {
	if err := ids("contribution", p.GetId(), "budget", p.GetBudgetId(), "partnership", p.GetPartnershipId()); err != nil {
		return err
	}
	day, err := protoDate("date", p.GetDate())
	if err != nil {
		return err
	}
	if day == nil {
		return malformed("the contribution has no date")
	}
	return exec(ctx, tx, `INSERT INTO in_kind (id, budget_id, partnership_id, work_date, hours, value_minor, as_of_time)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET hours = EXCLUDED.hours, value_minor = EXCLUDED.value_minor,
		work_date = EXCLUDED.work_date, as_of_time = EXCLUDED.as_of_time`, p.GetId(), p.GetBudgetId(), p.GetPartnershipId(), day,
		p.GetHours(), minor(p.GetValue()), at)
}

// Reset empties every read model, the cursors and the parked events: the start of a rebuild.
func Reset(ctx context.Context, tx pgx.Tx) error {
	return exec(ctx, tx, `TRUNCATE partnership_summaries, organizations, applications, compliance, networks, network_members,
		budgets, budget_lines, claims, claim_lines, in_kind, reports, documents, consumer_cursors, parked_events`)
}

// networkCluster is n's cluster's word, as the read model stores every cluster ("east_africa"). Events written
// before NetworkChanged had its enum cluster (9) carry only the word, in legacy_cluster (4); reading it when
// the enum is unset makes an old stream replay to the same rows as before.
func networkCluster(n *eventspb.NetworkChanged) string {
	if w := enumword.Word(n.GetCluster()); w != "" {
		return w
	}
	//lint:ignore SA1019 stored events carry only the deprecated word; it is read here and written nowhere
	return n.GetLegacyCluster()
}

// applicationState is a's state's word, as the read model stores every state ("running"). Events written
// before ApplicationChanged had its enum state (7) carry only the word, in legacy_status (4); reading it when
// the enum is unset makes an old stream replay to the same rows as before.
func applicationState(a *eventspb.ApplicationChanged) string {
	if w := enumword.Word(a.GetState()); w != "" {
		return w
	}
	//lint:ignore SA1019 stored events carry only the deprecated word; it is read here and written nowhere
	return a.GetLegacyStatus()
}
