package server

import (
	"errors"
	"testing"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
)

// roundTrips checks that every domain word names a value of the API enum E and comes back as the same word.
func roundTrips[E protoreflect.Enum, W ~string](t *testing.T, words []W) {
	t.Helper()
	if bad := enumword.Unmatched[E](words); len(bad) > 0 {
		var e E
		t.Errorf("%v have no value of their own in %s", bad, e.Descriptor().FullName())
	}
}

// TestDomainWordsAreEnumValues covers this service's enums and the programme's clusters, in which networks and
// the partnership service's answers name a cluster.
func TestDomainWordsAreEnumValues(t *testing.T) {
	roundTrips[pb.NetworkState](t, domain.Statuses())
	roundTrips[pb.ActivityKind](t, domain.ActivityKinds())
	roundTrips[typepb.Cluster](t, domain.Clusters())
}

// TestOutOfRangeYearsAreRefused: a year civil.ParseDate would refuse (0221, 20211) is refused on the field
// when the request is read.
func TestOutOfRangeYearsAreRefused(t *testing.T) {
	in := &pb.Network{DisplayName: "Climate", Theme: "Climate adaptation", Cluster: typepb.Cluster_CLUSTER_EAST_AFRICA,
		CohortStart: &date.Date{Year: 221, Month: 3, Day: 1}, DurationMonths: domain.DefaultDurationMonths}
	_, err := networkFromProto(in)
	var invalid *fault.Invalid
	if !errors.As(err, &invalid) || len(invalid.Violations) != 1 || invalid.Violations[0].Field != "network.cohort_start" {
		t.Fatalf("year 221: %v", err)
	}
}
