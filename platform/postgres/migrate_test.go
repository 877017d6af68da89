package postgres_test

import (
	"context"
	"io/fs"
	"slices"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

func TestMigrateTwiceAppliesOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t, nil)
	got, err := postgres.Migrate(ctx, url, migrations(t))
	if err != nil || !slices.Equal(got, []int64{1, 2}) {
		t.Fatalf("first Migrate = %v, %v; want [1 2]", got, err)
	}
	got, err = postgres.Migrate(ctx, url, migrations(t))
	if err != nil || len(got) != 0 {
		t.Fatalf("second Migrate = %v, %v; want nothing applied", got, err)
	}
	pool := connect(t, url)
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM counters").Scan(&n); err != nil || n != 2 {
		t.Fatalf("counters rows = %d, %v; want 2 (seed ran once)", n, err)
	}
}

func TestMigrateConcurrently(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t, nil)
	const migrators = 2
	results := make([][]int64, migrators)
	errs := make([]error, migrators)
	var wg sync.WaitGroup
	for i := range migrators {
		wg.Go(func() { results[i], errs[i] = postgres.Migrate(ctx, url, migrations(t)) })
	}
	wg.Wait()
	var all []int64
	for i := range migrators {
		if errs[i] != nil {
			t.Fatalf("migrator %d: %v", i, errs[i])
		}
		all = append(all, results[i]...)
	}
	slices.Sort(all)
	if !slices.Equal(all, []int64{1, 2}) {
		t.Fatalf("versions applied across migrators = %v, want each of [1 2] exactly once", all)
	}
	pending, err := postgres.Pending(ctx, connect(t, url), migrations(t))
	if err != nil || pending {
		t.Fatalf("Pending after concurrent Migrate = %v, %v; want false", pending, err)
	}
}

func TestMigrateWithoutMigrations(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t, nil)
	for name, fsys := range map[string]fstest.MapFS{"nil": nil, "empty": {}} {
		if got, err := postgres.Migrate(ctx, url, fsys); err != nil || len(got) != 0 {
			t.Errorf("Migrate(%s fs) = %v, %v; want nothing, no error", name, got, err)
		}
	}
}

func TestPending(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t, nil)
	pool := connect(t, url)
	all := migrations(t)
	data, err := fs.ReadFile(all, "00001_items.sql")
	if err != nil {
		t.Fatal(err)
	}
	first := fstest.MapFS{"00001_items.sql": {Data: data}}

	check := func(step string, fsys fs.FS, want bool) {
		t.Helper()
		if got, err := postgres.Pending(ctx, pool, fsys); err != nil || got != want {
			t.Fatalf("%s: Pending = %v, %v; want %v", step, got, err, want)
		}
	}
	check("fresh database", all, true)
	var hasTable bool
	err = pool.QueryRow(ctx, "SELECT to_regclass('goose_db_version') IS NOT NULL").Scan(&hasTable)
	if err != nil || hasTable {
		t.Fatalf("Pending created the version table (%v, %v); a readiness probe must not write", hasTable, err)
	}
	if _, err := postgres.Migrate(ctx, url, first); err != nil {
		t.Fatal(err)
	}
	check("00001 applied, asking about 00001+00002", all, true)
	check("00001 applied, asking about 00001", first, false)
	if _, err := postgres.Migrate(ctx, url, all); err != nil {
		t.Fatal(err)
	}
	check("all applied", all, false)
	check("nil fs", nil, false)
}
