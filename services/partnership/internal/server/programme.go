package server

import (
	"context"
	"strconv"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/reference"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// ProgrammeServer implements partnerskap.partnership.v1.ProgrammeService: the programme's rules as data.
type ProgrammeServer struct {
	pb.UnimplementedProgrammeServiceServer
	pool *pgxpool.Pool
}

// NewProgramme returns a ProgrammeServer on the service's database.
func NewProgramme(pool *pgxpool.Pool) *ProgrammeServer { return &ProgrammeServer{pool: pool} }

// dateParam reads a YYYY-MM-DD query parameter; empty means today in Sweden, where the programme runs.
func dateParam(field, s string) (programme.Date, error) {
	if s == "" {
		return civil.DateOf(time.Now()), nil
	}
	d, err := civil.ParseDate(s)
	if err != nil {
		return d, fault.InvalidField(field, err.Error())
	}
	return d, nil
}

func countryToProto(c store.Country) *pb.CountryEligibility {
	name := ""
	if ref, ok := reference.CountryByCode(c.CountryCode); ok {
		name = ref.Name
	}
	return &pb.CountryEligibility{
		Id: c.ID, CountryCode: c.CountryCode, CountryName: name, Cluster: enumword.Of[typepb.Cluster](string(c.Cluster)),
		ValidFrom: civil.ToProto(c.Period.From), ValidTo: civil.ToProto(c.Period.To), Etag: c.ETag(),
		CreateTime: timestamppb.New(c.CreateTime), UpdateTime: timestamppb.New(c.UpdateTime), Creator: c.Creator, Updater: c.Updater,
	}
}

// ListCountries lists the countries eligible on a date, or every period when all_versions is set.
func (s *ProgrammeServer) ListCountries(ctx context.Context, req *pb.ListCountriesRequest) (*pb.ListCountriesResponse, error) {
	on, err := dateParam("date", req.GetDate())
	if err != nil {
		return nil, err
	}
	cluster := programme.Cluster(enumword.Word(req.GetCluster()))
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), on.String(), strconv.FormatBool(req.GetAllVersions()), string(cluster))
	if err != nil {
		return nil, err
	}
	all, err := store.ListCountries(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	var chosen []store.Country
	for _, c := range all {
		if (req.GetAllVersions() || c.Period.Contains(on)) && (cluster == "" || c.Cluster == cluster) {
			chosen = append(chosen, c)
		}
	}
	resp := &pb.ListCountriesResponse{Date: on.String()}
	// Country codes are two capital letters and days are written year first, so the key sorts as the list does.
	chosen, resp.NextPageToken = page.Slice(cursor, chosen, func(c store.Country) string { return c.CountryCode + "/" + c.Period.From.String() })
	for _, c := range chosen {
		resp.Countries = append(resp.Countries, countryToProto(c))
	}
	return resp, nil
}

func countryFromProto(in *pb.CountryEligibility) (programme.CountryEligibility, error) {
	from, err := civil.FromProto("country.valid_from", in.GetValidFrom())
	if err != nil {
		return programme.CountryEligibility{}, err
	}
	to, err := civil.FromProto("country.valid_to", in.GetValidTo())
	if err != nil {
		return programme.CountryEligibility{}, err
	}
	c := programme.CountryEligibility{CountryCode: in.GetCountryCode(), Cluster: programme.Cluster(enumword.Word(in.GetCluster())), Period: programme.Period{From: from, To: to}}
	return c, c.Validate("country")
}

// CreateCountryEligibility adds a period of eligibility.
func (s *ProgrammeServer) CreateCountryEligibility(ctx context.Context, req *pb.CreateCountryEligibilityRequest) (*pb.CountryEligibility, error) {
	c, err := countryFromProto(req.GetCountry())
	if err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.CountryEligibility, error) {
		stored, err := store.CreateCountry(ctx, tx, c, record.ActorFrom(ctx))
		return countryToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// UpdateCountryEligibility changes a period's cluster or dates.
func (s *ProgrammeServer) UpdateCountryEligibility(ctx context.Context, req *pb.UpdateCountryEligibilityRequest) (*pb.CountryEligibility, error) {
	in := req.GetCountry()
	if in == nil {
		return nil, required("country")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, []string{"cluster", "valid_from", "valid_to"})
	if err != nil {
		return nil, err
	}
	from, err := civil.FromProto("country.valid_from", in.GetValidFrom())
	if err != nil {
		return nil, err
	}
	to, err := civil.FromProto("country.valid_to", in.GetValidTo())
	if err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.CountryEligibility, error) {
		stored, err := store.UpdateCountry(ctx, tx, req.GetId(), httpmeta.IfMatch(ctx, in.GetEtag()), record.ActorFrom(ctx), func(c *programme.CountryEligibility) error {
			for _, p := range paths {
				switch p {
				case "cluster":
					c.Cluster = programme.Cluster(enumword.Word(in.GetCluster()))
				case "valid_from":
					c.Period.From = from
				case "valid_to":
					c.Period.To = to
				}
			}
			return c.Validate("country")
		})
		return countryToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

func ruleSetToProto(r store.RuleSet) *pb.ProgrammeRules {
	out := &pb.ProgrammeRules{
		Id: r.ID, ValidFrom: civil.ToProto(r.Period.From), ValidTo: civil.ToProto(r.Period.To),
		InceptionTeam: teamRuleToProto(r.InceptionTeam), ProjectTeam: teamRuleToProto(r.ProjectTeam),
		Visits:     &pb.VisitRule{MinMeetingsPerYear: int32(r.Visits.MinMeetingsPerYear), MinHostedPerParty: int32(r.Visits.MinHostedPerParty)},
		Reports:    &pb.ReportRule{PartialMonthsAfterYear: int32(r.Reports.PartialMonthsAfterYear), FinalMonthsAfterEnd: int32(r.Reports.FinalMonthsAfterEnd)},
		Reminders:  &pb.ReminderRule{DaysBefore: int32s(r.Reminders.DaysBefore)},
		CreateTime: timestamppb.New(r.CreateTime), Creator: r.Creator,
	}
	for _, k := range programme.ApplicationKinds() {
		if d, ok := r.Durations[k]; ok {
			out.Durations = append(out.Durations, &pb.DurationRule{Kind: enumword.Of[pb.ApplicationKind](string(k)), MinMonths: int32(d.MinMonths), MaxMonths: int32(d.MaxMonths)})
		}
	}
	return out
}

func teamRuleToProto(t programme.TeamRule) *pb.TeamRule {
	return &pb.TeamRule{MajorityPoliticians: int32(t.MajorityPoliticians), OppositionPoliticians: int32(t.OppositionPoliticians),
		OfficialsMin: int32(t.OfficialsMin), OfficialsMax: int32(t.OfficialsMax), ProjectManagers: int32(t.ProjectManagers)}
}

func teamRuleFromProto(t *pb.TeamRule) programme.TeamRule {
	return programme.TeamRule{MajorityPoliticians: int(t.GetMajorityPoliticians()), OppositionPoliticians: int(t.GetOppositionPoliticians()),
		OfficialsMin: int(t.GetOfficialsMin()), OfficialsMax: int(t.GetOfficialsMax()), ProjectManagers: int(t.GetProjectManagers())}
}

// GetProgrammeRules returns the rules in force on a date.
func (s *ProgrammeServer) GetProgrammeRules(ctx context.Context, req *pb.GetProgrammeRulesRequest) (*pb.ProgrammeRules, error) {
	on, err := dateParam("date", req.GetDate())
	if err != nil {
		return nil, err
	}
	all, err := store.ListRuleSets(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if r.Period.Contains(on) {
			return ruleSetToProto(r), nil
		}
	}
	_, err = programme.RuleSetOn(nil, on)
	return nil, err
}

// CreateProgrammeRules adds a version of the rules.
func (s *ProgrammeServer) CreateProgrammeRules(ctx context.Context, req *pb.CreateProgrammeRulesRequest) (*pb.ProgrammeRules, error) {
	in := req.GetRules()
	from, err := civil.FromProto("rules.valid_from", in.GetValidFrom())
	if err != nil {
		return nil, err
	}
	to, err := civil.FromProto("rules.valid_to", in.GetValidTo())
	if err != nil {
		return nil, err
	}
	r := programme.RuleSet{
		Period: programme.Period{From: from, To: to}, Durations: map[programme.ApplicationKind]programme.DurationRule{},
		InceptionTeam: teamRuleFromProto(in.GetInceptionTeam()), ProjectTeam: teamRuleFromProto(in.GetProjectTeam()),
		Visits:  programme.VisitRule{MinMeetingsPerYear: int(in.GetVisits().GetMinMeetingsPerYear()), MinHostedPerParty: int(in.GetVisits().GetMinHostedPerParty())},
		Reports: programme.ReportRule{PartialMonthsAfterYear: int(in.GetReports().GetPartialMonthsAfterYear()), FinalMonthsAfterEnd: int(in.GetReports().GetFinalMonthsAfterEnd())},
	}
	if in.GetReports() == nil {
		r.Reports = programme.DefaultReportRule()
	}
	r.Reminders = programme.ReminderRule{DaysBefore: ints(in.GetReminders().GetDaysBefore())}
	if in.GetReminders() == nil {
		r.Reminders = programme.DefaultReminderRule()
	}
	for _, d := range in.GetDurations() {
		r.Durations[programme.ApplicationKind(enumword.Word(d.GetKind()))] = programme.DurationRule{MinMonths: int(d.GetMinMonths()), MaxMonths: int(d.GetMaxMonths())}
	}
	if err := r.Validate("rules"); err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.ProgrammeRules, error) {
		stored, err := store.CreateRuleSet(ctx, tx, r, record.ActorFrom(ctx))
		return ruleSetToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "")
	return out, nil
}

// EndProgrammeRules sets the last day of a version.
func (s *ProgrammeServer) EndProgrammeRules(ctx context.Context, req *pb.EndProgrammeRulesRequest) (*pb.ProgrammeRules, error) {
	last, err := dateParam("valid_to", req.GetValidTo())
	if err != nil {
		return nil, err
	}
	return idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.ProgrammeRules, error) {
		stored, err := store.EndRuleSet(ctx, tx, req.GetId(), last, record.ActorFrom(ctx))
		return ruleSetToProto(stored), err
	})
}

func windowToProto(w store.Window) *pb.ApplicationWindow {
	return &pb.ApplicationWindow{Id: w.ID, Kind: enumword.Of[pb.ApplicationKind](string(w.Kind)), Opens: civil.ToProto(w.Period.From), Closes: civil.ToProto(w.Period.To),
		CreateTime: timestamppb.New(w.CreateTime), Creator: w.Creator}
}

// ListApplicationWindows lists the windows that close on or after a date, soonest first.
func (s *ProgrammeServer) ListApplicationWindows(ctx context.Context, req *pb.ListApplicationWindowsRequest) (*pb.ListApplicationWindowsResponse, error) {
	from, err := dateParam("date", req.GetDate())
	if err != nil {
		return nil, err
	}
	kind := programme.ApplicationKind(enumword.Word(req.GetKind()))
	// The token is bound to the date as the caller wrote it (empty for today), so it stays valid past midnight.
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), req.GetDate(), string(kind))
	if err != nil {
		return nil, err
	}
	all, err := store.ListWindows(ctx, s.pool, kind, from)
	if err != nil {
		return nil, err
	}
	// Windows are a few a year, so the list is read whole and paged by key: a window created between two
	// pages neither repeats nor hides another.
	var after []store.Window
	for _, w := range all {
		if windowKey(w) > cursor.After {
			after = append(after, w)
		}
	}
	after = after[:min(len(after), cursor.Limit())]
	resp := &pb.ListApplicationWindowsResponse{}
	after, resp.NextPageToken = page.Close(cursor, after, windowKey)
	for _, w := range after {
		resp.Windows = append(resp.Windows, windowToProto(w))
	}
	return resp, nil
}

// windowKey orders windows as the list does, soonest first, as a string that sorts the same way: the
// opening day (fixed width) and then the id.
func windowKey(w store.Window) string { return w.Period.From.String() + "/" + w.ID }

// CreateApplicationWindow adds a window.
func (s *ProgrammeServer) CreateApplicationWindow(ctx context.Context, req *pb.CreateApplicationWindowRequest) (*pb.ApplicationWindow, error) {
	in := req.GetWindow()
	opens, err := civil.FromProto("window.opens", in.GetOpens())
	if err != nil {
		return nil, err
	}
	closes, err := civil.FromProto("window.closes", in.GetCloses())
	if err != nil {
		return nil, err
	}
	w := programme.Window{Kind: programme.ApplicationKind(enumword.Word(in.GetKind())), Period: programme.Period{From: opens, To: closes}}
	if err := w.Validate("window"); err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.ApplicationWindow, error) {
		stored, err := store.CreateWindow(ctx, tx, w, record.ActorFrom(ctx))
		return windowToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "")
	return out, nil
}

// int32s and ints convert lists of small numbers between the protos and the domain.
func int32s(ns []int) []int32 {
	out := make([]int32, len(ns))
	for i, n := range ns {
		out[i] = int32(n)
	}
	return out
}

func ints(ns []int32) []int {
	out := make([]int, len(ns))
	for i, n := range ns {
		out[i] = int(n)
	}
	return out
}
