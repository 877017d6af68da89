package e2e

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// TestBadInputIsRefusedAndWritesNothing sends every kind of bad request the foundation issue lists and checks
// each gets the right 4xx with a google.rpc.Status body, and that none of them wrote anything.
func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	s := startSuite(t)
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	malmo := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Malmö stad",
		"swedish":{"org_number":"2120001124","municipality_code":"1280"}}`).must(t, http.StatusCreated)
	lusaka := admin.do("POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
		"display_name":"Lusaka City Council","international":{"country_code":"ZM","government_kind":"city council"}}`).must(t, http.StatusCreated)
	partnership := admin.do("POST", "/v1/partnerships", `{"swedish_organization_id":"`+malmo.str("id")+`",
		"international_organization_id":"`+lusaka.str("id")+`","title":"Water","core_areas":["CORE_AREA_PARTICIPATION"]}`).must(t, http.StatusCreated)
	pid := partnership.str("id")
	goodPartnership := func(title, sdg string) string {
		return `{"swedish_organization_id":"` + malmo.str("id") + `","international_organization_id":"` + lusaka.str("id") +
			`","title":"` + title + `","core_areas":["CORE_AREA_PARTICIPATION"],"sdg_targets":["` + sdg + `"]}`
	}
	auditor := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAuditor, "")}
	validKid := kid(t, admin.token)

	cases := []struct {
		name      string
		c         client
		method    string
		path      string
		body      string
		headers   []string
		status    int
		wantField string
	}{
		{"malformed JSON", admin, "POST", "/v1/organizations", `{"kind":`, nil, 400, ""},
		{"wrong JSON type", admin, "POST", "/v1/organizations", `{"display_name":42}`, nil, 400, ""},
		{"unknown field", admin, "POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"X","colour":"red"}`, nil, 400, ""},
		{"body over 1 MiB", admin, "POST", "/v1/organizations", `{"display_name":"` + strings.Repeat("a", 1<<20) + `"}`, nil, 413, ""},
		{"invalid id", admin, "GET", "/v1/partnerships/not-a-uuid", "", nil, 400, "id"},
		{"unknown id", admin, "GET", "/v1/partnerships/0190c5a2-8c6e-7000-8000-000000000001", "", nil, 404, ""},
		{"check digit", admin, "POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Malmö",
			"swedish":{"org_number":"212000-1125","municipality_code":"1280"}}`, nil, 400, "organization.swedish.org_number"},
		{"unknown municipality", admin, "POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"Nowhere",
			"swedish":{"org_number":"212000-0662","municipality_code":"9999"}}`, nil, 400, "organization.swedish.municipality_code"},
		{"unknown country", admin, "POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
			"display_name":"Atlantis","international":{"country_code":"QQ","government_kind":"city"}}`, nil, 400, "organization.international.country_code"},
		{"unknown SDG target", admin, "POST", "/v1/partnerships", goodPartnership("Water", "16.99"), nil, 400, "partnership.sdg_targets[0]"},
		{"empty title", admin, "POST", "/v1/partnerships", goodPartnership("", "16.7"), nil, 400, "partnership.title"},
		{"blank title", admin, "POST", "/v1/partnerships", goodPartnership("   ", "16.7"), nil, 400, "partnership.title"},
		{"stale etag", admin, "PATCH", "/v1/partnerships/" + pid + "?update_mask=title", `{"title":"New","etag":"999"}`, nil, 409, ""},
		{"no token", client{t: t, base: s.GatewayURL}, "GET", "/v1/partnerships", "", nil, 401, ""},
		{"expired token", client{t: t, base: s.GatewayURL, token: sign(t, s.Key, validKid, adminClaims(auth.DefaultAudience, time.Now().Add(-time.Hour)))}, "GET", "/v1/partnerships", "", nil, 401, ""},
		{"alg none", client{t: t, base: s.GatewayURL, token: unsignedToken()}, "GET", "/v1/partnerships", "", nil, 401, ""},
		{"wrongly signed", client{t: t, base: s.GatewayURL, token: otherKeyToken(t)}, "GET", "/v1/partnerships", "", nil, 401, ""},
		{"wrong audience", client{t: t, base: s.GatewayURL, token: sign(t, s.Key, validKid, adminClaims("someone-else", time.Now().Add(time.Hour)))}, "GET", "/v1/partnerships", "", nil, 401, ""},
		{"role may not", auditor, "POST", "/v1/organizations", `{"kind":"ORGANIZATION_KIND_MUNICIPALITY","display_name":"X"}`, nil, 403, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.t = t
			got := tc.c.do(tc.method, tc.path, tc.body, tc.headers...)
			if got.status != tc.status {
				t.Fatalf("want %d, got %d: %.300s", tc.status, got.status, got.raw)
			}
			if _, ok := got.body["code"]; !ok || got.str("message") == "" {
				t.Fatalf("not a google.rpc.Status body: %.300s", got.raw)
			}
			if tc.wantField != "" && !slices.Contains(got.fields(), tc.wantField) {
				t.Fatalf("want a violation of %s, got %v in %.300s", tc.wantField, got.fields(), got.raw)
			}
			if strings.Contains(strings.ToLower(got.raw), "sql") || strings.Contains(got.raw, "goroutine") {
				t.Fatalf("internal detail leaked: %.300s", got.raw)
			}
		})
	}

	orgs := admin.do("GET", "/v1/organizations", "").must(t, http.StatusOK)
	parts := admin.do("GET", "/v1/partnerships", "").must(t, http.StatusOK)
	if len(list(orgs.body, "organizations")) != 2 || len(list(parts.body, "partnerships")) != 1 {
		t.Fatalf("bad input wrote something: %s %s", orgs.raw, parts.raw)
	}
	if got := admin.do("GET", "/v1/partnerships/"+pid, "").must(t, http.StatusOK); got.str("title") != "Water" {
		t.Fatalf("the stale PATCH changed the partnership: %s", got.raw)
	}
}

// kid returns the key id in a token's header, so a forged token can point at the real key.
func kid(t *testing.T, token string) string {
	t.Helper()
	head, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
	var h struct {
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(head, &h); err != nil {
		t.Fatal(err)
	}
	return h.Kid
}

func sign(t *testing.T, key any, keyID string, claims any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: key, KeyID: keyID}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type claims struct {
	jwt.Claims
	Role string `json:"role"`
}

func adminClaims(audience string, expiry time.Time) claims {
	return claims{Claims: jwt.Claims{Subject: "forger", Issuer: auth.DefaultDevIssuer, Audience: jwt.Audience{audience},
		Expiry: jwt.NewNumericDate(expiry), IssuedAt: jwt.NewNumericDate(expiry.Add(-2 * time.Hour))}, Role: "admin"}
}

func otherKeyToken(t *testing.T) string {
	other, err := auth.EnsureDevKey(t.TempDir() + "/other.pem")
	if err != nil {
		t.Fatal(err)
	}
	return sign(t, other, "", adminClaims(auth.DefaultAudience, time.Now().Add(time.Hour)))
}

func unsignedToken() string {
	enc := base64.RawURLEncoding.EncodeToString
	body, _ := json.Marshal(map[string]any{"sub": "forger", "role": "admin", "iss": auth.DefaultDevIssuer, "aud": auth.DefaultAudience, "exp": time.Now().Add(time.Hour).Unix()})
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(body) + "."
}
