package postgres_test

import (
	"context"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

func TestLocateUsesDatabaseURL(t *testing.T) {
	const want = "postgres://someone@db.invalid:6543/anything?sslmode=require"
	t.Setenv("DATABASE_URL", want)
	got, err := postgres.Locate(context.Background(), t.TempDir())
	if err != nil || got != want {
		t.Fatalf("Locate = %q, %v; want DATABASE_URL %q untouched and unprobed", got, err, want)
	}

	t.Setenv("DATABASE_URL", "host=localhost dbname=x")
	_, err = postgres.Locate(context.Background(), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("Locate with a keyword/value DATABASE_URL = %v, want an error naming DATABASE_URL", err)
	}
}

func TestLocateUsesLocalServerWhenItAnswers(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	live := pgtest.NewDatabase(t, nil) // certainly answers
	postgres.SetLocalServerURL(t, live)
	got, err := postgres.Locate(context.Background(), t.TempDir())
	if err != nil || got != live {
		t.Fatalf("Locate = %q, %v; want the answering local server %q", got, err, live)
	}
}

// TestLocatePrivateCluster points the local-server step at a port where nothing listens. Locate must make,
// start and reuse a private cluster in runDir (as root, run by the machine's postgres account).
func TestLocatePrivateCluster(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	postgres.SetLocalServerURL(t, "postgres://postgres@"+deadAddr(t)+"/postgres?sslmode=disable")
	ctx := context.Background()
	runDir := pgtest.SharedTempDir(t)

	url, err := postgres.Locate(ctx, runDir)
	if err != nil {
		t.Logf("Locate: %v", err)
		msg := err.Error()
		switch {
		case os.Geteuid() == 0 && strings.Contains(msg, "postgres\" account"):
			return // root on a machine without a postgres account: the documented answer
		case strings.Contains(msg, "install PostgreSQL"):
			return // no initdb on this machine: the documented answer
		}
		t.Fatalf("Locate without a server: %v", err)
	}
	t.Cleanup(func() {
		if err := postgres.StopCluster(context.Background(), runDir); err != nil {
			t.Errorf("StopCluster: %v", err)
		}
	})
	connect(t, url).Close()

	// Two more callers at once, as parallel test packages would: both find the running cluster.
	var wg sync.WaitGroup
	urls, errs := make([]string, 2), make([]error, 2)
	for i := range 2 {
		wg.Go(func() { urls[i], errs[i] = postgres.Locate(ctx, runDir) })
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil || urls[i] != url {
			t.Fatalf("concurrent Locate %d = %q, %v; want the running cluster %q", i, urls[i], errs[i], url)
		}
	}

	// Stopped, it is started again from the same data.
	if err := postgres.StopCluster(ctx, runDir); err != nil {
		t.Fatal(err)
	}
	again, err := postgres.Locate(ctx, runDir)
	if err != nil {
		t.Fatalf("Locate after StopCluster: %v", err)
	}
	connect(t, again).Close()
}

// deadAddr returns a localhost address where nothing listens: a port the kernel just handed out and took
// back.
func deadAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// A restart keeps the cluster's address, so the clients' URLs stay valid, and its data.
func TestRestartClusterKeepsAddressAndData(t *testing.T) {
	ctx := context.Background()
	runDir := pgtest.SharedTempDir(t)
	url, err := postgres.StartCluster(ctx, runDir)
	if err != nil {
		t.Fatalf("StartCluster: %v", err)
	}
	t.Cleanup(func() { _ = postgres.StopCluster(context.Background(), runDir) })
	conn := connect(t, url)
	if _, err := conn.Exec(ctx, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	var before, after time.Time
	if err := conn.QueryRow(ctx, "SELECT pg_postmaster_start_time()").Scan(&before); err != nil {
		t.Fatal(err)
	}
	if err := postgres.RestartCluster(ctx, runDir, 100*time.Millisecond); err != nil {
		t.Fatalf("RestartCluster: %v", err)
	}
	again := connect(t, url)
	if err := again.QueryRow(ctx, "SELECT pg_postmaster_start_time()").Scan(&after); err != nil || !after.After(before) {
		t.Fatalf("server started at %v before and %v (%v) after; want a new start", before, after, err)
	}
	var id int
	if err := again.QueryRow(ctx, "SELECT id FROM kept").Scan(&id); err != nil || id != 7 {
		t.Fatalf("after restart: %d, %v; want the row written before", id, err)
	}
}
