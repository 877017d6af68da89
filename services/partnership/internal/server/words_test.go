package server

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
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

func TestDomainWordsAreEnumValues(t *testing.T) {
	roundTrips[pb.OrganizationKind](t, domain.OrgKinds())
	roundTrips[pb.PartnershipState](t, domain.States())
	roundTrips[pb.CoreArea](t, domain.CoreAreas())
	roundTrips[pb.Cluster](t, programme.Clusters())
	roundTrips[pb.ApplicationKind](t, programme.ApplicationKinds())
	roundTrips[pb.ApplicationStatus](t, programme.ApplicationStatuses())
	roundTrips[pb.MemberRole](t, programme.MemberRoles())
}

// TestDateFromProtoKeepsTheYearRange: besides what civil.FromProto refuses, the years civil.ParseDate refuses
// are refused on the field, since no rule of this service checks a date's year.
func TestDateFromProtoKeepsTheYearRange(t *testing.T) {
	for _, in := range []struct{ y, m, d int }{{221, 3, 1}, {20211, 3, 1}, {2025, 2, 30}, {2025, 13, 1}, {-1, 1, 1}} {
		_, err := dateFromProto("visit.start_date", d(in.y, in.m, in.d))
		var invalid *fault.Invalid
		if !errors.As(err, &invalid) || len(invalid.Violations) != 1 || invalid.Violations[0].Field != "visit.start_date" {
			t.Errorf("%v: %v, want INVALID_ARGUMENT on visit.start_date", in, err)
		}
	}
	for _, in := range []struct{ y, m, d int }{{1900, 1, 1}, {2200, 12, 31}, {2024, 2, 29}} {
		if got, err := dateFromProto("x", d(in.y, in.m, in.d)); err != nil || got.Year != in.y || int(got.Month) != in.m || got.Day != in.d {
			t.Errorf("%v: %v, %v", in, got, err)
		}
	}
	if got, err := dateFromProto("x", nil); err != nil || !got.IsZero() {
		t.Errorf("unset: %v, %v", got, err)
	}
}
