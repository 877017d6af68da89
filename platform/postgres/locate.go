package postgres

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
)

// localServerURL is the server the development and CI machines start with (conventions.md). It is a
// variable only so that tests can point it at a port where nothing answers.
var localServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// probeTimeout bounds each "does something answer here?" check, so that Locate on a machine without a
// server moves on quickly instead of waiting for a TCP timeout.
const probeTimeout = 2 * time.Second

// installHint is the one sentence that tells a developer what to do when no server can be found or made.
const installHint = "install PostgreSQL 14+ (Debian: apt-get install postgresql) or set DATABASE_URL"

// Locate finds the PostgreSQL server to use, the same way for `make run`, `make test` and the end-to-end
// test, and returns a URL for it. In order:
//
//  1. DATABASE_URL, when set. It may name any database; callers derive their own with WithDatabase.
//  2. postgres://postgres@127.0.0.1:5432/postgres, when something answers there within two seconds.
//  3. A private cluster in <runDir>/pgdata, made with the machine's initdb and pg_ctl (the highest version
//     found in PATH and /usr/lib/postgresql/*/bin), listening on a free localhost port and a unix socket in
//     runDir, logging to <runDir>/postgres.log. It is created when missing and started when not running,
//     and keeps running after the caller exits so that the next `make test` or `make run` finds it;
//     StopCluster stops it. initdb and postgres refuse to run as root, so a root caller runs them as the
//     machine's postgres account (runDir must then be a directory that account can enter).
//  4. Otherwise an error that says exactly what to install.
//
// Several processes may call Locate at once (go test runs packages in parallel): a file lock in runDir
// makes sure only one of them creates or starts the private cluster.
func Locate(ctx context.Context, runDir string) (serverURL string, err error) {
	if env := os.Getenv("DATABASE_URL"); env != "" {
		if _, err := parseURL(env); err != nil {
			return "", fmt.Errorf("DATABASE_URL: %w", err)
		}
		return env, nil
	}
	localErr := probe(ctx, localServerURL)
	if localErr == nil {
		return localServerURL, nil
	}
	serverURL, err = privateCluster(ctx, runDir)
	if err != nil {
		return "", fmt.Errorf("find PostgreSQL: DATABASE_URL is not set; "+
			"nothing usable answers at the default address (%v); %w", localErr, err)
	}
	return serverURL, nil
}

// probe connects to url and pings, giving up after probeTimeout.
func probe(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	cfg, err := connConfig(url)
	if err != nil {
		return err
	}
	cfg.ConnectTimeout = probeTimeout
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return conn.Ping(ctx)
}

// clusterURL is the server URL of the private cluster listening on port.
func clusterURL(port int) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
}
