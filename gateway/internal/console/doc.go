// Package console is the web console the gateway serves at `/`: server-rendered HTML pages (html/template,
// with htmx for the few partial updates, both embedded) in Swedish and English, for the people of the
// programme who do not write curl.
//
// The console holds no rules and no data of its own. Every page calls the same REST API the gateway exposes,
// in-process through the gateway's own handler and with the signed-in person's bearer token, so each service
// still authenticates, authorizes and filters by organisation as it does for any other client: a member who
// asks for another organisation's partnership gets the API's 404 and the console's not-found page.
//
// The token lives in a session cookie sealed with AES-GCM (keys from CONSOLE_SESSION_KEY_FILE, shared by
// every replica and rotatable; else a key made when the gateway starts), HttpOnly, SameSite=Lax and Secure
// over TLS. Every POST form carries a CSRF token tied to the session; a form without the right one is
// refused with 403 before anything reaches the API.
//
// Sign-in is one of two (oidc.go, signin.go): in production (AUTH_MODE=oidc) the OpenID Connect
// authorization code flow with PKCE at the provider the services trust, whose access token becomes the
// session's; in development a page that picks a role and an organisation and signs a development token with
// the key of AUTH_DEV_KEY_FILE, as `make token` does.
//
// The pages are grouped by area, each listing its routes and texts in routes_*.go: partnerships and
// organisations, applications and reports, money (budgets, claims, payment batches) and the programme
// (networks, portfolio, IATI export).
package console
