package server

import (
	"errors"
	"testing"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
)

// roundTrips checks that every domain word names a value of the API enum E (enumword.Of) and comes back as
// the same word (enumword.Word): a word without a value would reach clients as UNSPECIFIED.
func roundTrips[E protoreflect.Enum, W ~string](t *testing.T, words []W) {
	t.Helper()
	for _, w := range words {
		v := enumword.Of[E](string(w))
		if v.Number() == 0 {
			t.Errorf("%q has no value in %s", w, v.Descriptor().FullName())
			continue
		}
		if back := W(enumword.Word(v)); back != w {
			t.Errorf("%q becomes %v and comes back as %q", w, v, back)
		}
	}
}

// TestDomainWordsAreEnumValues covers this service's enums and the partnership service's clusters, which a
// candidate's country cluster is read from.
func TestDomainWordsAreEnumValues(t *testing.T) {
	roundTrips[pb.NetworkStatus](t, domain.Statuses())
	roundTrips[pb.ActivityKind](t, domain.ActivityKinds())
	roundTrips[partnershippb.Cluster](t, domain.Clusters())
}

// TestOutOfRangeYearsAreRefused: civil.FromProto accepts any year, so a year civil.ParseDate would refuse
// (0221, 20211) is refused by the domain's validation, on the same field.
func TestOutOfRangeYearsAreRefused(t *testing.T) {
	in := &pb.Network{DisplayName: "Climate", Theme: "Climate adaptation", Cluster: string(domain.ClusterEastAfrica),
		CohortStart: &date.Date{Year: 221, Month: 3, Day: 1}, DurationMonths: domain.DefaultDurationMonths}
	n, err := networkFromProto(in)
	if err != nil {
		t.Fatal(err)
	}
	var invalid *fault.Invalid
	if err := n.Validate("network"); !errors.As(err, &invalid) {
		t.Fatalf("year 221: %v", err)
	}
	found := false
	for _, v := range invalid.Violations {
		found = found || v.Field == "network.cohort_start"
	}
	if !found {
		t.Errorf("year 221 is not refused on network.cohort_start: %v", invalid)
	}
	if _, err := networkFromProto(&pb.Network{CohortStart: &date.Date{Year: 2025, Month: 2, Day: 30}}); !errors.As(err, &invalid) ||
		invalid.Violations[0].Field != "network.cohort_start" {
		t.Errorf("2025-02-30: %v", err)
	}
}
