package server

import (
	"context"
	"testing"

	"google.golang.org/grpc"

	_ "gocloud.dev/blob/memblob"

	"github.com/partnerskap/partnerskap/platform/servertest"
	"github.com/partnerskap/partnerskap/services/partnership/internal/documents"
)

// memoryBucket is a documents bucket in memory, for the length of the test.
func memoryBucket(t *testing.T) *documents.Bucket {
	t.Helper()
	b, err := documents.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// Every RPC of the service, through the real interceptor chain, as every kind of caller: only the roles its
// proto declares get past authorization, and no empty request is answered with INTERNAL.
func TestEveryRPCAsEveryRole(t *testing.T) {
	pool := withDefaults(t)
	bucket := memoryBucket(t)
	servertest.RoleMatrix(t, "0190c5a2-8c6e-7000-8000-000000000001", func(s *grpc.Server) error {
		Register(s, pool, Deps{Bucket: bucket, MaxDocumentBytes: 1 << 20})
		return nil
	})
}
