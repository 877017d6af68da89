// Package server runs a Partnerskap gRPC server: the interceptor chain, health, reflection, metrics on their
// own port, and graceful shutdown. Every service starts through it, so they all behave the same for operators.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/interceptor"
	"github.com/partnerskap/partnerskap/platform/logging"
	"github.com/partnerskap/partnerskap/platform/profiling"
)

// Settings are the server's environment variables; each service fills in its own default addresses.
type Settings struct {
	GRPCAddr        string        `env:"GRPC_ADDR" help:"address the gRPC server listens on"`
	MetricsAddr     string        `env:"METRICS_ADDR" help:"address of the Prometheus /metrics endpoint (the gRPC port + 100)"`
	PprofAddr       string        `env:"PPROF_ADDR" help:"address serving Go's runtime profiles at /debug/pprof/ (e.g. 127.0.0.1:9291); empty serves none"`
	LogSlowCall     time.Duration `env:"LOG_SLOW_CALL" help:"a successful call is logged when it takes this long or longer; quicker ones only at LOG_LEVEL=debug (failures always are; 0 logs every call)"`
	RequestTimeout  time.Duration `env:"REQUEST_TIMEOUT" help:"deadline given to a call that has none, and the longest one allowed"`
	HealthInterval  time.Duration `env:"HEALTH_CHECK_INTERVAL" help:"how often readiness (database reachable and migrated) is checked; a check fails when it takes longer than this or a second, whichever is longer"`
	ShutdownDrain   time.Duration `env:"SHUTDOWN_DRAIN" help:"on SIGTERM, how long health reports NOT_SERVING before the server stops taking calls, so load balancers move away first"`
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" help:"how long in-flight calls may finish after the drain before they are cut"`
}

// DefaultSettings returns the defaults for a service whose gRPC port is port.
func DefaultSettings(port int) Settings {
	return Settings{
		GRPCAddr:        fmt.Sprintf(":%d", port),
		MetricsAddr:     fmt.Sprintf(":%d", port+100),
		LogSlowCall:     logging.DefaultSlowCall,
		RequestTimeout:  30 * time.Second,
		HealthInterval:  2 * time.Second,
		ShutdownDrain:   0,
		ShutdownTimeout: 15 * time.Second,
	}
}

// LivenessService is the grpc.health.v1 service name that liveness probes ask for.
const LivenessService = "liveness"

// Options say what to serve.
type Options struct {
	Name     string // the service's short name, e.g. "partnership"
	Settings Settings
	Verifier auth.Verifier
	// Register adds the service's gRPC implementations to s; an error stops the server before it serves.
	Register func(s *grpc.Server) error
	// Ready is checked every HealthInterval; health is SERVING only while it succeeds.
	Ready ReadyFunc
	// Collectors are the service's own metrics, served with the server's.
	Collectors []prometheus.Collector
}

// Run serves until ctx is cancelled (SIGTERM or SIGINT in main), then shuts down: health goes NOT_SERVING,
// the drain period passes, GracefulStop lets in-flight calls finish within ShutdownTimeout, and whatever is
// still running after that is stopped hard.
func Run(ctx context.Context, opts Options) error {
	s, hs, reg, err := build(opts)
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", opts.Settings.GRPCAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.Settings.GRPCAddr, err)
	}
	metricsSrv := &http.Server{Addr: opts.Settings.MetricsAddr, Handler: metricsHandler(reg), ReadHeaderTimeout: 5 * time.Second}
	metricsLis, err := net.Listen("tcp", opts.Settings.MetricsAddr)
	if err != nil {
		lis.Close()
		return fmt.Errorf("listen on %s: %w", opts.Settings.MetricsAddr, err)
	}

	healthCtx, stopHealth := context.WithCancel(context.Background())
	defer stopHealth()
	if err := profiling.Serve(healthCtx, opts.Settings.PprofAddr); err != nil {
		lis.Close()
		metricsLis.Close()
		return fmt.Errorf("listen on PPROF_ADDR %s: %w", opts.Settings.PprofAddr, err)
	}
	names := []string{""}
	for name := range s.GetServiceInfo() {
		names = append(names, name)
	}
	go watchHealth(healthCtx, hs, names, opts.Ready, opts.Settings.HealthInterval)
	go func() {
		if err := metricsSrv.Serve(metricsLis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("metrics server stopped", "error", err.Error())
		}
	}()

	serveErr := make(chan error, 1)
	go func() { serveErr <- s.Serve(lis) }()
	slog.Info("serving", "grpc_addr", lis.Addr().String(), "metrics_addr", metricsLis.Addr().String())

	select {
	case err := <-serveErr:
		return fmt.Errorf("grpc server stopped: %w", err)
	case <-ctx.Done():
	}
	slog.Info("shutting down", "drain", opts.Settings.ShutdownDrain.String(), "timeout", opts.Settings.ShutdownTimeout.String())
	stopHealth()
	hs.Shutdown() // every service NOT_SERVING, and it stays so
	time.Sleep(opts.Settings.ShutdownDrain)
	stopped := make(chan struct{})
	go func() { s.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(opts.Settings.ShutdownTimeout):
		slog.Warn("in-flight calls did not finish in time; stopping hard")
		s.Stop()
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = metricsSrv.Shutdown(shutdownCtx)
	slog.Info("stopped")
	return nil
}

// New assembles the gRPC server Run serves, with its whole interceptor chain, health and reflection, for a
// test that calls a service as its clients do (see platform/servertest).
func New(opts Options) (*grpc.Server, error) {
	s, _, _, err := build(opts)
	return s, err
}

// build assembles the gRPC server with its chain, health and reflection. It fails when an RPC declares no
// roles, so such a server never starts.
func build(opts Options) (*grpc.Server, *health.Server, *prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if err := registerAll(reg, opts.Collectors); err != nil {
		return nil, nil, nil, err
	}
	metrics := interceptor.NewMetrics(reg)

	// The policy is read from the services registered, so it must be built after Register; the chain only
	// looks the policy up per call, so a pointer filled in below is enough.
	policy, reads := interceptor.Policy{}, interceptor.Reads{}
	chain, err := interceptor.Build([]interceptor.Link{
		interceptor.Recovery(),
		interceptor.RequestID(),
		interceptor.Logging(opts.Settings.LogSlowCall),
		metrics.Link(),
		interceptor.Errors(),
		interceptor.Authentication(opts.Verifier),
		interceptor.Authorization(policy),
		interceptor.Validation(),
		interceptor.Deadline(opts.Settings.RequestTimeout),
		interceptor.Retry(reads),
	})
	if err != nil {
		return nil, nil, nil, err
	}
	// Calls run on a few long-lived workers rather than a new goroutine each: a new goroutine's stack grows
	// (copied, frame by frame) through the ten interceptors on every call, which cost about 9 % of the
	// partnership service's CPU under the read load; a worker's stack has grown once. When all are busy a
	// call still gets a goroutine of its own, so the workers bound nothing.
	chain = append(chain, grpc.NumStreamWorkers(uint32(4*runtime.GOMAXPROCS(0))))
	s := grpc.NewServer(chain...)
	if err := opts.Register(s); err != nil {
		return nil, nil, nil, fmt.Errorf("register: %w", err)
	}
	declared, err := interceptor.PolicyFor(s.GetServiceInfo())
	if err != nil {
		return nil, nil, nil, err
	}
	for k, v := range declared {
		policy[k] = v
	}
	for k, v := range interceptor.ReadsOf(s.GetServiceInfo()) {
		reads[k] = v
	}
	hs := health.NewServer()
	// "liveness" is SERVING whenever the process serves gRPC, whatever the database does, so a liveness
	// probe never restarts pods during a database outage; readiness asks for "" (the whole server).
	hs.SetServingStatus(LivenessService, healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(s, hs)
	reflection.Register(s)
	return s, hs, reg, nil
}

func registerAll(reg prometheus.Registerer, cs []prometheus.Collector) error {
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
	}
	return nil
}

func metricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}
