package server

import (
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
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
