// Package server is the partnership service's gRPC layer: it translates requests into domain values, checks
// who may see and change what, and runs the store's functions in transactions. Rules live in package domain;
// SQL lives in package store.
package server

import (
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"
	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/audit"
	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/services/partnership/internal/documents"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// Server implements partnerskap.partnership.v1.PartnershipService.
type Server struct {
	pb.UnimplementedPartnershipServiceServer
	pool *pgxpool.Pool
}

// New returns a Server on the service's database.
func New(pool *pgxpool.Pool) *Server { return &Server{pool: pool} }

// Deps are what the partnership service's servers use besides the database.
type Deps struct {
	// Bucket keeps documents' bytes, each at most MaxDocumentBytes.
	Bucket           *documents.Bucket
	MaxDocumentBytes int64
	// Finances gives reports their financial part; nil leaves it out.
	Finances Finances
}

// Register adds every gRPC service the partnership service serves to s: its four APIs, its event stream and
// its audit log, all on pool.
func Register(s grpc.ServiceRegistrar, pool *pgxpool.Pool, deps Deps) {
	pb.RegisterPartnershipServiceServer(s, New(pool))
	pb.RegisterProgrammeServiceServer(s, NewProgramme(pool))
	pb.RegisterCooperationServiceServer(s, NewCooperation(pool).WithFinances(deps.Finances).WithBucket(deps.Bucket))
	pb.RegisterDocumentServiceServer(s, NewDocuments(pool, deps.Bucket, deps.MaxDocumentBytes))
	eventspb.RegisterEventServiceServer(s, outbox.NewServer(pool, "partnership"))
	auditpb.RegisterAuditServiceServer(s, audit.NewServer(pool, "partnership"))
}

// visible reports whether p may know that partnership exists: staff and auditors see all, members and
// partners only the partnerships their organisation is a party to.
func visible(p auth.Principal, ps store.Partnership) bool {
	return p.Sees(ps.SwedishOrgID, ps.InternationalOrgID)
}

// hidden is the answer to a caller that may not know a partnership exists: the same as if it did not.
func hidden(id string) error { return &fault.NotFound{Kind: "partnership", ID: id} }

// timeNow is the clock of the rules that depend on today (application windows, compliance years).
var timeNow = time.Now

// fieldIndex names the i-th element of a repeated field, as protovalidate does: "members[2]".
func fieldIndex(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

// required reports a missing message field.
func required(field string) error {
	return fault.InvalidField(field, fmt.Sprintf("%s is required", field))
}
