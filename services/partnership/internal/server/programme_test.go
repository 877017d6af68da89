package server

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
)

func eligibleCodes(t *testing.T, s *ProgrammeServer, on string) []string {
	t.Helper()
	resp, err := s.ListCountries(admin, &pb.ListCountriesRequest{Date: on})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range resp.Countries {
		codes = append(codes, c.CountryCode)
	}
	return codes
}

// TestCountryEligibilityIsVersioned: an admin ends a country's eligibility and later readmits it; each date
// sees the version in force then, and overlapping versions are refused.
func TestCountryEligibilityIsVersioned(t *testing.T) {
	s := NewProgramme(withDefaults(t))
	if codes := eligibleCodes(t, s, "2026-01-01"); !slices.Contains(codes, "KE") || slices.Contains(codes, "VN") {
		t.Fatalf("defaults on 2026-01-01: %v", codes)
	}
	all, err := s.ListCountries(admin, &pb.ListCountriesRequest{AllVersions: true})
	if err != nil {
		t.Fatal(err)
	}
	var kenya *pb.CountryEligibility
	for _, c := range all.Countries {
		if c.CountryCode == "KE" {
			kenya = c
		}
	}
	ended, err := s.UpdateCountryEligibility(admin, &pb.UpdateCountryEligibilityRequest{Id: kenya.Id,
		Country: &pb.CountryEligibility{ValidTo: d(2026, 6, 30), Etag: kenya.Etag}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"valid_to"}}})
	if err != nil || ended.ValidTo.GetYear() != 2026 {
		t.Fatalf("end Kenya: %v %v", ended, err)
	}
	if codes := eligibleCodes(t, s, "2026-06-30"); !slices.Contains(codes, "KE") {
		t.Fatal("Kenya should be eligible on its last day")
	}
	if codes := eligibleCodes(t, s, "2026-07-01"); slices.Contains(codes, "KE") {
		t.Fatal("Kenya should not be eligible the day after its last day")
	}
	overlap := &pb.CountryEligibility{CountryCode: "KE", Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA, ValidFrom: d(2026, 6, 30)}
	var precondition *fault.FailedPrecondition
	if _, err := s.CreateCountryEligibility(admin, &pb.CreateCountryEligibilityRequest{Country: overlap}); !errors.As(err, &precondition) || precondition.Reason != "PERIOD_OVERLAP" {
		t.Fatalf("an overlapping period: %v", err)
	}
	overlap.ValidFrom = d(2027, 1, 1)
	if _, err := s.CreateCountryEligibility(admin, &pb.CreateCountryEligibilityRequest{Country: overlap}); err != nil {
		t.Fatalf("readmit Kenya: %v", err)
	}
	if codes := eligibleCodes(t, s, "2027-01-01"); !slices.Contains(codes, "KE") {
		t.Fatal("Kenya should be eligible again in 2027")
	}
}

func TestProgrammeRulesOnADate(t *testing.T) {
	s := NewProgramme(withDefaults(t))
	rules, err := s.GetProgrammeRules(admin, &pb.GetProgrammeRulesRequest{Date: "2026-01-01"})
	if err != nil || len(rules.Durations) != 5 || rules.Visits.MinMeetingsPerYear != 2 || rules.ProjectTeam.ProjectManagers != 1 {
		t.Fatalf("default rules: %v %v", rules, err)
	}
	var invalid *fault.Invalid
	if _, err := s.GetProgrammeRules(admin, &pb.GetProgrammeRulesRequest{Date: "2026-02-30"}); !errors.As(err, &invalid) {
		t.Fatalf("an impossible date: %v", err)
	}
	if _, err := s.EndProgrammeRules(admin, &pb.EndProgrammeRulesRequest{Id: rules.Id, ValidTo: "2026-12-31"}); err != nil {
		t.Fatal(err)
	}
	var none *fault.FailedPrecondition
	if _, err := s.GetProgrammeRules(admin, &pb.GetProgrammeRulesRequest{Date: "2027-01-01"}); !errors.As(err, &none) {
		t.Fatalf("no rules in force: %v", err)
	}
}

func TestApplicationWindowsPageByKey(t *testing.T) {
	s := NewProgramme(withDefaults(t))
	req := &pb.ListApplicationWindowsRequest{Date: "2026-01-01", Kind: pb.ApplicationKind_APPLICATION_KIND_PROJECT, PageSize: 1}
	var opens []string
	for {
		resp, err := s.ListApplicationWindows(admin, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range resp.Windows {
			opens = append(opens, fmt.Sprintf("%d-%02d-%02d", w.Opens.Year, w.Opens.Month, w.Opens.Day))
		}
		if resp.NextPageToken == "" {
			break
		}
		req.PageToken = resp.NextPageToken
	}
	// withDefaults plans two windows a year for 2024-2030; from 2026 on that is ten, in order, each once.
	if len(opens) != 10 || opens[0] != "2026-02-15" || !slices.IsSorted(opens) {
		t.Fatalf("windows paged as %v", opens)
	}
}
