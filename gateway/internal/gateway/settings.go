// Package gateway assembles the REST gateway: one grpc-gateway mux over the four services, the probes and
// the OpenAPI document, wrapped in the request id, access log and body limit middleware, and the HTTP server
// that runs it until SIGTERM or SIGINT.
package gateway

import (
	"errors"
	"time"
)

// Settings are every environment variable the gateway reads; `gateway env` prints them.
type Settings struct {
	HTTPAddr        string        `env:"HTTP_ADDR" help:"address the REST API listens on"`
	PartnershipAddr string        `env:"PARTNERSHIP_ADDR" help:"gRPC address of the partnership service"`
	NetworkAddr     string        `env:"NETWORK_ADDR" help:"gRPC address of the network service"`
	FinanceAddr     string        `env:"FINANCE_ADDR" help:"gRPC address of the finance service"`
	ReportingAddr   string        `env:"REPORTING_ADDR" help:"gRPC address of the reporting service"`
	LogLevel        string        `env:"LOG_LEVEL" help:"debug, info, warn or error"`
	MaxBodyBytes    int64         `env:"MAX_BODY_BYTES" help:"largest request body accepted; a larger one answers 413"`
	UpstreamTimeout time.Duration `env:"UPSTREAM_TIMEOUT" help:"longest wait for a service's answer; a slower one answers 504"`
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" help:"how long requests in flight may finish after SIGTERM or SIGINT"`
}

// DefaultSettings are the defaults of conventions.md: everything on the loopback interface, services on
// ports 9091 to 9094.
func DefaultSettings() Settings {
	return Settings{
		HTTPAddr:        "127.0.0.1:8080",
		PartnershipAddr: "127.0.0.1:9091",
		NetworkAddr:     "127.0.0.1:9092",
		FinanceAddr:     "127.0.0.1:9093",
		ReportingAddr:   "127.0.0.1:9094",
		LogLevel:        "info",
		MaxBodyBytes:    1 << 20,
		UpstreamTimeout: 30 * time.Second,
		ShutdownTimeout: 15 * time.Second,
	}
}

// validate reports settings the gateway cannot run with, all at once.
func (s Settings) validate() error {
	var errs []error
	if s.MaxBodyBytes <= 0 {
		errs = append(errs, errors.New("MAX_BODY_BYTES must be positive"))
	}
	if s.UpstreamTimeout <= 0 {
		errs = append(errs, errors.New("UPSTREAM_TIMEOUT must be positive"))
	}
	if s.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("SHUTDOWN_TIMEOUT must be positive"))
	}
	return errors.Join(errs...)
}
