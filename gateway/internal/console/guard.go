package console

import (
	"crypto/subtle"
	"net/http"
)

// maxFormBytes bounds a form's body: the console's forms are a few fields of text.
const maxFormBytes = 64 << 10

// csrfField is the hidden input every POST form carries.
const csrfField = "csrf"

// checkCSRF runs next only for a form whose CSRF token is the session's. Anything else (no session, no token,
// another session's token, a body too large to be a form) is refused with 403 before next, so a forged form
// from another site never reaches the API.
func (c *Console) checkCSRF(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		s := c.readSession(r)
		if s == nil || r.ParseForm() != nil || !sameToken(r.PostForm.Get(csrfField), s.CSRF) {
			c.renderProblem(w, r, http.StatusForbidden, c.text(r, "problem.csrf"))
			return
		}
		next(w, r)
	})
}

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// signedIn runs next only for a signed-in visitor; others are sent to sign in.
func (c *Console) signedIn(next func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := c.readSession(r)
		if !s.signedIn() {
			toSignIn(w, r, "/console/sign-in")
			return
		}
		next(w, r, s)
	})
}

// toSignIn sends the browser to the sign-in page. A request htmx made for part of a page is told with
// HX-Redirect to load the whole sign-in page, since following the redirect itself would put the sign-in
// page's pieces (none) where the list was.
func toSignIn(w http.ResponseWriter, r *http.Request, target string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}
