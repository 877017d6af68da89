package console

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

// Config is what the console needs from the gateway.
type Config struct {
	// API is the gateway's whole REST handler, as clients reach it; the console calls it in-process.
	API http.Handler
	// DevSignIn offers the development sign-in page when not nil (AUTH_MODE=development).
	DevSignIn *DevSignIn
	// OIDC offers sign-in with the programme's OpenID Connect provider when not nil (AUTH_MODE=oidc).
	OIDC *OIDC
	// SessionKeys seal the session cookie (each 32 bytes, AES-256-GCM): the first seals, every one opens, so
	// a key can be replaced without signing everyone out. None makes a random one, so sessions end when the
	// process does and each replica has its own.
	SessionKeys [][]byte
	// MaxDocumentBytes is the largest file POST /v1/documents takes (the gateway's MAX_DOCUMENT_BYTES): the
	// new claim form, whose receipts go there, is bounded by it. Zero means the gateway's default, 20 MiB.
	MaxDocumentBytes int64
}

// DevSignIn says how development tokens are signed: as `make token` does, so the services accept them.
type DevSignIn struct {
	// KeyFile is the Ed25519 key of AUTH_DEV_KEY_FILE, read at the first sign-in (never at start, so a
	// gateway that cannot read it still serves the API).
	KeyFile string
	// Issuer and Audience are the claims the services expect (AUTH_ISSUER, AUTH_AUDIENCE).
	Issuer, Audience string
	// TTL is how long a signed token, and so the session, lasts.
	TTL time.Duration
}

// Console serves the console's pages.
type Console struct {
	api     apiClient
	dev     *devSigner
	oidc    *oidcSignIn
	cookies *sealer
	pages   *pageSet
	mux     *http.ServeMux
	// maxDocumentBytes is Config.MaxDocumentBytes, or its default.
	maxDocumentBytes int64
}

// New builds the console: it parses its templates once per language and makes the session key.
func New(cfg Config) (*Console, error) {
	if cfg.API == nil {
		return nil, errors.New("console: the API handler is required")
	}
	keys := cfg.SessionKeys
	if len(keys) == 0 {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("console: session key: %w", err)
		}
		keys = [][]byte{key}
	}
	cookies, err := newSealer(keys...)
	if err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	c := &Console{api: apiClient{h: cfg.API}, cookies: cookies, pages: pages, maxDocumentBytes: cfg.MaxDocumentBytes}
	if c.maxDocumentBytes <= 0 {
		c.maxDocumentBytes = defaultMaxDocumentBytes
	}
	if cfg.DevSignIn != nil && cfg.OIDC != nil {
		return nil, errors.New("console: offer the development sign-in or the OIDC one, not both")
	}
	if cfg.DevSignIn != nil {
		c.dev = &devSigner{cfg: *cfg.DevSignIn}
	}
	if cfg.OIDC != nil {
		c.oidc = newOIDCSignIn(*cfg.OIDC)
	}
	c.mux = c.routes()
	return c, nil
}

// routes lists the console's own pages and calls each area's list (routes_*.go). Every POST passes the CSRF
// check (c.post) before its handler runs.
func (c *Console) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", c.home)
	mux.Handle("GET /console/{$}", c.signedIn(c.showDashboard))
	mux.HandleFunc("GET /console/sign-in", c.signInPage)
	mux.Handle("POST /console/sign-in", c.checkCSRF(c.signIn))
	mux.Handle("POST /console/sign-out", c.checkCSRF(c.signOut))
	mux.HandleFunc("GET /console/oidc/callback", c.oidcCallback)
	mux.Handle("POST /console/language", c.checkCSRF(c.setLanguage))
	c.partnershipRoutes(mux)
	c.applicationRoutes(mux)
	c.financeRoutes(mux)
	c.programmeRoutes(mux)
	mux.Handle("GET /console/assets/", http.StripPrefix("/console/assets/", assetHandler()))
	mux.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) { c.notFound(w, r) })
	return mux
}

// page is a page only a signed-in person sees.
func (c *Console) page(h func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return c.signedIn(h)
}

// post is a form a signed-in person sends: the CSRF token is checked first.
func (c *Console) post(h func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return c.checkCSRF(c.signedIn(h).ServeHTTP)
}

// ServeHTTP serves one page with the headers every page gets.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Scripts and styles only from the console's own embedded files; no page may be framed (clickjacking),
	// and forms post only back here.
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	c.mux.ServeHTTP(w, r)
}

// home sends a signed-in person to what is due for them (the dashboard), anyone else to sign in.
func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	if s := c.readSession(r); s.signedIn() {
		http.Redirect(w, r, "/console/", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/console/sign-in", http.StatusSeeOther)
}

// Owns reports whether a path is the console's: the root page and everything under /console/. Every other
// path (the API under /v1/, the probes, the OpenAPI documents) stays the API's, exactly as before.
func Owns(path string) bool {
	return path == "/" || path == "/console" || strings.HasPrefix(path, "/console/")
}

// Mount sends the console's paths to console and every other request to api.
func Mount(console, api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if Owns(r.URL.Path) {
			console.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// assetHandler serves the embedded stylesheet and scripts. They change only with the binary, so browsers may
// keep them for an hour (the gateway's no-store is replaced here).
func assetHandler() http.Handler {
	sub, err := fs.Sub(assetFiles, "assets")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only the embedded files themselves, never a directory listing.
		if info, err := fs.Stat(sub, r.URL.Path); err != nil || info.IsDir() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
