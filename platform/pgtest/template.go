package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/schema"
)

// Migrating a service's schema takes far longer than copying it, and a test package makes dozens of
// databases from the same migrations. So each set of migrations is applied once per server, into a template
// database named after a hash of the migrations' contents, and every test database is a copy of it
// (CREATE DATABASE ... TEMPLATE). Changed migrations hash differently and get a template of their own, so a
// template is never stale.

// templateFor returns the name of the migrated template of fsys on the server at serverURL, making it when
// it does not exist yet. Processes that need the same template at once (go test runs packages in parallel)
// wait on an advisory lock; the template appears under its name only when it is complete.
func templateFor(ctx context.Context, serverURL string, fsys fs.FS) (string, error) {
	// The platform's migrations are part of every template, so they are part of its name.
	platform, err := migrationsHash(schema.Platform)
	if err != nil {
		return "", err
	}
	own, err := migrationsHash(fsys)
	if err != nil {
		return "", err
	}
	both := sha256.Sum256([]byte(platform + own))
	sum := hex.EncodeToString(both[:])
	name := "ptpl_" + sum[:16]
	cfg, err := pgxpool.ParseConfig(serverURL)
	if err != nil {
		return "", err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext($1))`, "pgtest:"+name); err != nil {
		return "", err
	}
	// Session-level: released when conn closes, even if this process dies mid-build.
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_build"
	for _, sql := range []string{
		"DROP DATABASE IF EXISTS " + pgx.Identifier{building}.Sanitize() + " WITH (FORCE)", // left by a crash
		"CREATE DATABASE " + pgx.Identifier{building}.Sanitize(),
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return "", fmt.Errorf("template %s: %w", name, err)
		}
	}
	buildURL, err := postgres.WithDatabase(serverURL, building)
	if err != nil {
		return "", err
	}
	if _, err := schema.Migrate(ctx, buildURL, fsys); err != nil {
		return "", fmt.Errorf("template %s: %w", name, err)
	}
	// Migrate's connections are closed by now; a database with a session open cannot be renamed or copied.
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{building}.Sanitize()+" RENAME TO "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("template %s: %w", name, err)
	}
	return name, nil
}

// migrationsHash is a hash of every file's path and contents in fsys.
func migrationsHash(fsys fs.FS) (string, error) {
	var paths []string
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
