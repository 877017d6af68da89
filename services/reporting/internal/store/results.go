package store

import (
	"context"
	"fmt"
	"math/big"
	"sort"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
)

// Framework is an application's results framework with what its approved reports said of each indicator.
type Framework struct {
	ApplicationID string
	Results       []*eventspb.ResultState
	// Actuals are the values the approved reports gave, per indicator id, oldest report year first.
	Actuals map[string][]Actual
}

// Actual is the value an approved report gave an indicator.
type Actual struct {
	Year  int
	Value *eventspb.IndicatorValueState
}

// Frameworks reads the results frameworks of the applications ids, with their approved reports' values.
func Frameworks(ctx context.Context, q Querier, ids []string) (map[string]*Framework, error) {
	rows, err := q.Query(ctx, `SELECT a.id::text, a.framework, `+approvedValues("a.id")+`
		FROM applications a WHERE a.id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("results frameworks: %w", err)
	}
	defer rows.Close()
	out := map[string]*Framework{}
	for rows.Next() {
		var id string
		var framework []byte
		var years []int32
		var values [][]byte
		if err := rows.Scan(&id, &framework, &years, &values); err != nil {
			return nil, fmt.Errorf("results frameworks: %w", err)
		}
		f, err := decodeFramework(id, framework, years, values)
		if err != nil {
			return nil, err
		}
		out[id] = &f
	}
	return out, rows.Err()
}

// approvedValues is the two columns decodeFramework reads of the approved reports of the application whose id
// is the SQL expression app: their years and their encoded values, oldest year first, a final report after
// the year's partial one.
func approvedValues(app string) string {
	const approved = `FROM reports r WHERE r.application_id = %[1]s AND r.status = 'approved' ORDER BY r.year, r.kind DESC, r.id`
	return fmt.Sprintf(`ARRAY(SELECT r.year `+approved+`), ARRAY(SELECT r.report_values `+approved+`)`, app)
}

// decodeFramework reads an application's stored framework and its approved reports' values (years[i] is
// the year of values[i], oldest first).
func decodeFramework(id string, framework []byte, years []int32, values [][]byte) (Framework, error) {
	var a eventspb.ApplicationChanged
	if err := proto.Unmarshal(framework, &a); err != nil {
		return Framework{}, fmt.Errorf("the results framework of application %s: %w", id, err)
	}
	f := Framework{ApplicationID: id, Results: a.GetResults(), Actuals: map[string][]Actual{}}
	for i, data := range values {
		var rep eventspb.ReportChanged
		if err := proto.Unmarshal(data, &rep); err != nil {
			return Framework{}, fmt.Errorf("the values of a report of application %s: %w", id, err)
		}
		for _, v := range rep.GetValues() {
			f.Actuals[v.GetIndicatorId()] = append(f.Actuals[v.GetIndicatorId()], Actual{Year: int(years[i]), Value: v})
		}
	}
	return f, nil
}

// indicatorLines are a partnership's indicators, application by application in the order given, each with
// the latest value an approved report gave.
func indicatorLines(apps []string, frameworks map[string]*Framework) []*pb.IndicatorLine {
	var out []*pb.IndicatorLine
	for _, app := range apps {
		f := frameworks[app]
		if f == nil {
			continue
		}
		for _, r := range f.Results {
			for _, ind := range r.GetIndicators() {
				line := &pb.IndicatorLine{ApplicationId: app, ResultId: r.GetId(), Level: r.GetLevel(), IndicatorId: ind.GetId(),
					Name: ind.GetName(), Measure: ind.GetMeasure(), Unit: ind.GetUnit(), BaselineValue: ind.GetBaselineValue(),
					BaselineDate: ind.GetBaselineDate(), TargetValue: ind.GetTargetValue(), TargetDate: ind.GetTargetDate()}
				if actuals := f.Actuals[ind.GetId()]; len(actuals) > 0 {
					latest := actuals[len(actuals)-1]
					line.LatestValue, line.LatestDate, line.LatestYear = latest.Value.GetValue(), latest.Value.GetDate(), int32(latest.Year)
				}
				out = append(out, line)
			}
		}
	}
	return out
}

// reportLines are a partnership's reports, by year, then partial before final.
func reportLines(ctx context.Context, q Querier, partnershipID string) ([]*pb.ReportLine, error) {
	rows, err := q.Query(ctx, `SELECT id::text, application_id::text, kind, year, status FROM reports WHERE partnership_id = $1`, partnershipID)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	lines, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*pb.ReportLine, error) {
		l := &pb.ReportLine{}
		var kind, state string
		err := row.Scan(&l.ReportId, &l.ApplicationId, &kind, &l.Year, &state)
		l.Kind, l.State = enumword.Of[partnershippb.ReportKind](kind), enumword.Of[partnershippb.ReportState](state)
		return l, err
	})
	sort.SliceStable(lines, func(i, j int) bool {
		if lines[i].GetYear() != lines[j].GetYear() {
			return lines[i].GetYear() < lines[j].GetYear()
		}
		return lines[i].GetKind() < lines[j].GetKind()
	})
	return lines, err
}

// portfolioResults counts, per core area and per SDG target of the partnerships in the year's portfolio,
// their running applications' indicators: all of them, those an approved report of the year gave a value,
// and the counted ones whose value reached the target.
func portfolioResults(ctx context.Context, q Querier, scope string, year int) (byArea, byTarget []*pb.ResultsLine, err error) {
	rows, err := q.Query(ctx, `SELECT p.partnership_id::text, p.core_areas, p.sdg_targets,
			ARRAY(SELECT a.id::text FROM applications a WHERE a.partnership_id = p.partnership_id
				AND a.status IN ('approved', 'running', 'closed')
				AND a.start_date <= make_date($2, 12, 31) AND a.end_date >= make_date($2, 1, 1) ORDER BY a.id)
		FROM partnership_summaries p WHERE `+visibleTo+` ORDER BY 1`, scope, year)
	if err != nil {
		return nil, nil, fmt.Errorf("portfolio results: %w", err)
	}
	type partnership struct {
		areas, targets, apps []string
	}
	ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (partnership, error) {
		var p partnership
		var id string
		return p, row.Scan(&id, &p.areas, &p.targets, &p.apps)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("portfolio results: %w", err)
	}
	var all []string
	for _, p := range ps {
		all = append(all, p.apps...)
	}
	frameworks, err := Frameworks(ctx, q, all)
	if err != nil {
		return nil, nil, err
	}
	areas, targets := map[string]*pb.ResultsLine{}, map[string]*pb.ResultsLine{}
	for _, p := range ps {
		if len(p.apps) == 0 {
			continue
		}
		var n counts
		for _, app := range p.apps {
			if f := frameworks[app]; f != nil {
				n.add(f, year)
			}
		}
		for _, a := range p.areas {
			line := areas[a]
			if line == nil {
				line = &pb.ResultsLine{CoreArea: enumword.Of[partnershippb.CoreArea](a)}
				areas[a] = line
			}
			n.into(line)
		}
		for _, t := range p.targets {
			line := targets[t]
			if line == nil {
				line = &pb.ResultsLine{SdgTarget: t}
				targets[t] = line
			}
			n.into(line)
		}
	}
	for _, k := range sortedKeys(areas) {
		byArea = append(byArea, areas[k])
	}
	for _, k := range sortedKeys(targets) {
		byTarget = append(byTarget, targets[k])
	}
	return byArea, byTarget, nil
}

// counts are one partnership's indicators in a year.
type counts struct{ indicators, reported, reached int32 }

// add counts f's indicators: reported when an approved report of year gave one a value, reached when that
// value, a number, is at or past the target (past it upwards, or downwards for a target below the baseline).
func (n *counts) add(f *Framework, year int) {
	for _, r := range f.Results {
		for _, ind := range r.GetIndicators() {
			n.indicators++
			var latest *eventspb.IndicatorValueState
			for _, a := range f.Actuals[ind.GetId()] {
				if a.Year == year {
					latest = a.Value
				}
			}
			if latest == nil {
				continue
			}
			n.reported++
			if reached(ind.GetBaselineValue(), ind.GetTargetValue(), latest.GetValue()) {
				n.reached++
			}
		}
	}
}

func (n counts) into(line *pb.ResultsLine) {
	line.Partnerships++
	line.Indicators += n.indicators
	line.Reported += n.reported
	line.ReachedTarget += n.reached
}

// reached reports whether value has reached target, coming from baseline: decimal numbers as written; a
// value or target that is not a number (a qualitative indicator) never counts.
func reached(baseline, target, value string) bool {
	t, okT := new(big.Rat).SetString(target)
	v, okV := new(big.Rat).SetString(value)
	if !okT || !okV || target == "" || value == "" {
		return false
	}
	if b, ok := new(big.Rat).SetString(baseline); ok && baseline != "" && t.Cmp(b) < 0 {
		return v.Cmp(t) <= 0 // a target below the baseline is reached by coming down to it
	}
	return v.Cmp(t) >= 0
}
