// Package server is the partnership service's gRPC layer: it translates requests into domain values, checks
// who may see and change what, and runs the store's functions in transactions. Rules live in package domain;
// SQL lives in package store.
package server

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/requestid"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// Server implements partnerskap.partnership.v1.PartnershipService.
type Server struct {
	pb.UnimplementedPartnershipServiceServer
	pool *pgxpool.Pool
}

// New returns a Server on the service's database.
func New(pool *pgxpool.Pool) *Server { return &Server{pool: pool} }

// caller returns the authenticated principal; the authentication interceptor guarantees there is one.
func caller(ctx context.Context) auth.Principal {
	p, _ := auth.FromContext(ctx)
	return p
}

// actor is the caller as the store records it.
func actor(ctx context.Context) store.Actor {
	p := caller(ctx)
	return store.Actor{Subject: p.Subject, Role: string(p.Role), RequestID: requestid.From(ctx)}
}

// orgScope returns the organisation a member or partner is confined to, or "" for roles that see everything.
// An org claim that is not an organisation id matches nothing: the caller sees no partnership at all.
func orgScope(p auth.Principal) string {
	if !p.Role.OrgScoped() {
		return ""
	}
	if _, err := uuid.Parse(p.Org); err != nil {
		return uuid.Nil.String()
	}
	return p.Org
}

// visible reports whether p may know that partnership exists: staff and auditors see all, members and
// partners only the partnerships their organisation is a party to.
func visible(p auth.Principal, ps store.Partnership) bool {
	scope := orgScope(p)
	return scope == "" || scope == ps.SwedishOrgID || scope == ps.InternationalOrgID
}

// hidden is the answer to a caller that may not know a partnership exists: the same as if it did not.
func hidden(id string) error { return &fault.NotFound{Kind: "partnership", ID: id} }

// required reports a missing message field.
func required(field string) error {
	return fault.InvalidField(field, fmt.Sprintf("%s is required", field))
}
