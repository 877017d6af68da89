// Package pgtest is the one harness for "a real database" in Partnerskap's tests: every test that touches
// SQL gets a fresh PostgreSQL database of its own, migrated and dropped again, on the server that `make run`
// would use. Tests never mock the database and never skip for want of one.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/postgres"
)

// setupTimeout bounds finding the server, creating a database and migrating it. It is generous because the
// first caller on a fresh machine may be the one that runs initdb.
const setupTimeout = 2 * time.Minute

// maxNameLen is PostgreSQL's identifier limit (NAMEDATALEN - 1); longer names are silently truncated,
// which would make two tests' databases collide.
const maxNameLen = 63

// locate finds the server once per test binary: every test in a package uses the same server, and Locate
// may start a cluster, which must not happen once per test.
var locate = sync.OnceValues(func() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	return postgres.Locate(ctx, filepath.Join(root, ".run"))
})

// NewDatabase creates a fresh database named after the test on the server postgres.Locate finds (with the
// repository's .run directory, as `make run` uses), with the migrations in fsys applied after the platform's
// own (platform/schema), as a service's migrate does, or empty when fsys is nil; it is a copy of a template
// migrated once (see templateFor). It returns the database's URL. The database is dropped, with any connections still open to it, when the test ends.
// When no server can be found or made the test fails with Locate's explanation: a test that needs a
// database must not pass without one.
func NewDatabase(t testing.TB, fsys fs.FS) string {
	t.Helper()
	serverURL, err := locate()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return NewDatabaseOn(t, serverURL, fsys)
}

// NewDatabaseOn is NewDatabase on the server at serverURL: for a test that runs a server of its own (one it
// stops and starts, say).
func NewDatabaseOn(t testing.TB, serverURL string, fsys fs.FS) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	name := databaseName(t.Name())
	create := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if fsys != nil {
		template, err := templateFor(ctx, serverURL, fsys)
		if err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		create += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if err := runOnServer(ctx, serverURL, create); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// The test's context is gone by now; dropping must still happen.
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		drop := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
		if err := runOnServer(ctx, serverURL, drop); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})

	dbURL, err := postgres.WithDatabase(serverURL, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dbURL
}

// SharedTempDir is a temporary directory, removed when the test ends, that another account may enter: a root
// test runs a private cluster as the machine's postgres account (postgres.StartCluster), and t.TempDir's
// directories are private to their owner.
func SharedTempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgcluster-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// PlatformOnly is the migrations of a database with the platform's tables (platform/schema) and nothing of a
// service's: for tests of the platform's packages that write them.
var PlatformOnly fs.FS = fstest.MapFS{}

// NewPool is NewDatabase plus postgres.Connect; the pool is closed when the test ends, before the
// database is dropped.
func NewPool(t testing.TB, fsys fs.FS) *pgxpool.Pool {
	t.Helper()
	dbURL := NewDatabase(t, fsys)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	pool, err := postgres.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close) // registered after the drop, so it runs first
	return pool
}

// databaseName makes a unique, valid and recognisable database name: "ptest_", the test's name reduced to
// [a-z0-9_], and a random suffix so that reruns, parallel tests and subtests with equal names never clash.
func databaseName(testName string) string {
	var suffix [4]byte
	_, _ = rand.Read(suffix[:]) // crypto/rand.Read never fails
	tail := "_" + hex.EncodeToString(suffix[:])

	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	middle := b.String()
	if room := maxNameLen - len("ptest_") - len(tail); len(middle) > room {
		middle = middle[:room]
	}
	return "ptest_" + middle + tail
}

// runOnServer runs one statement on its own connection to serverURL. CREATE and DROP DATABASE cannot run
// inside a transaction block, so a plain connection is what they need.
func runOnServer(ctx context.Context, serverURL, sql string) error {
	cfg, err := pgxpool.ParseConfig(serverURL) // drops pool_* settings a plain connection must not send
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

// repoRoot walks up from the working directory (a package directory under `go test`) to the directory
// holding go.work, where .run lives.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.work in the working directory or any parent; run tests from inside the repository")
		}
		dir = parent
	}
}
