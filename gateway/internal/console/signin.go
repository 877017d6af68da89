package console

import (
	"crypto/ed25519"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// devSigner signs development tokens with the key of AUTH_DEV_KEY_FILE, read once at first use.
type devSigner struct {
	cfg DevSignIn
	mu  sync.Mutex
	key ed25519.PrivateKey
}

func (d *devSigner) sign(p auth.Principal, ttl time.Duration) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.key == nil {
		key, err := auth.EnsureDevKey(d.cfg.KeyFile)
		if err != nil {
			return "", err
		}
		d.key = key
	}
	return auth.IssueDevToken(d.key, d.cfg.Issuer, d.cfg.Audience, p, ttl)
}

// listingTTL is the life of the token the sign-in page reads the organisations with.
const listingTTL = time.Minute

// signInRoles are the roles the development sign-in offers, in the order of the conventions' table.
var signInRoles = auth.Roles()

// signInData is the sign-in page's content.
type signInData struct {
	Available bool
	// OIDC offers the organisation account's sign-in instead of the development form.
	OIDC      bool
	Ended     bool
	Roles     []auth.Role
	Orgs      []organization
	Role, Org string
	// Problem is what stopped the sign-in, if anything; OrgProblem belongs beside the organisation input.
	Problem, OrgProblem *text
}

// signInPage offers the development sign-in: a role and, for members and partners, their organisation.
func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	c.showSignIn(w, r, http.StatusOK, signInData{Role: string(auth.RoleMember), Ended: r.URL.Query().Has("ended")})
}

func (c *Console) showSignIn(w http.ResponseWriter, r *http.Request, status int, data signInData) {
	if c.oidc != nil {
		data.Available, data.OIDC = true, true
		c.render(w, r, status, "sign-in", "", data)
		return
	}
	if c.dev == nil {
		// Neither sign-in is set up (AUTH_MODE=oidc without CONSOLE_OIDC_CLIENT_ID): the API alone is offered.
		c.render(w, r, http.StatusNotImplemented, "sign-in", "", data)
		return
	}
	data.Available, data.Roles = true, signInRoles
	orgs, err := c.organizationsForSignIn(r)
	if err != nil {
		p := c.text(r, "signIn.noOrgs")
		var e *apiError
		if errors.As(err, &e) {
			p = explainReason(languageOf(r), e)
		} else {
			slog.ErrorContext(r.Context(), "console: sign-in cannot read the organisations", "error", err.Error())
		}
		data.Problem = &p
	}
	data.Orgs = orgs
	c.render(w, r, status, "sign-in", "", data)
}

// organizationsForSignIn reads every organisation with a short-lived development auditor token of the
// console's own: before sign-in there is no one else's token, and organisations are public bodies that
// every role may read.
func (c *Console) organizationsForSignIn(r *http.Request) ([]organization, error) {
	token, err := c.dev.sign(auth.Principal{Subject: "console-sign-in", Role: auth.RoleAuditor}, listingTTL)
	if err != nil {
		return nil, err
	}
	return c.listOrganizations(r, token)
}

// signIn starts the OIDC sign-in, or signs a development token for the chosen role and organisation and keeps it in a new session.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	if c.oidc != nil {
		c.startOIDC(w, r)
		return
	}
	if c.dev == nil {
		c.notFound(w, r)
		return
	}
	role, ok := auth.ParseRole(r.PostForm.Get("role"))
	data := signInData{Role: string(role), Org: r.PostForm.Get("org")}
	if !ok {
		p := c.text(r, "signIn.chooseRole")
		data.Problem = &p
		c.showSignIn(w, r, http.StatusBadRequest, data)
		return
	}
	p := auth.Principal{Subject: "dev-" + string(role), Role: role}
	orgName := ""
	if role.OrgScoped() {
		name, known := c.organizationName(r, data.Org)
		if !known {
			msg := c.text(r, "signIn.chooseOrg")
			data.OrgProblem = &msg
			c.showSignIn(w, r, http.StatusBadRequest, data)
			return
		}
		p.Org, p.Subject, orgName = data.Org, p.Subject+"-"+data.Org, name
	}
	ttl := c.dev.cfg.TTL
	token, err := c.dev.sign(p, ttl)
	if err != nil {
		// The cause (a key file that cannot be read) is for the operator's log, not the page.
		slog.ErrorContext(r.Context(), "console: sign a development token", "error", err.Error())
		msg := c.text(r, "signIn.failed")
		data.Problem = &msg
		c.showSignIn(w, r, http.StatusInternalServerError, data)
		return
	}
	s := newSession(ttl)
	s.Token, s.Role, s.Org, s.OrgName = token, string(role), p.Org, orgName
	c.writeSession(w, r, s)
	http.Redirect(w, r, "/console/", http.StatusSeeOther)
}

// organizationName finds the organisation id among those the API knows, so a session never names one
// that does not exist.
func (c *Console) organizationName(r *http.Request, id string) (string, bool) {
	if id == "" {
		return "", false
	}
	orgs, err := c.organizationsForSignIn(r)
	if err != nil {
		return "", false
	}
	for _, o := range orgs {
		if o.ID == id {
			return o.DisplayName, true
		}
	}
	return "", false
}

// signOut ends the session.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	clearSession(w, r)
	http.Redirect(w, r, c.signOutURL(r), http.StatusSeeOther)
}
