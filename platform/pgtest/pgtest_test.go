package pgtest

import (
	"context"
	"embed"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"
)

//go:embed testdata/migrations/*.sql
var migrationFiles embed.FS

func TestDatabaseName(t *testing.T) {
	valid := regexp.MustCompile(`^ptest_[a-z0-9_]+_[0-9a-f]{8}$`)
	for _, name := range []string{
		"TestX",
		"TestStore/Create_with_ÅÄÖ/#01",
		strings.Repeat("TestAVeryLongNameThatGoesOnAndOn", 5),
	} {
		a, b := databaseName(name), databaseName(name)
		if a == b {
			t.Errorf("databaseName(%q) gave %q twice; want unique names", name, a)
		}
		if len(a) > maxNameLen || !valid.MatchString(a) {
			t.Errorf("databaseName(%q) = %q (%d bytes); want ptest_<[a-z0-9_]>_<hex>, at most %d bytes",
				name, a, len(a), maxNameLen)
		}
	}
}

func TestNewPoolMigratesAndDropsAfterTest(t *testing.T) {
	sub, err := fs.Sub(migrationFiles, "testdata/migrations")
	if err != nil {
		t.Fatal(err)
	}
	var name string
	t.Run("inner", func(t *testing.T) {
		pool := NewPool(t, sub)
		if err := pool.QueryRow(context.Background(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "ptest_testnewpoolmigratesanddropsaftertest_inner_") {
			t.Errorf("database name %q does not say which test made it", name)
		}
		if _, err := pool.Exec(context.Background(), "INSERT INTO widgets (id) VALUES (1)"); err != nil {
			t.Fatalf("migrated table: %v", err)
		}
	})
	serverURL, err := locate()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var exists bool
	const q = "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)"
	if err := conn.QueryRow(context.Background(), q, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if name == "" || exists {
		t.Fatalf("database %q still exists after its test ended", name)
	}
}

func TestNewDatabaseWithoutMigrations(t *testing.T) {
	url := NewDatabase(t, nil)
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var tables int
	const q = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
	if err := conn.QueryRow(context.Background(), q).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("public tables = %d, %v; want an empty database", tables, err)
	}
}

// Databases of one set of migrations are copies of one template, migrated once; a change to the migrations
// makes a new template rather than reusing a stale one.
func TestDatabasesAreCopiesOfOneTemplatePerMigrations(t *testing.T) {
	ctx := context.Background()
	sub, err := fs.Sub(migrationFiles, "testdata/migrations")
	if err != nil {
		t.Fatal(err)
	}
	serverURL, err := locate()
	if err != nil {
		t.Fatal(err)
	}
	first, err := templateFor(ctx, serverURL, sub)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		pool := NewPool(t, sub)
		if _, err := pool.Exec(ctx, "INSERT INTO widgets (id) VALUES (1)"); err != nil {
			t.Fatalf("a copy of the template lacks the migrated table: %v", err)
		}
	}
	if again, err := templateFor(ctx, serverURL, sub); err != nil || again != first {
		t.Fatalf("the same migrations gave template %q (%v), then %q", first, err, again)
	}
	changed := fstest.MapFS{"00001_other.sql": {Data: []byte("-- +goose Up\nCREATE TABLE gadgets (id int);\n-- +goose Down\nDROP TABLE gadgets;\n")}}
	other, err := templateFor(ctx, serverURL, changed)
	if err != nil || other == first {
		t.Fatalf("changed migrations gave template %q (%v); want a new one, not %q", other, err, first)
	}
}
