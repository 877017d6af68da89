package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// Every write of this package that other services need to know of ends with emit, so each committed change
// has its events (platform/outbox): the whole state of the organisation, partnership, application or
// partnership-year of compliance, which a consumer may apply twice without harm. A change whose facts live
// in another's event emits that one again: a country's eligibility restates its partnerships (their
// cluster), a visit or a steering-group change restates compliance. Teams, windows and rule versions have
// no event.
//
// outbox.Append takes the event's seq, which puts the events of changes that waited for each other in the
// order the changes were made only when it is taken after the change's locks; so emit comes after the
// change's own writes and locks, including the locks taken here to read what an event derives from other rows.

// emit appends events to the change's transaction, as written by a: the same actor as the change's audit
// row, also when the change has no request behind it (demo data, the programme's defaults).
func emit(ctx context.Context, tx pgx.Tx, a Actor, events ...proto.Message) error {
	for _, e := range events {
		if err := outbox.Append(ctx, tx, a, e); err != nil {
			return err
		}
	}
	return nil
}

func organizationChanged(o Organization) *eventspb.OrganizationChanged {
	e := &eventspb.OrganizationChanged{Id: o.ID, DisplayName: o.Name, Kind: string(o.Kind)}
	if s := o.Swedish; s != nil {
		e.OrgNumber, e.CountryCode = string(s.OrgNumber), "SE"
	}
	if i := o.International; i != nil {
		e.CountryCode = i.CountryCode
	}
	return e
}

// lockCountries keeps the countries' eligibility from changing until the transaction ends. Every event
// that carries a cluster reads it under this lock, so a change of a country's cluster (which holds a
// stronger lock on the table, lockRules) either commits before the event is computed or waits for it and
// then restates the partnerships of that country itself: the stream never ends on a stale cluster. The
// lock is shared among such readers.
func lockCountries(ctx context.Context, tx pgx.Tx) ([]programme.CountryEligibility, error) {
	if _, err := tx.Exec(ctx, `LOCK TABLE country_eligibility IN SHARE MODE`); err != nil {
		return nil, fmt.Errorf("lock countries: %w", err)
	}
	cs, err := ListCountries(ctx, tx)
	return eligibilities(cs), err
}

// LockForEvents takes, up front, the locks under which the events of organisations and partnerships are
// computed, for a transaction that writes several changes: an event is appended after every lock of its
// transaction (platform/outbox), and the second change's locks would otherwise come after the first event.
func LockForEvents(ctx context.Context, tx pgx.Tx) error {
	_, err := lockCountries(ctx, tx)
	return err
}

// partnershipEvent is p's whole state, with its international party's country code and the cluster the
// partnership answers with (Partnership.place; CLUSTER_UNSPECIFIED when the country is not, or no longer,
// eligible on the eligibility date). p must have been placed under lockCountries.
func partnershipEvent(p Partnership) *eventspb.PartnershipChanged {
	e := &eventspb.PartnershipChanged{Id: p.ID, Title: p.Title, State: enumword.Of[pb.PartnershipState](string(p.State)),
		SwedishOrganizationId: p.SwedishOrgID, InternationalOrganizationId: p.InternationalOrgID, ThirdOrganizationId: p.ThirdOrgID,
		Challenge: p.Challenge, SdgTargets: p.SDGTargets, CountryCode: p.CountryCode, CreateTime: timestamppb.New(p.CreateTime),
		Cluster: enumword.Of[typepb.Cluster](string(p.Cluster))}
	for _, a := range p.CoreAreas {
		e.CoreAreas = append(e.CoreAreas, enumword.Of[pb.CoreArea](string(a)))
	}
	return e
}

// partnershipChanged places p under the locks and emits it after a change of p itself, so the answer to the
// change carries the cluster its event does.
func partnershipChanged(ctx context.Context, tx pgx.Tx, p *Partnership, a Actor) error {
	code, periods, err := lockPlacement(ctx, tx, p.InternationalOrgID)
	if err != nil {
		return err
	}
	p.CountryCode = code
	p.place(periods)
	return emit(ctx, tx, a, partnershipEvent(*p))
}

// lockPlacement takes the locks a partnership's event is computed under and reads what places it: the
// country of its international party (orgID) and that country's eligibility periods. The party's row is
// share-locked for the same reason as the countries (lockCountries): a change of its country waits for this
// transaction, or this one for it, and then restates the partnership. The three statements go to the
// database together, in one round trip, in the order of the locks.
func lockPlacement(ctx context.Context, tx pgx.Tx, orgID string) (string, []programme.CountryEligibility, error) {
	batch := &pgx.Batch{}
	var code string
	batch.Queue(`SELECT country_code FROM organizations WHERE id = $1 FOR SHARE`, orgID).QueryRow(func(r pgx.Row) error {
		return r.Scan(&code)
	})
	batch.Queue(`LOCK TABLE country_eligibility IN SHARE MODE`)
	var periods []programme.CountryEligibility
	batch.Queue(`SELECT country_code, cluster, valid_from, valid_to FROM country_eligibility
		WHERE country_code = (SELECT country_code FROM organizations WHERE id = $1)`, orgID).Query(func(rows pgx.Rows) error {
		var err error
		periods, err = pgx.CollectRows(rows, scanPeriod)
		return err
	})
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return "", nil, fmt.Errorf("place the partnership of %s: %w", orgID, err)
	}
	return code, periods, nil
}

// partnershipsRestated returns the events of the partnerships whose international party is orgID, or, with
// orgID empty, any organisation in the country code, after a change of that party's country (to code) or of
// that country's eligibility. The organisations are read without a lock: the change itself holds the lock
// that partnershipChanged waits for (the organisation's row, or the eligibility table), so no two
// transactions wait for each other's locks in opposite orders.
func partnershipsRestated(ctx context.Context, tx pgx.Tx, orgID, code string) ([]proto.Message, error) {
	countries, err := lockCountries(ctx, tx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT `+partnershipColumns+` FROM partnerships WHERE international_organization_id IN
		(SELECT id FROM organizations WHERE CASE WHEN $1 = '' THEN country_code = $2 ELSE id = NULLIF($1, '')::uuid END)
		ORDER BY id`, orgID, code)
	if err != nil {
		return nil, fmt.Errorf("partnerships in %s: %w", code, err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Partnership, error) { return scanPartnership(r) })
	if err != nil {
		return nil, fmt.Errorf("partnerships in %s: %w", code, err)
	}
	out := make([]proto.Message, len(ps))
	for i, p := range ps {
		p.place(countries)
		out[i] = partnershipEvent(p)
	}
	return out, nil
}

func applicationChanged(a Application) *eventspb.ApplicationChanged {
	return &eventspb.ApplicationChanged{Id: a.ID, PartnershipId: a.PartnershipID, Kind: enumword.Of[pb.ApplicationKind](string(a.Kind)),
		State: enumword.Of[pb.ApplicationState](string(a.Status)), StartDate: civil.ToProto(a.Start), EndDate: civil.ToProto(a.End),
		// Still written beside the enum: a reporting service of the release before reads only the word, and
		// during a rolling upgrade it may be the one consuming.
		//lint:ignore SA1019 written for consumers of the release before, which read nothing else
		LegacyStatus: string(a.Status), Results: resultsToEvent(a.Content)}
}

// resultsToEvent is an application's results framework as the event carries it: each expected result with
// its indicators' baselines and targets, without the comments and methods a report reader does not need.
func resultsToEvent(c programme.Content) []*eventspb.ResultState {
	var out []*eventspb.ResultState
	for _, o := range c.Objectives {
		for _, r := range o.Results {
			rs := &eventspb.ResultState{Id: r.ID, ObjectiveId: o.ID, Level: enumword.Of[pb.ResultLevel](string(r.Level)), Statement: r.Statement}
			for _, ind := range r.Indicators {
				rs.Indicators = append(rs.Indicators, &eventspb.IndicatorState{Id: ind.ID, Name: ind.Name,
					Measure: enumword.Of[pb.IndicatorMeasure](string(ind.Measure)), Unit: ind.Unit,
					BaselineValue: ind.Baseline.Number, BaselineDate: civil.ToProto(ind.Baseline.On),
					TargetValue: ind.Target.Number, TargetDate: civil.ToProto(ind.Target.On)})
			}
			out = append(out, rs)
		}
	}
	return out
}

// reportChanged is a report's whole state as the event carries it.
func reportChanged(r Report) *eventspb.ReportChanged {
	e := &eventspb.ReportChanged{Id: r.ID, PartnershipId: r.PartnershipID, ApplicationId: r.ApplicationID,
		Kind: enumword.Of[pb.ReportKind](string(r.Kind)), Year: int32(r.Year), State: enumword.Of[pb.ReportState](string(r.Status))}
	for _, v := range r.Indicators {
		e.Values = append(e.Values, &eventspb.IndicatorValueState{IndicatorId: v.IndicatorID, Value: v.Value.Number,
			Date: civil.ToProto(v.Value.On), Comment: v.Value.Comment})
	}
	return e
}

// documentChanged is a document's record as the event carries it.
func documentChanged(d Document) *eventspb.DocumentChanged {
	return &eventspb.DocumentChanged{Id: d.ID, PartnershipId: d.PartnershipID, ReportId: d.ReportID,
		Kind: enumword.Of[pb.DocumentKind](d.Kind), FileName: d.FileName, ContentType: d.ContentType, Public: d.Public}
}

// complianceChanged returns the compliance events of partnership p for year or, with year 0, for the current
// year (in Sweden) and every year with visits: after a change of the steering group, whose balance is part
// of every year's. Each year is measured as the service's compliance answer measures it
// (programme.Compliance): the visits starting in the year against the visit rule in force at its end, or
// today for a year not yet over; a year no version of the rules covers cannot comply. The caller holds p's
// row lock (LockPartnership), which every change of its visits and steering group takes, so the counts
// include every change committed before this one.
func complianceChanged(ctx context.Context, tx pgx.Tx, p Partnership, year int) ([]proto.Message, error) {
	var parties []programme.Party
	for _, id := range []string{p.SwedishOrgID, p.InternationalOrgID, p.ThirdOrgID} {
		if id != "" {
			parties = append(parties, programme.Party{OrgID: id})
		}
	}
	stored, err := ListVisits(ctx, tx, p.ID)
	if err != nil {
		return nil, err
	}
	steering, err := ListMembers(ctx, tx, p.ID, "")
	if err != nil {
		return nil, err
	}
	rules, err := ListRuleSets(ctx, tx)
	if err != nil {
		return nil, err
	}
	visits := DomainVisits(stored)
	today := civil.DateOf(time.Now())
	years := []int{year}
	if year == 0 {
		years = []int{today.Year}
		for _, v := range visits {
			years = append(years, v.Start.Year)
		}
		slices.Sort(years)
		years = slices.Compact(years)
	}
	balanced := len(programme.CheckSteeringGroup(parties, SteeringMembers(steering))) == 0
	out := make([]proto.Message, 0, len(years))
	for _, y := range years {
		on := programme.Date{Year: y, Month: 12, Day: 31}
		if on.After(today) {
			on = today
		}
		r, noRules := programme.RuleSetOn(ruleSets(rules), on)
		c := programme.Compliance(r.Visits, parties, visits, []int{y})[0]
		// Every visit is a meeting of the parties (programme.md: "the parties meet through exchange trips"),
		// so the two counts agree; visits is what consumers show, meetings what the rule counts.
		out = append(out, &eventspb.ComplianceChanged{PartnershipId: p.ID, Year: int32(y), Meetings: int32(c.Meetings),
			Visits: int32(c.Meetings), Compliant: noRules == nil && c.Compliant(), SteeringGroupBalanced: balanced})
	}
	return out, nil
}
