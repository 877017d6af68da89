package deploy_test

import (
	"bytes"
	"context"
	"fmt"
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

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/partnerskap/partnerskap/deploy/internal/binaries"
	"github.com/partnerskap/partnerskap/deploy/internal/render"
)

// unreachable is where no PostgreSQL or service answers: port 1 on the loopback interface.
const unreachable = "127.0.0.1:1"

// Each binary is started as its Deployment runs it, with its database (or, for the gateway, every service)
// unreachable, and its probes are asked the way the kubelet asks them. The startup and liveness probes must
// pass, so an outage restarts nothing. A service's readiness must fail, so no call is routed to a pod that
// cannot serve it; the gateway's readiness must pass, by design (deploy/README.md, "Probes").
func TestProbesMeanWhatTheySay(t *testing.T) {
	objs, err := render.Dir("overlays/production")
	s := decode(t, objs, err)
	for _, d := range s.Deployments {
		c := d.Spec.Template.Spec.Containers[0]
		binary := d.Name
		if defaults[binary] == nil || !strings.Contains(c.Image, "/"+binary+":") {
			t.Fatalf("Deployment %s does not run the binary %s (image %s)", d.Name, binary, c.Image)
		}
		t.Run(binary, func(t *testing.T) {
			t.Parallel()
			env := append(os.Environ(),
				"DATABASE_URL=postgres://partnerskap@"+unreachable+"/partnerskap?sslmode=disable&connect_timeout=1",
				"AUTH_MODE=development", "AUTH_DEV_KEY_FILE="+filepath.Join(t.TempDir(), "key.pem"),
				"MIGRATE_ON_START=false", "DEMO_DATA=false", "HEALTH_CHECK_INTERVAL=200ms",
				"PARTNERSHIP_ADDR="+unreachable, "NETWORK_ADDR="+unreachable, "FINANCE_ADDR="+unreachable, "REPORTING_ADDR="+unreachable)
			addrs := launch(t, filepath.Join(binDir, binary), c.Args, env, func(addrs map[string]string) error {
				return probe(c.StartupProbe, &c, addrs)
			})
			if err := probe(c.LivenessProbe, &c, addrs); err != nil {
				t.Errorf("liveness probe fails while the database is down; every pod would restart: %v", err)
			}
			_, servesCalls := defaults[binary]["DATABASE_URL"]
			err := probe(c.ReadinessProbe, &c, addrs)
			if servesCalls && err == nil {
				t.Errorf("readiness probe passes while the database is down")
			}
			if !servesCalls && err != nil {
				t.Errorf("the gateway's readiness probe fails while the services are down: %v", err)
			}
		})
	}
}

// launch runs bin with args and env, its listen settings on free ports, until its startup probe passes,
// and stops it as the kubelet does when the test ends. It returns the ports' addresses by port name. A
// free port may be taken by another process before the binary binds it; then it starts again on others.
func launch(t *testing.T, bin string, args, env []string, started func(map[string]string) error) map[string]string {
	t.Helper()
	name := filepath.Base(bin)
attempts:
	for attempt := 1; ; attempt++ {
		addrs, penv := map[string]string{}, slices.Clone(env)
		for variable, portName := range binaries.Listen {
			if _, ok := defaults[name][variable]; ok {
				addrs[portName] = freeAddr(t)
				penv = append(penv, variable+"="+addrs[portName])
			}
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = penv
		out := &lockedBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		deadline := time.Now().Add(30 * time.Second)
		for {
			err := started(addrs)
			if err == nil {
				t.Cleanup(func() { stop(t, cmd, exited, out) })
				return addrs
			}
			select {
			case werr := <-exited:
				if strings.Contains(out.String(), "address already in use") && attempt < 5 {
					continue attempts
				}
				t.Fatalf("%s exited before its startup probe passed: %v\n%s", name, werr, out.String())
			case <-time.After(50 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("%s: startup probe never passed: %v\n%s", name, err, out.String())
			}
		}
	}
}

// stop sends SIGTERM and wants a clean exit within 30 seconds.
func stop(t *testing.T, cmd *exec.Cmd, exited chan error, out *lockedBuffer) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("%s did not stop cleanly on SIGTERM: %v", filepath.Base(cmd.Path), err)
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Errorf("%s did not stop within 30s of SIGTERM", filepath.Base(cmd.Path))
	}
	if t.Failed() {
		t.Logf("%s output:\n%s", filepath.Base(cmd.Path), out.String())
	}
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// probe asks p once, the way the kubelet would, with the container's ports at the addresses in addrs
// (keyed by port name). It returns nil when the probe succeeds.
func probe(p *corev1.Probe, c *corev1.Container, addrs map[string]string) error {
	if p == nil {
		return fmt.Errorf("no probe")
	}
	timeout := time.Second
	if p.TimeoutSeconds > 0 {
		timeout = time.Duration(p.TimeoutSeconds) * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	name := func(named string, number int32) string {
		for _, port := range c.Ports {
			if (named != "" && port.Name == named) || (named == "" && port.ContainerPort == number) {
				return port.Name
			}
		}
		return ""
	}
	switch {
	case p.TCPSocket != nil:
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", addrs[name(p.TCPSocket.Port.StrVal, p.TCPSocket.Port.IntVal)])
		if err != nil {
			return err
		}
		return conn.Close()
	case p.GRPC != nil:
		cc, err := grpc.NewClient(addrs[name("", p.GRPC.Port)], grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return err
		}
		defer cc.Close()
		req := &healthpb.HealthCheckRequest{}
		if p.GRPC.Service != nil {
			req.Service = *p.GRPC.Service
		}
		resp, err := healthpb.NewHealthClient(cc).Check(ctx, req)
		if err != nil {
			return err
		}
		if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			return fmt.Errorf("health %s", resp.GetStatus())
		}
		return nil
	case p.HTTPGet != nil:
		url := "http://" + addrs[name(p.HTTPGet.Port.StrVal, p.HTTPGet.Port.IntVal)] + p.HTTPGet.Path
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode >= 400 {
			return fmt.Errorf("GET %s: %s", p.HTTPGet.Path, resp.Status)
		}
		return nil
	}
	return fmt.Errorf("a probe kind this test does not know")
}
