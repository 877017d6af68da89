// Command devrun is `make run`: it finds or starts a PostgreSQL, creates each service's database, starts the
// five services, the gateway and a mail catcher (Mailpit) from the binaries in .bin/, waits until the gateway reports every service
// SERVING, and prints the gateway's address with an admin token. Ctrl-C (or SIGTERM) stops everything cleanly.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

// services are the five services with their default gRPC ports (conventions.md).
var services = []struct {
	name string
	port int
}{{"partnership", 9091}, {"network", 9092}, {"finance", 9093}, {"reporting", 9094}, {"notification", 9095}}

// The mail catcher's addresses: SMTP where the notification service sends (its default), and its web page.
const (
	mailSMTPAddr = "127.0.0.1:1025"
	mailWebAddr  = "127.0.0.1:8025"
)

func main() {
	bin := flag.String("bin", ".bin", "directory holding the built binaries")
	runDir := flag.String("run", ".run", "directory for the development key and a private PostgreSQL")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *bin, *runDir); err != nil {
		fmt.Fprintln(os.Stderr, "make run:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, bin, runDir string) error {
	runDir, err := filepath.Abs(runDir)
	if err != nil {
		return err
	}
	serverURL, err := postgres.Locate(ctx, runDir)
	if err != nil {
		return err
	}
	keyFile := filepath.Join(runDir, "dev-signing-key.pem")
	key, err := auth.EnsureDevKey(keyFile)
	if err != nil {
		return err
	}
	gatewayAddr := envOr("HTTP_ADDR", "127.0.0.1:8080")
	common := []string{"AUTH_MODE=development", "AUTH_DEV_KEY_FILE=" + keyFile}

	var procs []*exec.Cmd
	gatewayEnv := append([]string{"HTTP_ADDR=" + gatewayAddr}, common...)
	for _, s := range services {
		dbURL, err := postgres.WithDatabase(serverURL, "partnerskap_"+s.name)
		if err != nil {
			return err
		}
		if err := postgres.EnsureDatabase(ctx, serverURL, "partnerskap_"+s.name); err != nil {
			return err
		}
		grpcAddr := fmt.Sprintf("127.0.0.1:%d", s.port)
		env := append([]string{"DATABASE_URL=" + dbURL, "MIGRATE_ON_START=true", "DEMO_DATA=true",
			"GRPC_ADDR=" + grpcAddr, fmt.Sprintf("METRICS_ADDR=127.0.0.1:%d", s.port+100)}, common...)
		switch s.name {
		case "partnership":
			// Documents' bytes beside the development key, so that they outlive a restart as the data does.
			env = append(env, "DOCUMENTS_BUCKET_URL=file://"+filepath.ToSlash(filepath.Join(runDir, "documents"))+"?create_dir=true")
		case "notification":
			// Reminders looked for every minute, not every hour, so that the demo's arrive while you watch.
			env = append(env, "SCHEDULE_INTERVAL=1m", "LINK_BASE_URL=http://"+gatewayAddr)
		}
		procs = append(procs, command(filepath.Join(bin, s.name), s.name, env))
		gatewayEnv = append(gatewayEnv, fmt.Sprintf("%s_ADDR=%s", strings.ToUpper(s.name), grpcAddr))
	}
	procs = append(procs, command(filepath.Join(bin, "gateway"), "gateway", gatewayEnv))
	// Mailpit keeps every e-mail the notification service sends and shows them on its web page.
	mailpit := command(filepath.Join(bin, "mailpit"), "mailpit", nil)
	mailpit.Args = append(mailpit.Args, "--smtp", mailSMTPAddr, "--listen", mailWebAddr, "--database", filepath.Join(runDir, "mailpit.db"))
	procs = append([]*exec.Cmd{mailpit}, procs...)

	exited := make(chan string, len(procs))
	for _, p := range procs {
		if err := p.Start(); err != nil {
			stopAll(procs)
			return fmt.Errorf("start %s: %w", p.Path, err)
		}
		go func(p *exec.Cmd) { _ = p.Wait(); exited <- filepath.Base(p.Path) }(p)
	}

	token, err := auth.IssueDevToken(key, auth.DefaultDevIssuer, auth.DefaultAudience, auth.Principal{Subject: "dev-admin", Role: auth.RoleAdmin}, 12*time.Hour)
	if err != nil {
		stopAll(procs)
		return err
	}
	if err := waitHealthy(ctx, "http://"+gatewayAddr+"/healthz", exited); err != nil {
		stopAll(procs)
		return err
	}
	admin := api{base: "http://" + gatewayAddr, token: token, client: demoClient()}
	if err := loadDemoNetworks(ctx, admin); err != nil {
		fmt.Fprintln(os.Stderr, "make run: the demo networks were not loaded:", err)
	}
	if err := loadDemoLifecycle(ctx, key, admin); err != nil {
		fmt.Fprintln(os.Stderr, "make run: the demo partnership's lifecycle was not loaded:", err)
	}
	fmt.Printf(`
Partnerskap is running.
  gateway:      http://%[1]s   (OpenAPI: http://%[1]s/openapi.json)
  web console:  http://%[1]s/  (development sign-in: pick a role and an organisation)
  gRPC:         partnership 127.0.0.1:9091, network :9092, finance :9093, reporting :9094, notification :9095
  e-mail:       http://%[4]s   (Mailpit: the e-mails the notification service sends)
  PostgreSQL:   %[2]s
  admin token:  %[3]s

Try:  curl -H "Authorization: Bearer %[3]s" http://%[1]s/v1/partnerships
Other roles:  make token ROLE=member ORG=<organization id>
Ctrl-C stops everything.
`, gatewayAddr, redact(serverURL), token, mailWebAddr)

	select {
	case <-ctx.Done():
		stopAll(procs)
		return nil
	case name := <-exited:
		stopAll(procs)
		return fmt.Errorf("%s exited unexpectedly; its log is above", name)
	}
}

// command prepares a child whose output lines are prefixed with its name, so five logs stay readable.
func command(path, name string, env []string) *exec.Cmd {
	cmd := exec.Command(path)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = prefixed(name, os.Stdout)
	cmd.Stderr = prefixed(name, os.Stderr)
	// Own process group: Ctrl-C reaches devrun, which stops the children in order, not all at once.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

var outMu sync.Mutex

func prefixed(name string, w io.Writer) io.Writer {
	r, pw := io.Pipe()
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			outMu.Lock()
			fmt.Fprintf(w, "%-11s | %s\n", name, sc.Text())
			outMu.Unlock()
		}
	}()
	return pw
}

// stopAll sends SIGTERM to every running child (the gateway first, so it stops taking requests) and kills
// any that has not exited after 20 seconds.
func stopAll(procs []*exec.Cmd) {
	var wg sync.WaitGroup
	for i := len(procs) - 1; i >= 0; i-- {
		p := procs[i]
		if p.Process == nil || p.ProcessState != nil {
			continue
		}
		_ = p.Process.Signal(syscall.SIGTERM)
		wg.Add(1)
		go func() {
			defer wg.Done()
			deadline := time.Now().Add(20 * time.Second)
			for time.Now().Before(deadline) {
				if p.Process.Signal(syscall.Signal(0)) != nil {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
			_ = p.Process.Kill()
		}()
	}
	wg.Wait()
}

// waitHealthy polls the gateway's /healthz until it answers 200, a child exits, or a minute passes.
func waitHealthy(ctx context.Context, url string, exited <-chan string) error {
	deadline := time.Now().Add(time.Minute)
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case name := <-exited:
			return fmt.Errorf("%s exited during start-up; its log is above", name)
		case <-ctx.Done():
			return errors.New("interrupted")
		case <-time.After(200 * time.Millisecond):
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("the suite did not become healthy within a minute (see %s)", url)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// redact hides a password in a database URL before it is printed.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unprintable URL)"
	}
	return u.Redacted()
}
