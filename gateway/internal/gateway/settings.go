// Package gateway assembles the REST gateway: one grpc-gateway mux over the four services, the probes and
// the OpenAPI document, wrapped in the request id, access log, body limit and rate limit middleware, with the
// web console (package console) beside it, and the HTTP server that runs it until SIGTERM or SIGINT.
package gateway

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/partnerskap/partnerskap/gateway/internal/clientaddr"
	"github.com/partnerskap/partnerskap/gateway/internal/ratelimit"
	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/logging"
)

// Settings are every environment variable the gateway reads; `gateway env` prints them.
type Settings struct {
	HTTPAddr         string        `env:"HTTP_ADDR" help:"address the REST API listens on"`
	PartnershipAddr  string        `env:"PARTNERSHIP_ADDR" help:"gRPC address of the partnership service"`
	NetworkAddr      string        `env:"NETWORK_ADDR" help:"gRPC address of the network service"`
	FinanceAddr      string        `env:"FINANCE_ADDR" help:"gRPC address of the finance service"`
	ReportingAddr    string        `env:"REPORTING_ADDR" help:"gRPC address of the reporting service"`
	NotificationAddr string        `env:"NOTIFICATION_ADDR" help:"gRPC address of the notification service"`
	LogLevel         string        `env:"LOG_LEVEL" help:"debug, info, warn or error"`
	LogSlowCall      time.Duration `env:"LOG_SLOW_CALL" help:"a successful request is logged when it takes this long or longer; quicker ones only at LOG_LEVEL=debug (failures always are; 0 logs every request)"`
	PprofAddr        string        `env:"PPROF_ADDR" help:"address serving Go's runtime profiles at /debug/pprof/ (e.g. 127.0.0.1:8081); empty serves none"`
	MaxBodyBytes     int64         `env:"MAX_BODY_BYTES" help:"largest request body accepted; a larger one answers 413"`
	MaxDocumentBytes int64         `env:"MAX_DOCUMENT_BYTES" help:"largest file POST /v1/documents accepts (the partnership service's DOCUMENTS_MAX_BYTES is the last word); a larger one answers 413"`
	UpstreamTimeout  time.Duration `env:"UPSTREAM_TIMEOUT" help:"longest wait for a service's answer; a slower one answers 504"`
	ShutdownTimeout  time.Duration `env:"SHUTDOWN_TIMEOUT" help:"how long requests in flight may finish after SIGTERM or SIGINT"`

	RateLimitReads          int      `env:"RATE_LIMIT_READS" help:"reads (GET) a second per caller, the subject and organisation its token claims; 0 turns the limit off"`
	RateLimitReadsBurst     int      `env:"RATE_LIMIT_READS_BURST" help:"reads a caller may make at once before RATE_LIMIT_READS applies"`
	RateLimitWrites         int      `env:"RATE_LIMIT_WRITES" help:"writes (POST, PUT, PATCH, DELETE) a second per caller; 0 turns the limit off"`
	RateLimitWritesBurst    int      `env:"RATE_LIMIT_WRITES_BURST" help:"writes a caller may make at once before RATE_LIMIT_WRITES applies"`
	RateLimitExports        int      `env:"RATE_LIMIT_EXPORTS" help:"exports (/v1/exports/, :export and :csv routes) a second per caller; 0 turns the limit off"`
	RateLimitExportsBurst   int      `env:"RATE_LIMIT_EXPORTS_BURST" help:"exports a caller may make at once before RATE_LIMIT_EXPORTS applies"`
	RateLimitAnonymous      int      `env:"RATE_LIMIT_ANONYMOUS" help:"requests a second per client address from callers without a usable bearer token; 0 turns the limit off"`
	RateLimitAnonymousBurst int      `env:"RATE_LIMIT_ANONYMOUS_BURST" help:"such requests an address may make at once before RATE_LIMIT_ANONYMOUS applies"`
	RateLimitAddress        int      `env:"RATE_LIMIT_ADDRESS" help:"requests a second per client address, whatever their tokens claim: the ceiling of one source; 0 turns the limit off"`
	RateLimitAddressBurst   int      `env:"RATE_LIMIT_ADDRESS_BURST" help:"requests an address may make at once before RATE_LIMIT_ADDRESS applies"`
	RateLimitBuckets        int      `env:"RATE_LIMIT_BUCKETS" help:"most buckets (one per caller and kind, or per address) kept in memory; the least recently used are forgotten first"`
	TrustedProxies          []string `env:"TRUSTED_PROXIES" help:"IP addresses or CIDR prefixes of proxies whose X-Forwarded-For names the client address; empty trusts none"`

	// The web console's sign-in. The names and defaults are the services' own, so one set of settings (make
	// run, the e2e harness) configures both; the gateway never verifies a token with them.
	AuthMode       string `env:"AUTH_MODE" help:"development: the web console offers a sign-in page that signs development tokens with AUTH_DEV_KEY_FILE; oidc: it signs people in with the OpenID Connect provider AUTH_ISSUER (authorization code flow with PKCE) once CONSOLE_OIDC_CLIENT_ID is set, and offers no sign-in without it"`
	AuthDevKeyFile string `env:"AUTH_DEV_KEY_FILE" help:"development: the Ed25519 key the console signs tokens with, the services' own; read at the first sign-in"`
	AuthIssuer     string `env:"AUTH_ISSUER" help:"development: the iss claim of the tokens the console signs; oidc: the provider the console signs people in with (its discovery document is read at the first sign-in); must be the services' AUTH_ISSUER"`
	AuthAudience   string `env:"AUTH_AUDIENCE" help:"the aud claim of the tokens the console signs (development) or accepts (oidc); must be the services' AUTH_AUDIENCE"`

	OIDCClientID         string   `env:"CONSOLE_OIDC_CLIENT_ID" help:"oidc: the console's client id at the provider; empty offers no sign-in in the console (the API is unchanged)"`
	OIDCClientSecretFile string   `env:"CONSOLE_OIDC_CLIENT_SECRET_FILE" help:"oidc: file holding the console's client secret; empty makes it a public client that relies on PKCE alone"`
	OIDCRedirectURL      string   `env:"CONSOLE_OIDC_REDIRECT_URL" help:"oidc: the public address of /console/oidc/callback as registered with the provider (e.g. https://partnerskap.example/console/oidc/callback); empty makes it from each request's host, which suits only a gateway reached directly"`
	OIDCScopes           []string `env:"CONSOLE_OIDC_SCOPES" help:"oidc: scopes the console asks for besides openid, comma-separated"`
	SessionKeyFile       string   `env:"CONSOLE_SESSION_KEY_FILE" help:"keys sealing the console's session cookies: one per line, each 32 random bytes in base64 (openssl rand -base64 32 makes one); the first seals, all open, so a key is replaced without signing anyone out. Every replica needs the same file; required with CONSOLE_OIDC_CLIENT_ID; empty makes a key per process (a restart signs everyone out)"`
}

// DefaultSettings are the defaults of conventions.md: everything on the loopback interface, services on
// ports 9091 to 9094.
func DefaultSettings() Settings {
	return Settings{
		HTTPAddr:         "127.0.0.1:8080",
		PartnershipAddr:  "127.0.0.1:9091",
		NetworkAddr:      "127.0.0.1:9092",
		FinanceAddr:      "127.0.0.1:9093",
		ReportingAddr:    "127.0.0.1:9094",
		NotificationAddr: "127.0.0.1:9095",
		LogLevel:         "info",
		LogSlowCall:      logging.DefaultSlowCall,
		MaxBodyBytes:     1 << 20,
		MaxDocumentBytes: 20 << 20,
		UpstreamTimeout:  30 * time.Second,
		ShutdownTimeout:  15 * time.Second,
		// Per caller: far above what a person in the web console does, low enough that one token cannot
		// take a service's whole capacity. The write burst holds make run's demo loader (about 25 writes
		// in a row from one admin token).
		RateLimitReads:          50,
		RateLimitReadsBurst:     100,
		RateLimitWrites:         10,
		RateLimitWritesBurst:    50,
		RateLimitExports:        1,
		RateLimitExportsBurst:   5,
		RateLimitAnonymous:      20,
		RateLimitAnonymousBurst: 40,
		RateLimitAddress:        1000,
		RateLimitAddressBurst:   2000,
		RateLimitBuckets:        10000,
		AuthMode:                "development",
		AuthDevKeyFile:          auth.DefaultDevKeyFile,
		AuthIssuer:              auth.DefaultDevIssuer,
		AuthAudience:            auth.DefaultAudience,
	}
}

// rateLimits is the rate limiter's view of the settings.
func (s Settings) rateLimits() ratelimit.Config {
	return ratelimit.Config{
		Reads:      ratelimit.Limit{PerSecond: s.RateLimitReads, Burst: s.RateLimitReadsBurst},
		Writes:     ratelimit.Limit{PerSecond: s.RateLimitWrites, Burst: s.RateLimitWritesBurst},
		Exports:    ratelimit.Limit{PerSecond: s.RateLimitExports, Burst: s.RateLimitExportsBurst},
		Anonymous:  ratelimit.Limit{PerSecond: s.RateLimitAnonymous, Burst: s.RateLimitAnonymousBurst},
		Address:    ratelimit.Limit{PerSecond: s.RateLimitAddress, Burst: s.RateLimitAddressBurst},
		MaxBuckets: s.RateLimitBuckets,
	}
}

// validate reports settings the gateway cannot run with, all at once.
func (s Settings) validate() error {
	var errs []error
	if s.MaxBodyBytes <= 0 {
		errs = append(errs, errors.New("MAX_BODY_BYTES must be positive"))
	}
	if s.MaxDocumentBytes <= 0 {
		errs = append(errs, errors.New("MAX_DOCUMENT_BYTES must be positive"))
	}
	if s.UpstreamTimeout <= 0 {
		errs = append(errs, errors.New("UPSTREAM_TIMEOUT must be positive"))
	}
	if s.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("SHUTDOWN_TIMEOUT must be positive"))
	}
	if err := s.rateLimits().Validate(); err != nil {
		errs = append(errs, fmt.Errorf("RATE_LIMIT_*: %w", err))
	}
	if s.AuthMode != "development" && s.AuthMode != "oidc" {
		errs = append(errs, fmt.Errorf("AUTH_MODE must be development or oidc, not %q", s.AuthMode))
	}
	if s.AuthMode == "oidc" && s.OIDCClientID != "" {
		if u, err := url.Parse(s.AuthIssuer); err != nil || !u.IsAbs() || u.Host == "" {
			errs = append(errs, fmt.Errorf("AUTH_ISSUER must be the provider's address (https://...) for the console's OIDC sign-in, not %q", s.AuthIssuer))
		}
		if s.SessionKeyFile == "" {
			errs = append(errs, errors.New("CONSOLE_SESSION_KEY_FILE is required with CONSOLE_OIDC_CLIENT_ID: every replica must open the others' session and sign-in cookies"))
		}
	}
	if s.OIDCRedirectURL != "" {
		if u, err := url.Parse(s.OIDCRedirectURL); err != nil || !u.IsAbs() || u.Path != "/console/oidc/callback" {
			errs = append(errs, fmt.Errorf("CONSOLE_OIDC_REDIRECT_URL must be an absolute address ending in /console/oidc/callback, not %q", s.OIDCRedirectURL))
		}
	}
	if _, err := clientaddr.New(s.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %w", err))
	}
	return errors.Join(errs...)
}
