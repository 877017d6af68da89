package console

import (
	"errors"
	"net/http"
)

// claimFormMaxBytes bounds the new claim form with its receipt files: the gateway's default
// MAX_DOCUMENT_BYTES (20 MiB, what POST /v1/documents takes of one file) for the files together, and room
// for the text fields. A larger form is refused before any of it is stored; each file still meets the
// API's own limits when it is uploaded.
//
// TODO(issue 15): take the gateway's configured MAX_DOCUMENT_BYTES through Config instead of its default.
const claimFormMaxBytes = 20<<20 + maxFormBytes

// claimFormMemory is how much of the form is held in memory; the rest of the files waits on disk until
// the handler ends.
const claimFormMemory = 4 << 20

// postFiles is c.post for a form with files (multipart/form-data), which c.post cannot read within its
// limit of text forms: the body is bounded by limit, and the CSRF token is checked before next runs, so a
// forged form never reaches the API. The files spooled to disk are removed when next returns.
func (c *Console) postFiles(limit int64, next func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return c.signedIn(func(w http.ResponseWriter, r *http.Request, s *session) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		err := r.ParseMultipartForm(claimFormMemory)
		if r.MultipartForm != nil {
			defer func() { _ = r.MultipartForm.RemoveAll() }()
		}
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			c.renderProblem(w, r, http.StatusRequestEntityTooLarge, c.text(r, "claimNew.tooLarge"))
			return
		case err != nil || !sameToken(r.PostForm.Get(csrfField), s.CSRF):
			c.renderProblem(w, r, http.StatusForbidden, c.text(r, "problem.csrf"))
			return
		}
		next(w, r, s)
	})
}
