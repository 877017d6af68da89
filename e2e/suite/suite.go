// Package suite boots the whole Partnerskap suite for a test: it builds the four services and the gateway,
// gives each service a fresh database of its own on the test PostgreSQL, starts every binary on free
// loopback ports with a development signing key of the test's own, and waits until the gateway reports all
// four services SERVING. It is the one harness for "the whole suite on free ports".
package suite

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/freeport"
	"github.com/partnerskap/partnerskap/platform/pgtest"
)

// Services are the four services, in start order.
var Services = []string{"partnership", "network", "finance", "reporting", "notification"}

// Suite is a running suite.
type Suite struct {
	// GatewayURL is the REST base URL, e.g. http://127.0.0.1:40123.
	GatewayURL string
	// GRPCAddrs maps a service name to its gRPC address.
	GRPCAddrs map[string]string
	// Key signs development tokens that every service accepts.
	Key ed25519.PrivateKey
	// Documents is the directory of the partnership service's documents bucket.
	Documents string
	procs     map[string]*exec.Cmd
	envs      map[string][]string
	logs      string
}

// Start boots the suite and stops it when the test ends; every binary must then exit cleanly on SIGTERM.
// extraEnv ("NAME=value") is given to every service and the gateway, after the harness's own settings so it
// can override them: DEMO_DATA=true starts from the demo data, LOG_LEVEL=info logs as in production.
func Start(t testing.TB, extraEnv ...string) *Suite {
	t.Helper()
	return StartOn(t, "", extraEnv...)
}

// StartOn is Start with every service's database on the PostgreSQL server at serverURL ("" for the test
// server pgtest finds): for a test that stops and starts a server of its own.
func StartOn(t testing.TB, serverURL string, extraEnv ...string) *Suite {
	t.Helper()
	return start(t, serverURL, extraEnv, nil)
}

// StartWithEnv is Start with settings for every binary (env) and for some binaries only (own, by binary
// name, e.g. "gateway"), each applied after the harness's own.
func StartWithEnv(t testing.TB, env []string, own map[string][]string) *Suite {
	t.Helper()
	return start(t, "", env, own)
}

func start(t testing.TB, serverURL string, extraEnv []string, own map[string][]string) *Suite {
	t.Helper()
	newDatabase := func() string {
		if serverURL == "" {
			return pgtest.NewDatabase(t, nil)
		}
		return pgtest.NewDatabaseOn(t, serverURL, nil)
	}
	dir := t.TempDir()
	build(t, dir)
	keyFile := filepath.Join(dir, "dev-signing-key.pem")
	key, err := auth.EnsureDevKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	s := &Suite{GRPCAddrs: map[string]string{}, Key: key, procs: map[string]*exec.Cmd{}, envs: map[string][]string{}, logs: dir,
		Documents: filepath.Join(dir, "documents")}
	common := []string{"AUTH_MODE=development", "AUTH_DEV_KEY_FILE=" + keyFile, "LOG_LEVEL=debug", "HEALTH_CHECK_INTERVAL=200ms",
		// The partnership service's documents, in the test's own directory (the other binaries ignore it).
		"DOCUMENTS_BUCKET_URL=file://" + filepath.ToSlash(s.Documents) + "?create_dir=true"}
	// The gateway's rate limits are meant for people and scripts; these tests call faster than either (every
	// route in a row without a token, from one address), so each limit is raised far out of their way.
	gatewayEnv := append([]string{"RATE_LIMIT_READS=100000", "RATE_LIMIT_READS_BURST=100000",
		"RATE_LIMIT_WRITES=100000", "RATE_LIMIT_WRITES_BURST=100000", "RATE_LIMIT_EXPORTS=100000",
		"RATE_LIMIT_EXPORTS_BURST=100000", "RATE_LIMIT_ANONYMOUS=100000", "RATE_LIMIT_ANONYMOUS_BURST=100000",
		"RATE_LIMIT_ADDRESS=100000", "RATE_LIMIT_ADDRESS_BURST=100000"}, common...)
	// Every address first, so that each service is told where all the others are: the network and finance
	// services read the partnership service, the partnership service the finance service, the reporting
	// service the event streams of all three; each ignores the addresses it does not use.
	for _, name := range Services {
		s.GRPCAddrs[name] = freeAddr(t)
	}
	for _, name := range Services {
		grpcAddr, metricsAddr := s.GRPCAddrs[name], freeAddr(t)
		env := append([]string{"DATABASE_URL=" + newDatabase(), "MIGRATE_ON_START=true",
			"GRPC_ADDR=" + grpcAddr, "METRICS_ADDR=" + metricsAddr}, common...)
		for _, other := range Services {
			if other != name {
				env = append(env, strings.ToUpper(other)+"_ADDR="+s.GRPCAddrs[other])
			}
		}
		if name == "notification" {
			// Its e-mails go nowhere (a closed port) unless the test starts an SMTP server (StartMailpit) and says so.
			_, port, _ := net.SplitHostPort(freeAddr(t))
			env = append(env, "SMTP_PORT="+port, "SEND_BACKOFF=1s")
		}
		env = append(append(env, extraEnv...), own[name]...)
		s.start(t, dir, name, env)
		gatewayEnv = append(gatewayEnv, strings.ToUpper(name)+"_ADDR="+grpcAddr)
	}
	httpAddr := freeAddr(t)
	s.GatewayURL = "http://" + httpAddr
	s.start(t, dir, "gateway", slices.Concat(gatewayEnv, []string{"HTTP_ADDR=" + httpAddr}, extraEnv, own["gateway"]))
	t.Cleanup(func() { s.stop(t) })
	s.waitHealthy(t)
	return s
}

// Token returns a valid development token for role (and org, for members and partners).
func (s *Suite) Token(t testing.TB, role auth.Role, org string) string {
	t.Helper()
	tok, err := auth.IssueDevToken(s.Key, "", "", auth.Principal{Subject: strings.TrimSuffix("e2e-"+string(role)+"-"+org, "-"), Role: role, Org: org}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Stop stops one binary (e.g. "partnership") as an outage would, and fails the test if it does not exit
// cleanly; the rest of the suite keeps running.
func (s *Suite) Stop(t testing.TB, name string) {
	t.Helper()
	cmd := s.procs[name]
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s did not shut down cleanly: %v", name, err)
	}
	delete(s.procs, name)
}

// Kill stops one binary at once with SIGKILL, as a crash would: no drain, no clean shutdown.
func (s *Suite) Kill(t testing.TB, name string) {
	t.Helper()
	cmd := s.procs[name]
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	delete(s.procs, name)
}

// Restart starts a stopped or killed binary again with the settings it first had.
func (s *Suite) Restart(t testing.TB, name string) {
	t.Helper()
	s.start(t, s.logs, name, s.envs[name])
}

// Setting returns the value of one of a binary's settings as the harness gave it, e.g. ("partnership",
// "DATABASE_URL").
func (s *Suite) Setting(name, key string) string {
	value := ""
	for _, kv := range s.envs[name] {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			value = v // the last one wins, as in the process's environment
		}
	}
	return value
}

// Run runs a subcommand of a service's binary (e.g. "reporting", "rebuild") with the service's settings and
// returns its combined output, failing the test when it fails.
func (s *Suite) Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(s.logs, name), args...)
	cmd.Env = append(os.Environ(), s.envs[name]...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// binaries are the five binaries, built once per test process: every suite of a test binary runs the same
// code, and linking five binaries for each of a dozen tests costs more than the tests themselves.
var binaries struct {
	once sync.Once
	dir  string
	err  error
}

// build links dir/<name> to each of the five binaries, building them on the first call.
func build(t testing.TB, dir string) {
	t.Helper()
	binaries.once.Do(func() {
		binaries.dir, binaries.err = os.MkdirTemp("", "partnerskap-e2e-bin-")
		if binaries.err != nil {
			return
		}
		pkgs := []string{"./gateway"}
		for _, name := range Services {
			pkgs = append(pkgs, "./services/"+name)
		}
		cmd := exec.Command("go", append([]string{"build", "-o", binaries.dir + "/"}, pkgs...)...)
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			binaries.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if binaries.err != nil {
		t.Fatalf("build the suite: %v", binaries.err)
	}
	for _, name := range append([]string{"gateway"}, Services...) {
		if err := os.Symlink(filepath.Join(binaries.dir, name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// RemoveBinaries deletes the binaries build made; a test binary's TestMain calls it when its tests are done.
func RemoveBinaries() {
	if binaries.dir != "" {
		_ = os.RemoveAll(binaries.dir)
	}
}

func (s *Suite) start(t testing.TB, dir, name string, env []string) {
	t.Helper()
	s.envs[name] = env
	logFile, err := os.OpenFile(filepath.Join(dir, name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(dir, name))
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	s.procs[name] = cmd
}

// waitHealthy polls the gateway's /healthz until it answers 200, or fails the test after a minute.
func (s *Suite) waitHealthy(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(s.GatewayURL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.dumpLogs(t)
			t.Fatalf("the suite did not become healthy within a minute (last error %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop sends SIGTERM to every binary and fails the test when one does not exit cleanly in time.
func (s *Suite) stop(t testing.TB) {
	for _, cmd := range s.procs {
		_ = cmd.Process.Signal(syscall.SIGTERM)
	}
	for name, cmd := range s.procs {
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s did not shut down cleanly: %v", name, err)
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("%s did not stop within 30s of SIGTERM", name)
		}
	}
	if t.Failed() {
		s.dumpLogs(t)
	}
}

func (s *Suite) dumpLogs(t testing.TB) {
	for name := range s.procs {
		b, _ := os.ReadFile(filepath.Join(s.logs, name+".log"))
		if len(b) > 8000 {
			b = b[len(b)-8000:]
		}
		t.Logf("--- %s log (tail) ---\n%s", name, b)
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
// freeAddr is a loopback address for one binary to listen on (see platform/freeport for why not port 0).
func freeAddr(t testing.TB) string {
	t.Helper()
	addr, err := freeport.Addr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.work above the working directory")
		}
		dir = parent
	}
}

// Context returns a context bounded by d, cancelled when the test ends.
func Context(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// Mailpit is a real SMTP server that keeps what it receives, for the tests of e-mails: SMTPPort takes mail,
// API answers Mailpit's REST API (GET /api/v1/messages).
type Mailpit struct {
	SMTPPort string
	API      string
}

// StartMailpit starts Mailpit (installed by `make tools` into .bin, pinned) on free ports, stopped when the
// test ends.
func StartMailpit(t testing.TB) Mailpit {
	t.Helper()
	bin := filepath.Join(repoRoot(t), ".bin", "mailpit")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("Mailpit is needed for the tests of e-mails: run make tools (%v)", err)
	}
	smtpAddr, httpAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin, "--smtp", smtpAddr, "--listen", httpAddr, "--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	m := Mailpit{API: "http://" + httpAddr}
	_, m.SMTPPort, _ = net.SplitHostPort(smtpAddr)
	for deadline := time.Now().Add(15 * time.Second); ; {
		if resp, err := http.Get(m.API + "/api/v1/messages"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("Mailpit did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
