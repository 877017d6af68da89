package service

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/schema"
)

// TestReadinessNeedsAMigratedDatabase: a service is ready only when its database answers and carries every
// migration, and stops being ready when the database goes away.
func TestReadinessNeedsAMigratedDatabase(t *testing.T) {
	migrations := fstest.MapFS{"00001_init.sql": {Data: []byte("-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n")}}
	url := pgtest.NewDatabase(t, nil)
	pool, err := postgres.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	ready := readiness(pool, migrations)
	if err := ready(context.Background()); err == nil {
		t.Fatal("ready before migrating")
	}
	if _, err := schema.Migrate(context.Background(), url, migrations); err != nil {
		t.Fatal(err)
	}
	if err := ready(context.Background()); err != nil {
		t.Fatalf("not ready after migrating: %v", err)
	}
	pool.Close()
	if err := ready(context.Background()); err == nil {
		t.Fatal("ready with the database gone")
	}
}
