package console

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
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

// filesFormMemory is how much of a form with files is held in memory; the rest of the files waits on disk
// until the handler ends.
const filesFormMemory = 4 << 20

// postFiles is c.post for a form with files (multipart/form-data), which c.post cannot read within its
// limit of text forms: the body is bounded by limit (its refusal names MAX_DOCUMENT_BYTES in MB, since the
// files go to POST /v1/documents), and the CSRF token is checked before next runs, so a
// forged form never reaches the API. The files spooled to disk are removed when next returns.
func (c *Console) postFiles(limit int64, next func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return c.signedIn(func(w http.ResponseWriter, r *http.Request, s *session) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		err := r.ParseMultipartForm(filesFormMemory)
		if r.MultipartForm != nil {
			defer func() { _ = r.MultipartForm.RemoveAll() }()
		}
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			t := c.text(r, "claimNew.tooLarge")
			t.Text = strings.ReplaceAll(t.Text, "{max}", strconv.FormatInt(c.maxDocumentBytes>>20, 10))
			c.renderProblem(w, r, http.StatusRequestEntityTooLarge, t)
			return
		case err != nil || !sameToken(r.PostForm.Get(csrfField), s.CSRF):
			c.renderProblem(w, r, http.StatusForbidden, c.text(r, "problem.csrf"))
			return
		}
		next(w, r, s)
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
