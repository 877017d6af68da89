package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// TestIdempotentReplaysAreAsPrivateAsTheCall replays Idempotency-Keys through the gateway as an attacker and
// after an erasure would:
//   - a member of another organisation holding a token with the same subject (as development tokens once had)
//     replays a member's key and gets 404, as a fresh call would, not the first member's answer;
//   - after POST /v1/people:erase, replaying the key that added the person returns the erased person, never
//     the name or the address.
func TestIdempotentReplaysAreAsPrivateAsTheCall(t *testing.T) {
	s := suite.StartOn(t, "", "DEMO_DATA=true")
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	d := demo(t, admin)
	sameSubject := func(org string) client {
		tok, err := auth.IssueDevToken(s.Key, "", "", auth.Principal{Subject: "dev-member", Role: auth.RoleMember, Org: org}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return client{t: t, base: s.GatewayURL, token: tok}
	}
	malmo, vaxjo := sameSubject(d.malmo), sameSubject(d.vaxjo)

	path := "/v1/partnerships/" + d.partnership + "/steering-group/members"
	body := `{"organization_id":"` + d.malmo + `","display_name":"Karin Replay","email":"karin.replay@example.org","role":"MEMBER_ROLE_LEADING_OFFICIAL"}`
	const key = "replay-key-1"
	first := malmo.do("POST", path, body, "Idempotency-Key", key).must(t, http.StatusCreated)

	fresh := vaxjo.do("POST", path, body, "Idempotency-Key", "replay-key-2")
	replayed := vaxjo.do("POST", path, body, "Idempotency-Key", key)
	if fresh.status != http.StatusNotFound || replayed.status != http.StatusNotFound || strings.Contains(replayed.raw, "Karin") {
		t.Fatalf("another organisation's member: fresh key %d, replayed key %d %s; want 404 for both, nothing of the answer",
			fresh.status, replayed.status, replayed.raw)
	}
	if again := malmo.do("POST", path, body, "Idempotency-Key", key).must(t, http.StatusCreated); again.str("id") != first.str("id") {
		t.Fatalf("the key's owner got a new answer on replay: %s", again.raw)
	}

	admin.do("POST", "/v1/people:erase", `{"email":"Karin.Replay@example.org","reason":"the person asked"}`).must(t, http.StatusOK)
	after := malmo.do("POST", path, body, "Idempotency-Key", key).must(t, http.StatusCreated)
	if strings.Contains(after.raw, "Karin") || strings.Contains(after.raw, "karin.replay") || after.str("id") != first.str("id") {
		t.Fatalf("a replay after erasure returned the person: %s", after.raw)
	}
}
