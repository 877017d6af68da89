package gateway

import (
	"context"
	"net"
	"sync"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	grpchealth "google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/requestid"
	networkv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

// fakeUpstream is an in-process gRPC server standing in for the services: it records what reaches it and
// answers with the metadata a real service sets.
type fakeUpstream struct {
	partnershipv1.UnimplementedPartnershipServiceServer
	addr   string
	health *grpchealth.Server

	mu    sync.Mutex
	calls int
	md    metadata.MD
}

// startUpstream serves the partnership and network services and grpc.health.v1 on a free port.
func startUpstream(t *testing.T) *fakeUpstream {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeUpstream{addr: ln.Addr().String(), health: grpchealth.NewServer()}
	srv := grpc.NewServer()
	partnershipv1.RegisterPartnershipServiceServer(srv, f)
	networkv1.RegisterNetworkServiceServer(srv, networkv1.UnimplementedNetworkServiceServer{})
	healthpb.RegisterHealthServer(srv, f.health)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	return f
}

// deadAddr returns an address where nothing listens.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func (f *fakeUpstream) record(ctx context.Context) {
	md, _ := metadata.FromIncomingContext(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.md = md
}

// seen returns how many calls arrived and the metadata of the last.
func (f *fakeUpstream) seen() (int, metadata.MD) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, f.md
}

// CreateOrganization answers 201 with an etag, and also sends internal metadata that must not leak.
func (f *fakeUpstream) CreateOrganization(ctx context.Context, req *partnershipv1.CreateOrganizationRequest) (*partnershipv1.Organization, error) {
	f.record(ctx)
	httpmeta.Created(ctx, "v1")
	md, _ := metadata.FromIncomingContext(ctx)
	_ = grpc.SetHeader(ctx, metadata.Pairs(requestid.Header, first(md.Get(requestid.Header)), "x-internal-host", "10.1.2.3:5432"))
	_ = grpc.SetTrailer(ctx, metadata.Pairs("x-internal-trailer", "secret"))
	return &partnershipv1.Organization{Id: "org-1", DisplayName: req.GetOrganization().GetDisplayName(), Etag: "v1"}, nil
}

// GetOrganization fails as a service's error mapper does, or waits for the deadline when asked to be slow.
func (f *fakeUpstream) GetOrganization(ctx context.Context, req *partnershipv1.GetOrganizationRequest) (*partnershipv1.Organization, error) {
	f.record(ctx)
	if req.GetId() == "slow" {
		<-ctx.Done()
		return nil, status.FromContextError(ctx.Err()).Err()
	}
	st, _ := status.New(codes.NotFound, "organization missing not found").WithDetails(
		&errdetails.ErrorInfo{Reason: "NOT_FOUND", Domain: "partnerskap"},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "id", Description: "no such organization"}}},
	)
	return nil, st.Err()
}

// UpdateOrganization answers 200 with the new etag.
func (f *fakeUpstream) UpdateOrganization(ctx context.Context, req *partnershipv1.UpdateOrganizationRequest) (*partnershipv1.Organization, error) {
	f.record(ctx)
	httpmeta.ETag(ctx, "v2")
	return &partnershipv1.Organization{Id: req.GetOrganization().GetId(), Etag: "v2"}, nil
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
