package server

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// The API's enums and the domain's words name the same things; the domain words are the enum names without
// their prefix, in lower case (ORGANIZATION_KIND_LOCAL_FEDERATION is "local_federation"): see platform/enumword.

func coreAreasFromProto(areas []pb.CoreArea) []domain.CoreArea {
	out := make([]domain.CoreArea, 0, len(areas))
	for _, a := range areas {
		out = append(out, domain.CoreArea(enumword.Word(a)))
	}
	return out
}

func coreAreasToProto(areas []domain.CoreArea) []pb.CoreArea {
	out := make([]pb.CoreArea, 0, len(areas))
	for _, a := range areas {
		out = append(out, enumword.Of[pb.CoreArea](string(a)))
	}
	return out
}

// organizationFromProto reads the caller's organisation. The organisation number is kept as typed: Validate
// parses it and explains what is wrong, and the server normalises it afterwards.
func organizationFromProto(o *pb.Organization) domain.Organization {
	d := domain.Organization{ID: o.GetId(), Kind: domain.OrgKind(enumword.Word(o.GetKind())), Name: o.GetDisplayName()}
	if s := o.GetSwedish(); s != nil {
		d.Swedish = &domain.SwedishDetails{OrgNumber: domain.OrgNumber(s.GetOrgNumber()), MunicipalityCode: s.GetMunicipalityCode(), CountyCode: s.GetCountyCode()}
	}
	if i := o.GetInternational(); i != nil {
		d.International = &domain.InternationalDetails{CountryCode: i.GetCountryCode(), GovernmentKind: i.GetGovernmentKind()}
	}
	return d
}

func organizationToProto(o store.Organization) *pb.Organization {
	out := &pb.Organization{
		Id: o.ID, Kind: enumword.Of[pb.OrganizationKind](string(o.Kind)), DisplayName: o.Name, Etag: o.ETag(),
		CreateTime: timestamppb.New(o.CreateTime), UpdateTime: timestamppb.New(o.UpdateTime),
		Creator: o.Creator, Updater: o.Updater,
	}
	if s := o.Swedish; s != nil {
		sw := &pb.SwedishDetails{OrgNumber: s.OrgNumber.String(), MunicipalityCode: s.MunicipalityCode, CountyCode: s.CountyCode}
		sw.MunicipalityName, _ = o.MunicipalityName()
		sw.CountyName, _ = o.CountyName()
		out.Details = &pb.Organization_Swedish{Swedish: sw}
	}
	if i := o.International; i != nil {
		in := &pb.InternationalDetails{CountryCode: i.CountryCode, GovernmentKind: i.GovernmentKind}
		in.CountryName, _ = o.CountryName()
		out.Details = &pb.Organization_International{International: in}
	}
	return out
}

func partnershipFromProto(p *pb.Partnership) domain.Partnership {
	return domain.Partnership{
		ID: p.GetId(), SwedishOrgID: p.GetSwedishOrganizationId(), InternationalOrgID: p.GetInternationalOrganizationId(),
		Title: p.GetTitle(), Challenge: p.GetChallenge(), CoreAreas: coreAreasFromProto(p.GetCoreAreas()),
		SDGTargets: p.GetSdgTargets(), ThirdOrgID: p.GetThirdOrganizationId(),
	}
}

func partnershipToProto(p store.Partnership) *pb.Partnership {
	return &pb.Partnership{
		Id: p.ID, SwedishOrganizationId: p.SwedishOrgID, InternationalOrganizationId: p.InternationalOrgID,
		Title: p.Title, Challenge: p.Challenge, CoreAreas: coreAreasToProto(p.CoreAreas), SdgTargets: p.SDGTargets,
		State: enumword.Of[pb.PartnershipState](string(p.State)), Etag: p.ETag(),
		CreateTime: timestamppb.New(p.CreateTime), UpdateTime: timestamppb.New(p.UpdateTime),
		Creator: p.Creator, Updater: p.Updater,
		ThirdOrganizationId: p.ThirdOrgID, EligibilityDate: civil.ToProto(p.EligibilityDate),
		CountryCode: p.CountryCode, Cluster: enumword.Of[typepb.Cluster](string(p.Cluster)),
	}
}

func transitionToProto(t store.TransitionRecord) *pb.PartnershipTransition {
	return &pb.PartnershipTransition{
		Transition: string(t.Transition), FromState: enumword.Of[pb.PartnershipState](string(t.From)), ToState: enumword.Of[pb.PartnershipState](string(t.To)),
		Actor: t.Actor, ActorRole: t.ActorRole, Reason: t.Reason, Time: timestamppb.New(t.Time), RequestId: t.RequestID,
	}
}
