package server

import (
	"fmt"
	"testing"
	"time"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// BenchmarkCreatePartnership measures one create through the server and the store: validation, both parties
// read and checked, the insert and its audit record, in one transaction on a real PostgreSQL.
//
//	go test -run '^$' -bench CreatePartnership -benchmem ./services/partnership/internal/server/
func BenchmarkCreatePartnership(b *testing.B) {
	srv := New(withDefaults(b))
	sw, err := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: malmo()})
	if err != nil {
		b.Fatal(err)
	}
	in, err := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: lusaka()})
	if err != nil {
		b.Fatal(err)
	}
	req := &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{SwedishOrganizationId: sw.Id, InternationalOrganizationId: in.Id,
		Title: "Benchmark", CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION}, SdgTargets: []string{"16.7", "16.6"}}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := srv.CreatePartnership(admin, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListPartnerships measures one page of 50 from a table of 1,000 partnerships.
//
//	go test -run '^$' -bench ListPartnerships -benchmem ./services/partnership/internal/server/
func BenchmarkListPartnerships(b *testing.B) {
	srv := New(withDefaults(b))
	sw, _ := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: malmo()})
	in, _ := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: lusaka()})
	for i := range 1000 {
		_, err := srv.CreatePartnership(admin, &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{SwedishOrganizationId: sw.Id,
			InternationalOrganizationId: in.Id, Title: fmt.Sprintf("Partnership %d", i), CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION}}})
		if err != nil {
			b.Fatal(err)
		}
	}
	first, _ := srv.ListPartnerships(admin, &pb.ListPartnershipsRequest{})
	req := &pb.ListPartnershipsRequest{PageToken: first.NextPageToken}
	b.ResetTimer()
	for b.Loop() {
		resp, err := srv.ListPartnerships(admin, req)
		if err != nil || len(resp.Partnerships) != 50 {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetPartnership measures one read of a partnership: the row, its international party's country and
// that country's eligibility periods in one query, placed in Go.
//
//	go test -run '^$' -bench GetPartnership -benchmem ./services/partnership/internal/server/
func BenchmarkGetPartnership(b *testing.B) {
	srv := New(withDefaults(b))
	sw, _ := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: malmo()})
	in, _ := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: lusaka()})
	p, err := srv.CreatePartnership(admin, &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{SwedishOrganizationId: sw.Id,
		InternationalOrganizationId: in.Id, Title: "Benchmark", CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION}}})
	if err != nil {
		b.Fatal(err)
	}
	req := &pb.GetPartnershipRequest{Id: p.Id}
	b.ResetTimer()
	for b.Loop() {
		if _, err := srv.GetPartnership(admin, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListDeadlines measures ICLD's deadlines of a year over 200 partnerships in inception, each with a
// planned visit: the windows, and per partnership its parties, applications, reports, visits and the year's
// compliance (which reuses the parties and visits already read).
//
//	go test -run '^$' -bench ListDeadlines -benchmem ./services/partnership/internal/server/
func BenchmarkListDeadlines(b *testing.B) {
	srv := New(withDefaults(b))
	coop := NewCooperation(srv.pool)
	sw, _ := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: malmo()})
	in, _ := srv.CreateOrganization(admin, &pb.CreateOrganizationRequest{Organization: lusaka()})
	next := civil.DateOf(time.Now()).AddDays(30)
	for i := range 200 {
		p, err := srv.CreatePartnership(admin, &pb.CreatePartnershipRequest{Partnership: &pb.Partnership{SwedishOrganizationId: sw.Id,
			InternationalOrganizationId: in.Id, Title: fmt.Sprintf("Partnership %d", i), CoreAreas: []pb.CoreArea{pb.CoreArea_CORE_AREA_PARTICIPATION}}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := srv.SubmitPartnership(admin, &pb.TransitionPartnershipRequest{Id: p.Id}); err != nil {
			b.Fatal(err)
		}
		if _, err := srv.ApprovePartnership(admin, &pb.TransitionPartnershipRequest{Id: p.Id}); err != nil {
			b.Fatal(err)
		}
		if _, err := coop.CreateVisit(admin, &pb.CreateVisitRequest{PartnershipId: p.Id, Visit: &pb.Visit{StartDate: civil.ToProto(next),
			EndDate: civil.ToProto(next), HostOrganizationId: in.Id, Travellers: []*pb.Travellers{{OrganizationId: sw.Id, Count: 2}},
			Purpose: "Planning", State: pb.VisitState_VISIT_STATE_PLANNED}}); err != nil {
			b.Fatal(err)
		}
	}
	today := civil.DateOf(time.Now())
	req := &typepb.DeadlinesRequest{From: civil.ToProto(today), To: civil.ToProto(today.AddDays(365))}
	b.ResetTimer()
	for b.Loop() {
		resp, err := coop.ListDeadlines(admin, req)
		if err != nil || len(resp.GetDeadlines()) < 400 {
			b.Fatalf("%d deadlines, %v", len(resp.GetDeadlines()), err)
		}
	}
}
