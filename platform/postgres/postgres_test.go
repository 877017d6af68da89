package postgres_test

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

//go:embed testdata/migrations/*.sql
var migrationFiles embed.FS

// migrations is the test schema: 00001 makes items (with a named unique constraint), 00002 makes counters.
func migrations(t testing.TB) fs.FS {
	t.Helper()
	sub, err := fs.Sub(migrationFiles, "testdata/migrations")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func TestWithDatabase(t *testing.T) {
	tests := []struct {
		in, name, want string
		wantErr        bool
	}{
		{in: "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", name: "partnerskap_finance",
			want: "postgres://postgres@127.0.0.1:5432/partnerskap_finance?sslmode=disable"},
		{in: "postgresql://u:p%40ss@db.example:6543/app?sslmode=require&pool_max_conns=4", name: "x",
			want: "postgresql://u:p%40ss@db.example:6543/x?sslmode=require&pool_max_conns=4"},
		{in: "postgres://localhost", name: "a", want: "postgres://localhost/a"},
		{in: "postgres:///old?host=/var/run/postgresql", name: "new", want: "postgres:///new?host=/var/run/postgresql"},
		{in: "postgres://h/old", name: "we ird", want: "postgres://h/we%20ird"},
		{in: "host=localhost dbname=x", name: "y", wantErr: true},
		{in: "mysql://h/db", name: "y", wantErr: true},
		{in: "postgres://h/db", name: "", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := postgres.WithDatabase(tc.in, tc.name)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("WithDatabase(%q, %q) = %q, want an error", tc.in, tc.name, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("WithDatabase(%q, %q) = %q, %v; want %q", tc.in, tc.name, got, err, tc.want)
			}
		})
	}
}

func TestEnsureDatabaseCreatesOnceAndConnect(t *testing.T) {
	ctx := context.Background()
	// A database made by the harness stands in for "the server URL": EnsureDatabase connects to it.
	serverURL := pgtest.NewDatabase(t, nil)
	pool := connect(t, serverURL)
	name := "ptest_ensure_" + rand.Text()[:10]
	t.Cleanup(func() {
		drop := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
		if _, err := pool.Exec(context.Background(), drop); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	for i := range 2 {
		if err := postgres.EnsureDatabase(ctx, serverURL, name); err != nil {
			t.Fatalf("EnsureDatabase call %d: %v", i+1, err)
		}
	}
	dbURL, err := postgres.WithDatabase(serverURL+"&pool_max_conns=3", name)
	if err != nil {
		t.Fatal(err)
	}
	p2 := connect(t, dbURL)
	if got := p2.Config().MaxConns; got != 3 {
		t.Errorf("MaxConns with pool_max_conns=3 = %d, want 3", got)
	}
	var current string
	if err := p2.QueryRow(ctx, "SELECT current_database()").Scan(&current); err != nil || current != name {
		t.Fatalf("current_database() = %q, %v; want %q", current, err, name)
	}
	if got := pool.Config().MaxConns; got != postgres.DefaultMaxConns {
		t.Errorf("default MaxConns = %d, want %d", got, postgres.DefaultMaxConns)
	}
}

func TestConnectFailsOnMissingDatabase(t *testing.T) {
	dbURL, err := postgres.WithDatabase(pgtest.NewDatabase(t, nil), "ptest_does_not_exist")
	if err != nil {
		t.Fatal(err)
	}
	if pool, err := postgres.Connect(context.Background(), dbURL); err == nil {
		pool.Close()
		t.Fatal("Connect to a missing database succeeded, want an error")
	}
}

func TestUniqueViolation(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, migrations(t))
	if _, err := pool.Exec(ctx, "INSERT INTO items (id, slug) VALUES (1, 'a')"); err != nil {
		t.Fatal(err)
	}
	_, err := pool.Exec(ctx, "INSERT INTO items (id, slug) VALUES (2, 'a')")
	if c, ok := postgres.UniqueViolation(fmt.Errorf("create item: %w", err)); !ok || c != "items_slug_key" {
		t.Errorf("UniqueViolation(duplicate slug) = %q, %v; want items_slug_key, true", c, ok)
	}
	_, err = pool.Exec(ctx, "INSERT INTO items (id, slug) VALUES (1, 'b')")
	if c, ok := postgres.UniqueViolation(err); !ok || c != "items_pkey" {
		t.Errorf("UniqueViolation(duplicate id) = %q, %v; want items_pkey, true", c, ok)
	}
	_, err = pool.Exec(ctx, "INSERT INTO items (id, slug) VALUES (3, NULL)") // not_null_violation
	for _, e := range []error{nil, errors.New("plain"), err} {
		if c, ok := postgres.UniqueViolation(e); ok {
			t.Errorf("UniqueViolation(%v) = %q, true; want false", e, c)
		}
	}
}

// connect opens a pool closed at the end of the test.
func connect(t testing.TB, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
