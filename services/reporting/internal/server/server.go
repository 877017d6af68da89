// Package server is the reporting service's gRPC layer: it checks who may see what and reads the read models
// through package store.
package server

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// Options are the report settings.
type Options struct {
	// ClaimWaitDays is how long a claim may wait for a decision before the compliance report lists it.
	ClaimWaitDays int
	// IATI describes the publisher of the IATI export.
	IATI IATIPublisher
}

// IATIPublisher is the reporting organisation of the IATI export.
type IATIPublisher struct {
	Ref, Name, Type string
	// DocumentBaseURL is where the public reaches the gateway (https://host): a public document is linked
	// as DocumentBaseURL + /v1/public/documents/{id}:download, which needs no token.
	DocumentBaseURL string
}

// Server implements partnerskap.reporting.v1.ReportingService.
type Server struct {
	pb.UnimplementedReportingServiceServer
	pool  *pgxpool.Pool
	opts  Options
	today func() civil.Date
}

// stockholm is the programme's time zone: "this year" is the Swedish calendar's.
var stockholm = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return loc
	}
	return time.UTC
}()

// Register adds the reporting service's API to s, on pool.
func Register(s grpc.ServiceRegistrar, pool *pgxpool.Pool, opts Options) {
	pb.RegisterReportingServiceServer(s, New(pool, opts))
}

// New returns a Server on the service's database.
func New(pool *pgxpool.Pool, opts Options) *Server {
	return &Server{pool: pool, opts: opts, today: func() civil.Date { return civil.DateOf(time.Now().In(stockholm)) }}
}
