package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/gateway/internal/accesslog"
	"github.com/partnerskap/partnerskap/gateway/internal/bearer"
	"github.com/partnerskap/partnerskap/gateway/internal/bodylimit"
	"github.com/partnerskap/partnerskap/gateway/internal/clientaddr"
	"github.com/partnerskap/partnerskap/gateway/internal/codec"
	"github.com/partnerskap/partnerskap/gateway/internal/console"
	"github.com/partnerskap/partnerskap/gateway/internal/docstream"
	"github.com/partnerskap/partnerskap/gateway/internal/fieldnames"
	"github.com/partnerskap/partnerskap/gateway/internal/headers"
	"github.com/partnerskap/partnerskap/gateway/internal/health"
	"github.com/partnerskap/partnerskap/gateway/internal/httperr"
	"github.com/partnerskap/partnerskap/gateway/internal/negotiate"
	"github.com/partnerskap/partnerskap/gateway/internal/ratelimit"
	"github.com/partnerskap/partnerskap/gateway/internal/streamerr"
	"github.com/partnerskap/partnerskap/gateway/internal/upstream"
	"github.com/partnerskap/partnerskap/gateway/openapi"
)

// healthCheckTimeout bounds each service's health check, so /healthz answers a prober in time even when a
// service hangs.
const healthCheckTimeout = 2 * time.Second

// probePaths are the liveness and readiness probes, which are never rate-limited: a prober that got 429
// would restart or drain a healthy gateway.
var probePaths = []string{"/livez", "/healthz"}

// NewHandler returns the gateway's whole HTTP handler and a function that closes its connections to the
// services. Nothing is dialled yet: a service that is down makes its routes answer 503, not NewHandler fail.

// CalendarPath is the deadlines' iCalendar feed, which the notification service opens by its feed token.
const CalendarPath = "/v1/deadlines.ics"

func NewHandler(ctx context.Context, s Settings) (http.Handler, func(), error) {
	if err := s.validate(); err != nil {
		return nil, nil, fmt.Errorf("settings: %w", err)
	}
	addresses, err := clientaddr.New(s.TrustedProxies)
	if err != nil {
		return nil, nil, err
	}
	conns, err := upstream.Dial(s.services(), s.UpstreamTimeout)
	if err != nil {
		return nil, nil, err
	}
	closeConns := func() {
		if err := upstream.Close(conns); err != nil {
			slog.Warn("closing service connections", "error", err.Error())
		}
	}
	mux, err := newMux(ctx, conns)
	if err != nil {
		closeConns()
		return nil, nil, err
	}
	limiter := ratelimit.New(s.rateLimits(), addresses.Of, probePaths, httperr.RateLimited)
	// Innermost first. The rate limit sits inside negotiate, so a report asked for as CSV through Accept
	// counts as the export it becomes, and outside the mux, so a refused call costs no decoding and no
	// service; the access log sees the 429s and 413s too, and the request id exists before anything logs.
	var h http.Handler = mux
	h = streamerr.Middleware("/v1/exports/")(h)
	h = limiter.Middleware(h)
	h = negotiate.Middleware(httperr.NotAcceptable)(h)
	h = fieldnames.Middleware(h)
	h = bodylimit.Middleware(s.MaxBodyBytes, map[string]int64{docstream.UploadPath: s.MaxDocumentBytes}, httperr.TooLarge)(h)
	h = accesslog.Middleware(slog.Default(), s.LogSlowCall)(h)
	h = headers.Prepare(h)
	h = headers.Protect(h)
	// The web console owns / and /console/ and calls h, the API exactly as clients get it, in-process; every
	// other request goes to h as before.
	pages, err := newConsole(s, h)
	if err != nil {
		closeConns()
		return nil, nil, err
	}
	return console.Mount(pages, h), closeConns, nil
}

// newMux builds the one router: the services' generated routes plus the probes and the OpenAPI document,
// so an unknown path or method gets the same error body wherever it points.
func newMux(ctx context.Context, conns []upstream.Conn) (*runtime.ServeMux, error) {
	mux := runtime.NewServeMux(
		// Exports answer with google.api.HttpBody (a CSV or SIE file): its bytes and content type pass through
		// as they are; every other answer is JSON.
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.HTTPBodyMarshaler{Marshaler: codec.New()}),
		runtime.WithIncomingHeaderMatcher(headers.Incoming),
		runtime.WithOutgoingHeaderMatcher(headers.Outgoing),
		runtime.WithOutgoingTrailerMatcher(headers.NoTrailers),
		runtime.WithForwardResponseOption(headers.ForwardResponse),
		runtime.WithErrorHandler(httperr.Handle),
		// Query parameters the default parser cannot read are named in the client's terms. The parser is
		// process-wide in grpc-gateway; every mux of this binary sets the same one.
		runtime.SetQueryParameterParser(&codec.QueryParser{}),
		// A call that can never be authenticated is refused after routing (an unknown path still answers
		// 404) but before its handler reads and decodes the body. Published documents need no token, and a
		// calendar's feed carries its own in the query (calendars cannot send headers).
		runtime.WithMiddlewares(bearer.Require("/v1/", httperr.Unauthenticated, docstream.PublicPrefix, CalendarPath)),
		runtime.WithRoutingErrorHandler(httperr.Routing),
		// A form POST must not turn into a GET, nor a header change the method after the access log saw it.
		runtime.WithDisablePathLengthFallback(),
		runtime.WithDisableHTTPMethodOverride(),
	)
	targets := make([]health.Target, 0, len(conns))
	for _, c := range conns {
		for _, register := range c.Registers {
			if err := register(ctx, mux, c.ClientConn); err != nil {
				return nil, fmt.Errorf("register the %s service's routes: %w", c.Name, err)
			}
		}
		targets = append(targets, health.Target{Name: c.Name, Client: c.Health()})
	}
	if err := registerAuditLog(ctx, mux, conns); err != nil {
		return nil, err
	}
	if err := registerDocuments(mux, conns); err != nil {
		return nil, err
	}
	plain := map[string]http.Handler{
		probePaths[0]:      http.HandlerFunc(health.Live),
		probePaths[1]:      health.Ready(targets, healthCheckTimeout),
		"/openapi.json":    openapi.Handler(),
		"/openapi.v2.json": openapi.HandlerV2(),
		openapi.DocsPath:   openapi.DocsHandler(),
		openapi.ScriptPath: openapi.ScriptHandler(),
	}
	for path, h := range plain {
		if err := mux.HandlePath(http.MethodGet, path, adapt(h)); err != nil {
			return nil, fmt.Errorf("route %s: %w", path, err)
		}
	}
	return mux, nil
}

// registerDocuments routes the streaming upload and download of documents to the partnership service.
func registerDocuments(mux *runtime.ServeMux, conns []upstream.Conn) error {
	for _, c := range conns {
		if c.Name == "partnership" {
			return docstream.Register(mux, partnershipv1.NewDocumentServiceClient(c.ClientConn))
		}
	}
	return fmt.Errorf("documents need a connection to the partnership service")
}

// adapt makes a plain handler a mux route.
func adapt(h http.Handler) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, _ map[string]string) { h.ServeHTTP(w, r) }
}
