// Command barestack is the yardstick of `make bench-load`: the same read as the product's partnership read, on
// the bare stack alone. One query through pgxpool answered over gRPC, and grpc-gateway in a process of its
// own in front of it, with no authentication, authorization, validation, audit, metrics or logs. What the
// product reads per second against what this reads per second is what the product's features cost.
//
//	barestack grpc <listen address> <database URL>
//	barestack rest <listen address> <gRPC address>
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: barestack grpc <addr> <database URL> | barestack rest <addr> <gRPC address>")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "grpc":
		err = serveGRPC(os.Args[2], os.Args[3])
	case "rest":
		err = serveREST(os.Args[2], os.Args[3])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "barestack:", err)
		os.Exit(1)
	}
}

// reader answers GetPartnership with one query and nothing else.
type reader struct {
	pb.UnimplementedPartnershipServiceServer
	pool *pgxpool.Pool
}

func (r reader) GetPartnership(ctx context.Context, req *pb.GetPartnershipRequest) (*pb.Partnership, error) {
	p := &pb.Partnership{}
	err := r.pool.QueryRow(ctx, `SELECT id::text, title, swedish_organization_id::text, international_organization_id::text, challenge
		FROM partnerships WHERE id = $1`, req.GetId()).Scan(&p.Id, &p.Title, &p.SwedishOrganizationId, &p.InternationalOrganizationId, &p.Challenge)
	return p, err
}

func serveGRPC(addr, databaseURL string) error {
	pool, err := pgxpool.New(context.Background(), databaseURL)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s := grpc.NewServer()
	pb.RegisterPartnershipServiceServer(s, reader{pool: pool})
	return s.Serve(ln)
}

func serveREST(addr, grpcAddr string) error {
	mux := runtime.NewServeMux()
	err := pb.RegisterPartnershipServiceHandlerFromEndpoint(context.Background(), mux, grpcAddr,
		[]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())})
	if err != nil {
		return err
	}
	return http.ListenAndServe(addr, mux)
}
