package server

import (
	"strings"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
)

// dateFromProto reads a google.type.Date field; unset is the zero date. An impossible date (2025-02-30) is
// refused on the field.
func dateFromProto(field string, d *date.Date) (domain.Date, error) {
	if d == nil || (d.Year == 0 && d.Month == 0 && d.Day == 0) {
		return domain.Date{}, nil
	}
	parsed, err := civil.ParseDate(time.Date(int(d.Year), time.Month(d.Month), int(d.Day), 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
	if err != nil || parsed.Month != time.Month(d.Month) || parsed.Day != int(d.Day) {
		return domain.Date{}, fault.InvalidField(field, "not a calendar date")
	}
	return parsed, nil
}

func dateToProto(d domain.Date) *date.Date {
	if d.IsZero() {
		return nil
	}
	return &date.Date{Year: int32(d.Year), Month: int32(d.Month), Day: int32(d.Day)}
}

func statusToProto(s domain.Status) pb.NetworkStatus {
	return pb.NetworkStatus(pb.NetworkStatus_value["NETWORK_STATUS_"+strings.ToUpper(string(s))])
}

func networkToProto(n store.Network) *pb.Network {
	out := &pb.Network{
		Id: n.ID, DisplayName: n.Name, Theme: n.Theme, Cluster: string(n.Cluster), CohortStart: dateToProto(n.CohortStart),
		DurationMonths: int32(n.DurationMonths), Status: statusToProto(n.Status), Coordinator: n.CoordinatorSubject,
		ResearchAdvisor: n.ResearchAdvisor, CommunicationContact: n.CommunicationContact, Etag: store.ETag(n.Version),
		CreateTime: timestamppb.New(n.CreateTime), UpdateTime: timestamppb.New(n.UpdateTime), Creator: n.Creator, Updater: n.Updater,
	}
	if !n.CohortStart.IsZero() {
		out.EndDate = dateToProto(n.End())
	}
	for _, e := range n.Experts {
		out.Experts = append(out.Experts, &pb.Expert{Name: e.Name, Field: e.Field, Organization: e.Organization})
	}
	return out
}

// networkFromProto reads the caller's network; Validate checks it afterwards.
func networkFromProto(in *pb.Network) (domain.Network, error) {
	start, err := dateFromProto("network.cohort_start", in.GetCohortStart())
	if err != nil {
		return domain.Network{}, err
	}
	n := domain.Network{Name: strings.TrimSpace(in.GetDisplayName()), Theme: strings.TrimSpace(in.GetTheme()), Cluster: domain.Cluster(in.GetCluster()),
		CohortStart: start, DurationMonths: int(in.GetDurationMonths()), CoordinatorSubject: in.GetCoordinator(),
		ResearchAdvisor: in.GetResearchAdvisor(), CommunicationContact: in.GetCommunicationContact()}
	for _, e := range in.GetExperts() {
		n.Experts = append(n.Experts, domain.Expert{Name: e.GetName(), Field: e.GetField(), Organization: e.GetOrganization()})
	}
	return n, nil
}

func membershipToProto(m store.Membership) *pb.Membership {
	return &pb.Membership{NetworkId: m.NetworkID, PartnershipId: m.PartnershipID, Joined: dateToProto(m.Joined),
		Removed: dateToProto(m.Removed), RemovalReason: m.RemovalReason, Creator: m.Creator}
}

func activityKindFromProto(k pb.ActivityKind) domain.ActivityKind {
	if k == pb.ActivityKind_ACTIVITY_KIND_UNSPECIFIED {
		return ""
	}
	return domain.ActivityKind(strings.ToLower(strings.TrimPrefix(k.String(), "ACTIVITY_KIND_")))
}

func activityToProto(a store.Activity) *pb.Activity {
	out := &pb.Activity{Id: a.ID, Kind: pb.ActivityKind(pb.ActivityKind_value["ACTIVITY_KIND_"+strings.ToUpper(string(a.Kind))]),
		Title: a.Title, StartDate: dateToProto(a.Start), EndDate: dateToProto(a.End), Host: a.Host, Outcomes: a.Outcomes, Links: a.Links,
		CreateTime: timestamppb.New(a.CreateTime), Creator: a.Creator}
	for _, p := range a.Participations {
		out.Participations = append(out.Participations, &pb.Participation{PartnershipId: p.PartnershipID, Participants: int32(p.Participants)})
	}
	return out
}
