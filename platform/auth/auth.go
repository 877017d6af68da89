// Package auth identifies the caller of every Partnerskap API call from a bearer JSON Web Token.
//
// Production verifies tokens issued by an OpenID Connect provider against its published JSON Web Key Set;
// development signs and verifies its own tokens with an Ed25519 key kept under .run/, so that `make run`,
// `make token` and the tests need no identity provider. Either way the result is a Principal: who the caller
// is, which of the five roles it holds and, for members and partners, which organisation it belongs to.
// Authorization (what a role may do) is decided by each service, not here.
package auth

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Role is what a caller may do in the programme; the service checks it on every call.
type Role string

// The five roles of the conventions ("Who may do what"). The string values are what tokens carry in the
// "role" claim, so they must never change.
const (
	// RoleAdmin may do everything, including programme rules, countries and caps.
	RoleAdmin Role = "admin"
	// RoleCoordinator is ICLD programme staff: manages partnerships and networks, approves money and reports.
	RoleCoordinator Role = "coordinator"
	// RoleMember is staff of one Swedish organisation, named by the "org" claim.
	RoleMember Role = "member"
	// RolePartner is staff of one international organisation, named by the "org" claim.
	RolePartner Role = "partner"
	// RoleAuditor may read everything and change nothing.
	RoleAuditor Role = "auditor"
)

// Roles returns every role, in a fixed order, so tests and tools can cover each one without keeping their
// own list that could drift from this package.
func Roles() []Role {
	return []Role{RoleAdmin, RoleCoordinator, RoleMember, RolePartner, RoleAuditor}
}

// ParseRole turns the "role" claim (or a command-line flag) into a Role. It is exact and case-sensitive:
// a token that says "Admin" was not made for this system and is refused rather than guessed at.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles() {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// OrgScoped reports whether the role is tied to one organisation. Such callers must carry an "org" claim,
// and services must hide every other organisation's objects from them.
func (r Role) OrgScoped() bool { return r == RoleMember || r == RolePartner }

// Principal is the authenticated caller.
type Principal struct {
	// Issuer is the token's "iss": subjects are unique only within one issuer.
	Issuer string
	// Subject is the token's "sub": a stable id of the person or service, recorded as "who" on changes.
	Subject string
	// Role is what the caller may do.
	Role Role
	// Org is the organisation id; required for member and partner, empty otherwise (the verifier drops an
	// "org" claim on other roles so that no service can mistake an admin for an organisation's staff).
	Org string
	// Name is the optional display name claim ("name"); for people-facing audit trails only, never for
	// decisions.
	Name string
}

// NoOrganization is the scope of a member or partner whose org claim is not an organisation id: a UUID that
// no object carries, so such a caller sees nothing.
const NoOrganization = "00000000-0000-0000-0000-000000000000"

// Scope returns the organisation whose objects p may see: "" for the roles that see every organisation's
// (admin, coordinator, auditor), else p.Org, or NoOrganization when p.Org is not a UUID. It fails closed: a
// principal with no known role (a zero Principal) sees nothing. Services filter by it, so that a member or
// partner never learns of another organisation's objects.
func (p Principal) Scope() string {
	switch p.Role {
	case RoleAdmin, RoleCoordinator, RoleAuditor:
		return ""
	}
	if uuid.Validate(p.Org) != nil {
		return NoOrganization
	}
	return p.Org
}

// Sees reports whether p may know of an object whose parties are the organisations parties: staff and
// auditors see every object, members and partners those their organisation is a party to. It is the one
// statement of the visibility rule in Go; the stores' SQL filters (a condition on the party columns against
// Scope) say the same for lists.
func (p Principal) Sees(parties ...string) bool {
	scope := p.Scope()
	if scope == "" {
		return true
	}
	for _, org := range parties {
		if org == scope {
			return true
		}
	}
	return false
}

// Caller returns the principal in ctx, or the zero Principal, which may do and see nothing, when there is none.
func Caller(ctx context.Context) Principal {
	p, _ := FromContext(ctx)
	return p
}

// principalKey is unexported so that only this package can put a Principal into a context: nothing else can
// forge or overwrite the caller's identity by accident.
type principalKey struct{}

// WithPrincipal returns a context carrying p, for the server interceptor after Verify succeeds (and for tests
// that call handlers directly).
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the caller stored by WithPrincipal; ok is false on a call that was never authenticated,
// which handlers must treat as a programming error or an unauthenticated call, never as an anonymous admin.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Reasons carried by the *fault.Unauthenticated errors of this package. They are part of the API (clients
// may switch on them, e.g. to refresh an expired token), so they never change.
const (
	ReasonTokenMissing          = "TOKEN_MISSING"
	ReasonTokenMalformed        = "TOKEN_MALFORMED"
	ReasonTokenExpired          = "TOKEN_EXPIRED"
	ReasonTokenSignatureInvalid = "TOKEN_SIGNATURE_INVALID"
	ReasonTokenAudienceInvalid  = "TOKEN_AUDIENCE_INVALID"
	ReasonTokenIssuerInvalid    = "TOKEN_ISSUER_INVALID"
	ReasonTokenClaimsInvalid    = "TOKEN_CLAIMS_INVALID"
)

// unauthenticated builds the one error type this package returns to callers. Messages are fixed strings so
// that no part of a (possibly stolen) token ever reaches a log line or a response.
func unauthenticated(reason, message string) error {
	return &fault.Unauthenticated{Reason: reason, Message: message}
}

// BearerToken extracts the token from an "authorization" header (or gRPC metadata) value of the form
// "Bearer <token>". The scheme is case-insensitive as RFC 9110 requires; a missing or empty value is
// TOKEN_MISSING, any other scheme or a token with inner spaces is TOKEN_MALFORMED.
func BearerToken(header string) (string, error) {
	header = strings.TrimSpace(header)
	if header == "" {
		return "", unauthenticated(ReasonTokenMissing, "authorization header is missing")
	}
	scheme, token, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", unauthenticated(ReasonTokenMalformed, "authorization header must use the Bearer scheme")
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return "", unauthenticated(ReasonTokenMissing, "bearer token is empty")
	}
	if strings.ContainsAny(token, " \t\r\n") {
		return "", unauthenticated(ReasonTokenMalformed, "bearer token must not contain spaces")
	}
	return token, nil
}
