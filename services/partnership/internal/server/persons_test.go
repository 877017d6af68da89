package server

import (
	"context"
	"testing"

	authpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/auth/v1"
	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
)

// People are recorded by an admin and found again by their tokens' subject; a person changes only their own
// language and preferences; an erasure takes their name and address and tells the stream, by id.
func TestPeople(t *testing.T) {
	f := newFixture(t)
	coop := NewCooperation(f.srv.pool)
	anna := &pb.Person{Subject: "anna@malmo", DisplayName: "Anna Andersson", Email: "anna.andersson@malmo.se", Language: "en",
		Role: authpb.Role_ROLE_MEMBER, OrganizationIds: []string{f.swedish.Id}}
	created, err := coop.CreatePerson(admin, &pb.CreatePersonRequest{Person: anna})
	if err != nil {
		t.Fatal(err)
	}
	if created.GetLanguage() != "en" || created.GetEtag() == "" || created.GetNotifications().GetNoReminders() {
		t.Fatalf("the new person: %v", created)
	}
	_, err = coop.CreatePerson(admin, &pb.CreatePersonRequest{Person: anna})
	if c := wantFault[*fault.Conflict](t, err); c.Reason != "SUBJECT_TAKEN" {
		t.Fatalf("a second person with the subject: %v", c)
	}
	bad := &pb.Person{Subject: "x", DisplayName: "X", Email: "not an address", Language: "de", Role: authpb.Role_ROLE_COORDINATOR,
		OrganizationIds: []string{f.swedish.Id}}
	_, err = coop.CreatePerson(admin, &pb.CreatePersonRequest{Person: bad})
	inv := wantFault[*fault.Invalid](t, err)
	fields := map[string]bool{}
	for _, v := range inv.Violations {
		fields[v.Field] = true
	}
	if !fields["person.email"] || !fields["person.language"] || !fields["person.organization_ids"] {
		t.Errorf("an address, a language and a coordinator for an organisation: %v", inv)
	}

	// Anna's own token finds her; she changes her language and turns the digest off, nothing else.
	me := auth.WithPrincipal(context.Background(), auth.Principal{Subject: "anna@malmo", Role: auth.RoleMember, Org: f.swedish.Id})
	got, err := coop.GetMe(me, &pb.GetMeRequest{})
	if err != nil || got.GetId() != created.GetId() {
		t.Fatalf("me: %v %v", got, err)
	}
	changed, err := coop.UpdateMe(me, &pb.UpdateMeRequest{Person: &pb.Person{Language: "sv", Notifications: &pb.NotificationPreferences{NoWeeklyDigest: true}}})
	if err != nil || changed.GetLanguage() != "sv" || !changed.GetNotifications().GetNoWeeklyDigest() {
		t.Fatalf("me, changed: %v %v", changed, err)
	}
	if still, err := coop.UpdateMe(me, &pb.UpdateMeRequest{Person: &pb.Person{Role: authpb.Role_ROLE_ADMIN}}); err != nil || still.GetRole() != authpb.Role_ROLE_MEMBER {
		t.Fatalf("a person's role is not theirs to change: %v %v", still, err)
	}
	if _, err := coop.GetMe(as(auth.RoleMember, f.swedish.Id), &pb.GetMeRequest{}); err == nil {
		t.Error("a subject with no person found one")
	}

	// Erased: name and address go, the stream is told by id only.
	before := len(stream(t, f.srv.pool, 0))
	if _, err := coop.ErasePerson(admin, &pb.ErasePersonRequest{Email: "Anna.Andersson@malmo.se", Reason: "she asked"}); err != nil {
		t.Fatal(err)
	}
	erased, err := coop.GetPerson(admin, &pb.GetPersonRequest{Id: created.GetId()})
	if err != nil || !erased.GetErased() || erased.GetEmail() != "" || erased.GetDisplayName() != "erased" {
		t.Fatalf("the erased person: %v %v", erased, err)
	}
	var told bool
	for _, e := range stream(t, f.srv.pool, 0)[before:] {
		var pe eventspb.PersonErased
		if e.GetPayload().UnmarshalTo(&pe) == nil && pe.GetId() == created.GetId() {
			told = true
		}
	}
	if !told {
		t.Error("no PersonErased event")
	}
}
