package server

import (
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
)

func networkToProto(n store.Network) *pb.Network {
	out := &pb.Network{
		Id: n.ID, DisplayName: n.Name, Theme: n.Theme, Cluster: enumword.Of[typepb.Cluster](string(n.Cluster)), CohortStart: civil.ToProto(n.CohortStart),
		DurationMonths: int32(n.DurationMonths), State: enumword.Of[pb.NetworkState](string(n.Status)), Coordinator: n.CoordinatorSubject,
		ResearchAdvisor: n.ResearchAdvisor, CommunicationContact: n.CommunicationContact, Etag: record.ETag(n.Version),
		CreateTime: timestamppb.New(n.CreateTime), UpdateTime: timestamppb.New(n.UpdateTime), Creator: n.Creator, Updater: n.Updater,
	}
	if !n.CohortStart.IsZero() {
		out.EndDate = civil.ToProto(n.End())
	}
	for _, e := range n.Experts {
		out.Experts = append(out.Experts, &pb.Expert{Name: e.Name, Field: e.Field, Organization: e.Organization})
	}
	return out
}

// networkFromProto reads the caller's network; Validate checks it afterwards.
func networkFromProto(in *pb.Network) (domain.Network, error) {
	start, err := civil.FromProto("network.cohort_start", in.GetCohortStart())
	if err != nil {
		return domain.Network{}, err
	}
	n := domain.Network{Name: strings.TrimSpace(in.GetDisplayName()), Theme: strings.TrimSpace(in.GetTheme()), Cluster: domain.Cluster(enumword.Word(in.GetCluster())),
		CohortStart: start, DurationMonths: int(in.GetDurationMonths()), CoordinatorSubject: in.GetCoordinator(),
		ResearchAdvisor: in.GetResearchAdvisor(), CommunicationContact: in.GetCommunicationContact()}
	for _, e := range in.GetExperts() {
		n.Experts = append(n.Experts, domain.Expert{Name: e.GetName(), Field: e.GetField(), Organization: e.GetOrganization()})
	}
	return n, nil
}

func membershipToProto(m store.Membership) *pb.Membership {
	return &pb.Membership{NetworkId: m.NetworkID, PartnershipId: m.PartnershipID, Joined: civil.ToProto(m.Joined),
		Removed: civil.ToProto(m.Removed), RemovalReason: m.RemovalReason, Creator: m.Creator}
}

func activityToProto(a store.Activity) *pb.Activity {
	out := &pb.Activity{Id: a.ID, Kind: enumword.Of[pb.ActivityKind](string(a.Kind)),
		Title: a.Title, StartDate: civil.ToProto(a.Start), EndDate: civil.ToProto(a.End), Host: a.Host, Outcomes: a.Outcomes, Links: a.Links,
		CreateTime: timestamppb.New(a.CreateTime), Creator: a.Creator}
	for _, p := range a.Participations {
		out.Participations = append(out.Participations, &pb.Participation{PartnershipId: p.PartnershipID, Participants: int32(p.Participants)})
	}
	return out
}
