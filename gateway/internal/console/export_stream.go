package console

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"net/url"
)

// apiStream is one call of the API whose answer is a file the browser downloads: it goes to the browser as
// it arrives, never held whole (c.api.call buffers; an IATI export of a year can be large and slow).
type apiStream struct {
	path  string
	query url.Values
	// accept is the one type asked for (the gateway negotiates exports by Accept).
	accept string
	// fileName is the name the browser saves the file under when the API names none.
	fileName string
	// problem shows a refusal; nil is c.apiProblem.
	problem func(http.ResponseWriter, *http.Request, error)
}

// streamFromAPI runs the API's handler for req as the bearer of token and passes its answer on to w: a
// successful one byte for byte as it comes, flushed after every write, with its Content-Type and
// Content-Disposition; a refusal before the first byte as the console's problem page, as any page shows it.
func (c *Console) streamFromAPI(w http.ResponseWriter, r *http.Request, token string, req apiStream) {
	in, err := c.api.request(r.Context(), r, token, apiRequest{method: http.MethodGet, path: req.path, query: req.query, accept: req.accept})
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	out := &streamingResponse{dst: w, fileName: req.fileName}
	c.api.h.ServeHTTP(out, in)
	if out.status == 0 {
		out.WriteHeader(http.StatusOK) // an empty file is still a file
	}
	if !out.passing() {
		problem := req.problem
		if problem == nil {
			problem = c.apiProblem
		}
		problem(w, r, decodeAPIError(out.status, out.refusal.Bytes()))
	}
}

// streamingResponse is the ResponseWriter the API's handler writes a file to. A successful answer goes
// straight on to the browser; a refusal (which comes before any byte of a file) is kept, small as it is, for
// the problem page.
type streamingResponse struct {
	dst      http.ResponseWriter
	fileName string
	header   http.Header
	status   int
	refusal  bytes.Buffer
	// failed is the first error writing to the browser: it has gone, so the rest is not sent.
	failed error
}

func (s *streamingResponse) Header() http.Header {
	if s.header == nil {
		s.header = http.Header{}
	}
	return s.header
}

func (s *streamingResponse) passing() bool { return s.status >= 200 && s.status <= 299 }

// WriteHeader passes a success on with the file's own headers only: the API's other headers (its caching,
// its security policy) are for API clients, and the console's page headers are already set.
func (s *streamingResponse) WriteHeader(code int) {
	if s.status != 0 {
		return
	}
	s.status = code
	if !s.passing() {
		return
	}
	h := s.dst.Header()
	if ct := s.Header().Get("Content-Type"); ct != "" {
		h.Set("Content-Type", ct)
	}
	disposition := s.Header().Get("Content-Disposition")
	if disposition == "" && s.fileName != "" {
		disposition = mime.FormatMediaType("attachment", map[string]string{"filename": s.fileName})
	}
	if disposition != "" {
		h.Set("Content-Disposition", disposition)
	}
	// The file is the person's own view of the data: no shared cache may keep it.
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	s.dst.WriteHeader(code)
}

// Write forwards p to the browser at once and flushes it, so a download shows its progress; the API's
// own Flush does not reach here through every middleware between.
func (s *streamingResponse) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	if !s.passing() {
		return s.refusal.Write(p)
	}
	if s.failed != nil {
		return 0, s.failed
	}
	n, err := s.dst.Write(p)
	if err == nil {
		// A writer that cannot flush (none of the gateway's) still gets every byte, only later.
		if ferr := http.NewResponseController(s.dst).Flush(); !errors.Is(ferr, http.ErrNotSupported) {
			err = ferr
		}
	}
	if err != nil {
		s.failed = err
	}
	return n, err
}

// Flush is there for a handler that flushes on its own; Write has flushed already.
func (s *streamingResponse) Flush() {}
