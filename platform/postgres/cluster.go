package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/freeport"
)

// The private cluster's layout under runDir.
const (
	pgdataDir    = "pgdata"
	clusterLog   = "postgres.log"
	clusterLock  = "postgres.lock"
	maxSocketLen = 107 // sun_path holds 108 bytes including the terminating NUL
	startTries   = 3   // a free port can be taken by someone else before postgres binds it
)

// privateCluster returns the URL of the cluster in runDir/pgdata, creating and starting it as needed.
func privateCluster(ctx context.Context, runDir string) (string, error) {
	runDir, err := filepath.Abs(runDir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return "", fmt.Errorf("private cluster: %w", err)
	}
	unlock, err := lockFile(filepath.Join(runDir, clusterLock))
	if err != nil {
		return "", fmt.Errorf("private cluster: %w", err)
	}
	defer unlock()

	pgdata := filepath.Join(runDir, pgdataDir)
	if port, ok := runningPort(pgdata); ok && servesData(ctx, clusterURL(port), pgdata) {
		return clusterURL(port), nil
	}
	major, err := clusterMajor(pgdata)
	if err != nil {
		return "", err
	}
	bin, err := findBinaries(ctx, major)
	if err != nil {
		return "", err
	}
	owner, err := clusterOwner()
	if err != nil {
		return "", err
	}
	if major == 0 {
		if err := initCluster(ctx, bin, pgdata, owner); err != nil {
			return "", err
		}
	}
	return startCluster(ctx, bin, runDir, pgdata, owner)
}

// StartCluster returns the URL of the private cluster in runDir, making and starting it as needed, whatever
// else answers on the default address: for tests that need a server of their own to stop and start.
func StartCluster(ctx context.Context, runDir string) (string, error) {
	return privateCluster(ctx, runDir)
}

// RestartCluster stops the private cluster in runDir as an operator's fast shutdown would (open sessions are
// terminated), keeps it down for down, and starts it again on the same port, so clients' URLs stay valid.
func RestartCluster(ctx context.Context, runDir string, down time.Duration) error {
	runDir, err := filepath.Abs(runDir)
	if err != nil {
		return err
	}
	pgdata := filepath.Join(runDir, pgdataDir)
	port, ok := runningPort(pgdata)
	if !ok {
		return fmt.Errorf("restart: no private cluster runs in %s", runDir)
	}
	bin, owner, err := clusterTools(ctx, pgdata)
	if err != nil {
		return err
	}
	if err := StopCluster(ctx, runDir); err != nil {
		return err
	}
	if err := Sleep(ctx, down); err != nil {
		return err
	}
	return startOn(ctx, bin, runDir, pgdata, owner, port)
}

// clusterTools finds the binaries of the version that made pgdata and the account that runs them.
func clusterTools(ctx context.Context, pgdata string) (bin string, owner osUser, err error) {
	major, err := clusterMajor(pgdata)
	if err != nil {
		return "", owner, err
	}
	if bin, err = findBinaries(ctx, major); err != nil {
		return "", owner, err
	}
	owner, err = clusterOwner()
	return bin, owner, err
}

// StopCluster stops the private cluster that Locate started in runDir, if it is running, so that a
// `make clean` or a test that made its own cluster can leave no server behind. The data stays.
func StopCluster(ctx context.Context, runDir string) error {
	pgdata := filepath.Join(runDir, pgdataDir)
	if _, ok := runningPort(pgdata); !ok {
		return nil
	}
	bin, owner, err := clusterTools(ctx, pgdata)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_ctl"), "-D", pgdata, "-m", "fast", "-w", "stop")
	owner.runAs(cmd)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("stop private cluster: %w: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

// runningPort reads the port from pgdata's postmaster.pid, which a running server keeps up to date (its
// fourth line). A stale file from a crash is harmless: the caller probes the port before trusting it.
func runningPort(pgdata string) (int, bool) {
	b, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	return port, err == nil
}

// servesData reports whether the server at url answers and runs on pgdata. The port in a stale
// postmaster.pid may since have been taken by some other server, which must not be mistaken for ours.
func servesData(ctx context.Context, url, pgdata string) bool {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	cfg, err := connConfig(url)
	if err != nil {
		return false
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var dir string
	if err := conn.QueryRow(ctx, "SELECT current_setting('data_directory')").Scan(&dir); err != nil {
		return false
	}
	return sameDir(dir, pgdata)
}

// sameDir compares two directory paths after resolving symlinks (on macOS /tmp is /private/tmp).
func sameDir(a, b string) bool {
	ra, errA := filepath.EvalSymlinks(a)
	rb, errB := filepath.EvalSymlinks(b)
	return errA == nil && errB == nil && ra == rb
}

// clusterMajor returns the PostgreSQL major version that made pgdata, or 0 when there is no cluster yet.
// A cluster can only be started by binaries of the version that made it.
func clusterMajor(pgdata string) (int, error) {
	b, err := os.ReadFile(filepath.Join(pgdata, "PG_VERSION"))
	if errors.Is(err, os.ErrNotExist) {
		if _, statErr := os.Stat(pgdata); statErr == nil {
			return 0, fmt.Errorf("%s exists but holds no PostgreSQL cluster (no PG_VERSION); remove it to have one made", pgdata)
		}
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("private cluster: %w", err)
	}
	major, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("%s/PG_VERSION is unreadable; remove %s to have a new cluster made", pgdata, pgdata)
	}
	return major, nil
}

// initCluster runs initdb into a scratch directory and renames it into place, so that an interrupted
// initdb never leaves a half-made pgdata that later looks like a cluster. The superuser is "postgres" with
// trust authentication, matching the development server on 5432, so URLs look the same either way.
func initCluster(ctx context.Context, bin, pgdata string, owner osUser) error {
	scratch := pgdata + ".init"
	if err := os.RemoveAll(scratch); err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	if err := owner.makeDir(scratch); err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"-D", scratch, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
	owner.runAs(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(scratch)
		return fmt.Errorf("initdb %s: %w: %s", pgdata, err, tail(out))
	}
	if err := os.Rename(scratch, pgdata); err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	return nil
}

// startCluster starts the cluster on a free localhost port and waits (pg_ctl -w) until it accepts
// connections. The server runs in a session of its own so that Ctrl-C on `make run` does not stop a
// database that other processes (parallel test packages) may be using.
func startCluster(ctx context.Context, bin, runDir, pgdata string, owner osUser) (string, error) {
	var lastErr error
	for range startTries {
		port, err := freeport.Port()
		if err != nil {
			return "", fmt.Errorf("start private cluster: %w", err)
		}
		if lastErr = startOn(ctx, bin, runDir, pgdata, owner, port); lastErr == nil {
			return clusterURL(port), nil
		}
	}
	return "", lastErr
}

// startOn starts the cluster on port and waits until it answers.
func startOn(ctx context.Context, bin, runDir, pgdata string, owner osUser, port int) error {
	// An over-long socket path makes postgres refuse to start; TCP alone is enough for us. A server run as
	// another user may not write to runDir either.
	socketDir := runDir
	if len(runDir)+len("/.s.PGSQL.65535") > maxSocketLen || owner.other {
		socketDir = ""
	}
	logPath := filepath.Join(runDir, clusterLog)
	if err := owner.makeFile(logPath); err != nil {
		return fmt.Errorf("start private cluster: %w", err)
	}
	// pg_ctl hands -o to /bin/sh, hence the shell quoting.
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s", port, shellQuote(socketDir))
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_ctl"),
		"-D", pgdata, "-l", logPath, "-w", "-t", "60", "-o", opts, "start")
	detach(cmd)
	owner.runAs(cmd)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl start: %w: %s (see %s)", err, tail(out), logPath)
	}
	if err := probe(ctx, clusterURL(port)); err != nil {
		return fmt.Errorf("private cluster started but does not answer: %w", err)
	}
	return nil
}

// shellQuote quotes s as one /bin/sh word.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tail keeps the end of a tool's output, where the reason for a failure is.
func tail(out []byte) string {
	const keep = 600
	out = bytes.TrimSpace(out)
	if len(out) > keep {
		out = out[len(out)-keep:]
	}
	return string(out)
}
