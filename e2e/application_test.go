package e2e

import (
	"net/http"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// One application can be read on its own, with its ETag, by those who may see its partnership; another
// organisation's member gets the same 404 as for an application that does not exist.
func TestOneApplicationIsReadable(t *testing.T) {
	s := suite.Start(t, "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	stranger := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.vaxjo)}
	app := approvedInception(t, member, coordinator, d.partnership)

	path := "/v1/partnerships/" + d.partnership + "/applications/" + app
	got := member.do("GET", path, "").must(t, http.StatusOK)
	if got.str("id") != app || got.str("state") != "APPLICATION_STATE_APPROVED" || got.header.Get("ETag") == "" {
		t.Fatalf("GET one application: %v %s", got.header, got.raw)
	}
	hidden := stranger.do("GET", path, "").must(t, http.StatusNotFound)
	missing := stranger.do("GET", "/v1/partnerships/"+d.partnership+"/applications/01a249fa-5807-704b-ac2d-22e86a0c4e7d", "").must(t, http.StatusNotFound)
	if hidden.reason() != missing.reason() {
		t.Fatalf("a hidden application and a missing one answer differently: %s / %s", hidden.raw, missing.raw)
	}
	member.do("GET", "/v1/partnerships/"+d.partnership+"/applications/01a249fa-5807-704b-ac2d-22e86a0c4e7d", "").must(t, http.StatusNotFound)
}
