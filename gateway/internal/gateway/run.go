package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/partnerskap/partnerskap/platform/profiling"
)

// Server limits that protect the gateway from slow or greedy clients; the body's own limit is MaxBodyBytes.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = time.Minute
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// Run serves the gateway on s.HTTPAddr until ctx ends or the process gets SIGTERM or SIGINT, then shuts down
// gracefully.
func Run(ctx context.Context, s Settings) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ln, err := net.Listen("tcp", s.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on HTTP_ADDR %s: %w", s.HTTPAddr, err)
	}
	return Serve(ctx, ln, s)
}

// Serve serves the gateway on ln until ctx ends. Then it stops accepting, lets requests in flight finish
// for up to s.ShutdownTimeout, and closes the connections to the services. It returns nil after a clean
// shutdown. Tests use it with a listener on a free port.
func Serve(ctx context.Context, ln net.Listener, s Settings) error {
	h, closeConns, err := NewHandler(ctx, s)
	if err != nil {
		_ = ln.Close()
		return err
	}
	if err := profiling.Serve(ctx, s.PprofAddr); err != nil {
		closeConns()
		_ = ln.Close()
		return fmt.Errorf("listen on PPROF_ADDR %s: %w", s.PprofAddr, err)
	}
	// Connections close last, after Shutdown has let the requests that use them finish.
	defer closeConns()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	slog.Info("gateway listening", "addr", ln.Addr().String())

	select {
	case err := <-served:
		return fmt.Errorf("serve HTTP: %w", err)
	case <-ctx.Done():
	}
	slog.Info("gateway shutting down", "grace", s.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shut down HTTP server: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve HTTP: %w", err)
	}
	return nil
}
