package gateway

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/partnerskap/partnerskap/gateway/internal/accesslog"
	"github.com/partnerskap/partnerskap/gateway/internal/console"
	"github.com/partnerskap/partnerskap/gateway/internal/headers"
)

// consoleSessionTTL is how long a development sign-in lasts: a working day. An OIDC sign-in lasts as long as
// the provider's access token.
const consoleSessionTTL = 8 * time.Hour

// newConsole builds the web console over api, the whole REST handler, which is the only way the console
// reaches the services. The console's pages get a request id and an access log line as the API's requests do.
func newConsole(s Settings, api http.Handler) (http.Handler, error) {
	cfg := console.Config{API: api, MaxDocumentBytes: s.MaxDocumentBytes}
	switch {
	case s.AuthMode == "development":
		cfg.DevSignIn = &console.DevSignIn{KeyFile: s.AuthDevKeyFile, Issuer: s.AuthIssuer, Audience: s.AuthAudience, TTL: consoleSessionTTL}
	case s.OIDCClientID != "":
		secret, err := readSecret(s.OIDCClientSecretFile)
		if err != nil {
			return nil, fmt.Errorf("CONSOLE_OIDC_CLIENT_SECRET_FILE: %w", err)
		}
		cfg.OIDC = &console.OIDC{Issuer: s.AuthIssuer, ClientID: s.OIDCClientID, ClientSecret: secret,
			RedirectURL: s.OIDCRedirectURL, Scopes: s.OIDCScopes, Audience: s.AuthAudience}
	}
	if s.SessionKeyFile != "" {
		keys, err := readSessionKeys(s.SessionKeyFile)
		if err != nil {
			return nil, fmt.Errorf("CONSOLE_SESSION_KEY_FILE: %w", err)
		}
		cfg.SessionKeys = keys
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

// readSecret returns a file's content without the line end editors and Secrets add; no file, no secret.
func readSecret(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(raw)), nil
}

// readSessionKeys reads one base64 key a line (blank lines and # comments skipped), each 32 bytes.
func readSessionKeys(path string) ([][]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var keys [][]byte
	for i, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, err := base64.StdEncoding.DecodeString(line)
		if err != nil {
			key, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(line, "="))
		}
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("line %d is not 32 bytes in base64 (make one with: openssl rand -base64 32)", i+1)
		}
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s holds no key", path)
	}
	return keys, nil
}
