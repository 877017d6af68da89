package gateway

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/partnerskap/partnerskap/gateway/internal/accesslog"
	"github.com/partnerskap/partnerskap/gateway/internal/console"
	"github.com/partnerskap/partnerskap/gateway/internal/headers"
)

// consoleSessionTTL is how long a development sign-in lasts: a working day.
const consoleSessionTTL = 8 * time.Hour

// newConsole builds the web console over api, the whole REST handler, which is the only way the console
// reaches the services. The console's pages get a request id and an access log line as the API's requests do.
func newConsole(s Settings, api http.Handler) (http.Handler, error) {
	cfg := console.Config{API: api}
	if s.AuthMode == "development" {
		cfg.DevSignIn = &console.DevSignIn{KeyFile: s.AuthDevKeyFile, Issuer: s.AuthIssuer, Audience: s.AuthAudience, TTL: consoleSessionTTL}
	}
	c, err := console.New(cfg)
	if err != nil {
		return nil, err
	}
	var h http.Handler = c
	h = accesslog.Middleware(slog.Default(), s.LogSlowCall)(h)
	h = headers.Prepare(h)
	h = headers.Protect(h)
	return h, nil
}
