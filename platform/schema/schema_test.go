package schema_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/schema"
)

var service = fstest.MapFS{"00001_widgets.sql": {Data: []byte("-- +goose Up\nCREATE TABLE widgets (id int);\n-- +goose Down\nDROP TABLE widgets;\n")}}

// columns lists a table's columns in order.
func columns(t *testing.T, conn *pgx.Conn, table string) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), `SELECT column_name FROM information_schema.columns
		WHERE table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

func TestMigrateMakesThePlatformTablesThenTheServices(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t, nil)
	applied, err := schema.Migrate(ctx, url, service)
	if err != nil || len(applied) != 1 || applied[0] != 1 {
		t.Fatalf("Migrate = %v, %v; want the service's version 1 applied", applied, err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for table, want := range map[string]int{"outbox": 8, "audit_log": 9, "idempotency_keys": 5, "widgets": 1} {
		if got := columns(t, conn, table); len(got) != want {
			t.Errorf("%s has columns %v, want %d", table, got, want)
		}
	}
	var indexes int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE indexname IN ('audit_log_time', 'audit_log_resource',
		'audit_log_actor', 'audit_log_request', 'idempotency_keys_create_time')`).Scan(&indexes); err != nil || indexes != 5 {
		t.Fatalf("%d of the platform's 5 indexes (%v)", indexes, err)
	}
	pool, err := postgres.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if pending, err := schema.Pending(ctx, pool, service); err != nil || pending {
		t.Fatalf("Pending after Migrate = %v, %v", pending, err)
	}
	if again, err := schema.Migrate(ctx, url, service); err != nil || len(again) != 0 {
		t.Fatalf("a second Migrate = %v, %v; want nothing to do", again, err)
	}
}

// A database whose service made these tables itself, before the platform owned them (partnership's
// audit_log had no detail column at first), takes the platform's migration and ends with the same tables.
func TestMigrateAdoptsTablesAServiceMadeBefore(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t, nil)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE audit_log (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		time timestamptz NOT NULL, actor text NOT NULL, actor_role text NOT NULL, request_id text NOT NULL,
		action text NOT NULL, resource_kind text NOT NULL, resource_id uuid NOT NULL);
		INSERT INTO audit_log (time, actor, actor_role, request_id, action, resource_kind, resource_id)
		VALUES (now(), 'anna', 'admin', 'r1', 'create', 'organization', gen_random_uuid())`); err != nil {
		t.Fatal(err)
	}
	if _, err := schema.Migrate(ctx, url, nil); err != nil {
		t.Fatalf("Migrate over older tables: %v", err)
	}
	var detail string
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*), min(detail) FROM audit_log`).Scan(&n, &detail); err != nil || n != 1 || detail != "" {
		t.Fatalf("audit_log after adoption: %d rows, detail %q, %v; want the old row kept with an empty detail", n, detail, err)
	}
}
