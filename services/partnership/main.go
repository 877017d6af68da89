// Command partnership serves the partnership service: organisations, partnerships and the programme's rules.
// Run `partnership env` for its settings.
package main

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	// The bucket drivers DOCUMENTS_BUCKET_URL may name: a directory for development and single machines,
	// the three clouds' object stores in production. Linked here only, so tests stay small.
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/gcsblob"
	_ "gocloud.dev/blob/memblob"
	_ "gocloud.dev/blob/s3blob"

	"github.com/partnerskap/partnerskap/platform/service"
	"github.com/partnerskap/partnerskap/platform/upstream"
	"github.com/partnerskap/partnerskap/services/partnership/internal/demo"
	"github.com/partnerskap/partnerskap/services/partnership/internal/documents"
	"github.com/partnerskap/partnerskap/services/partnership/internal/finance"
	"github.com/partnerskap/partnerskap/services/partnership/internal/server"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
	"github.com/partnerskap/partnerskap/services/partnership/migrations"
)

// settings are the partnership service's own environment variables.
type settings struct {
	Documents server.DocumentSettings
	Finance   upstream.FinanceSettings
}

func main() {
	own := settings{Documents: server.DefaultDocumentSettings(), Finance: upstream.DefaultFinanceSettings()}
	service.Main(service.Spec{
		Name:            "partnership",
		GRPCPort:        9091,
		Migrations:      migrations.FS,
		IdempotencyKeys: true,
		Settings:        &own,
		Register: func(s *grpc.Server, pool *pgxpool.Pool, _ service.Settings) (io.Closer, error) {
			bucket, err := documents.Open(context.Background(), own.Documents.BucketURL)
			if err != nil {
				return nil, err
			}
			conn, err := upstream.DialFinance(own.Finance)
			if err != nil {
				_ = bucket.Close()
				return nil, err
			}
			server.Register(s, pool, server.Deps{Bucket: bucket, MaxDocumentBytes: own.Documents.MaxBytes, Finances: finance.New(conn)})
			// Bytes an erasure could not delete (a crash after its commit, a bucket outage) are deleted now.
			if err := server.DeleteErasedBytes(context.Background(), pool, bucket); err != nil {
				slog.Warn("erased documents' files could not all be deleted; the next erasure or start tries again", "err", err)
			}
			return closers{bucket, conn}, nil
		},
		AfterMigrate: func(ctx context.Context, pool *pgxpool.Pool) error {
			// Windows for the years around now; an admin adds later ones through the API.
			year := time.Now().Year()
			if err := store.EnsureDefaults(ctx, pool, year-1, year+4); err != nil {
				return err
			}
			// Data from before the outbox existed reaches the event stream, and so the reports.
			_, err := store.Backfill(ctx, pool)
			return err
		},
		Seed: demo.Load,
	})
}

// closers closes each of its closers, returning the first error.
type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
