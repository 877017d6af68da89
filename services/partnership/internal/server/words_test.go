package server

import (
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
)

// roundTrips checks that every domain word names a value of the API enum E and comes back as the same word.
func roundTrips[E protoreflect.Enum, W ~string](t *testing.T, words []W) {
	t.Helper()
	if bad := enumword.Unmatched[E](words); len(bad) > 0 {
		var e E
		t.Errorf("%v have no value of their own in %s", bad, e.Descriptor().FullName())
	}
}

func TestDomainWordsAreEnumValues(t *testing.T) {
	roundTrips[pb.OrganizationKind](t, domain.OrgKinds())
	roundTrips[pb.PartnershipState](t, domain.States())
	roundTrips[pb.CoreArea](t, domain.CoreAreas())
	roundTrips[typepb.Cluster](t, programme.Clusters())
	roundTrips[pb.ApplicationKind](t, programme.ApplicationKinds())
	roundTrips[pb.ApplicationState](t, programme.ApplicationStatuses())
	roundTrips[pb.MemberRole](t, programme.MemberRoles())
	roundTrips[pb.ResultLevel](t, []programme.ResultLevel{programme.LevelOutput, programme.LevelOutcome})
	roundTrips[pb.IndicatorMeasure](t, []programme.Measure{programme.MeasureUnit, programme.MeasurePercentage,
		programme.MeasureNominal, programme.MeasureOrdinal, programme.MeasureQualitative})
	roundTrips[pb.ReportKind](t, []programme.ReportKind{programme.ReportPartial, programme.ReportFinal})
	roundTrips[pb.ReportState](t, programme.ReportStatuses())
}
