package console

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// apiClient calls the gateway's REST API in-process, through the same handler (and so the same middleware,
// rate limits and error mapping) a client over the network meets. Nothing else reaches the services.
type apiClient struct{ h http.Handler }

// apiRequest is one call of the API.
type apiRequest struct {
	method, path string
	query        url.Values
	// body, when not nil, is sent as JSON.
	body any
	// raw, when not nil, is sent as it is instead of body (a file: a receipt to POST /v1/documents), as
	// rawType, rawSize bytes long (-1 when not known).
	raw     io.Reader
	rawType string
	rawSize int64
	// accept is the one type asked for; empty is JSON.
	accept string
	// idempotencyKey, when set, is sent as Idempotency-Key, so a form sent twice creates one thing.
	idempotencyKey string
}

// request builds req as a request of the bearer of token, on behalf of the browser's request from: every
// call of the API, JSON or file, is made by it, so each carries the person's token, address and request id.
func (a apiClient) request(ctx context.Context, from *http.Request, token string, req apiRequest) (*http.Request, error) {
	var body io.Reader = http.NoBody // a handler reads the body of every request it serves
	contentType, size := "", int64(0)
	switch {
	case req.raw != nil:
		body, contentType, size = req.raw, req.rawType, req.rawSize
	case req.body != nil:
		var b bytes.Buffer
		if err := json.NewEncoder(&b).Encode(req.body); err != nil {
			return nil, fmt.Errorf("console: encode %s %s: %w", req.method, req.path, err)
		}
		body, contentType, size = &b, "application/json", int64(b.Len())
	}
	target := req.path
	if len(req.query) > 0 {
		target += "?" + req.query.Encode()
	}
	r, err := http.NewRequestWithContext(ctx, req.method, target, body)
	if err != nil {
		return nil, fmt.Errorf("console: %s %s: %w", req.method, req.path, err)
	}
	r.ContentLength = size
	accept := req.accept
	if accept == "" {
		accept = "application/json"
	}
	r.Header.Set("Accept", accept)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	if req.idempotencyKey != "" {
		r.Header.Set("Idempotency-Key", req.idempotencyKey)
	}
	// The call counts against the person's own rate limits and address, and the services' audit log records
	// the page's request id, as if the browser had called the API itself.
	r.RemoteAddr = from.RemoteAddr
	for _, name := range []string{"X-Forwarded-For", "X-Request-Id"} {
		if v := from.Header.Get(name); v != "" {
			r.Header.Set(name, v)
		}
	}
	return r, nil
}

// call sends req as the bearer of token, on behalf of the browser's request from, and decodes a successful
// answer (JSON) into out. An answer that is not 2xx is an *apiError.
func (a apiClient) call(ctx context.Context, from *http.Request, token string, req apiRequest, out any) error {
	r, err := a.request(ctx, from, token, req)
	if err != nil {
		return err
	}
	var resp bufferedResponse
	a.h.ServeHTTP(&resp, r)
	if resp.status == 0 {
		resp.status = http.StatusOK
	}
	if resp.status < 200 || resp.status > 299 {
		return decodeAPIError(resp.status, resp.body.Bytes())
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.body.Bytes(), out); err != nil {
		return fmt.Errorf("console: decode the answer of %s %s: %w", req.method, req.path, err)
	}
	return nil
}

// bufferedResponse keeps the API's answer for the page to read.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header {
	if b.header == nil {
		b.header = http.Header{}
	}
	return b.header
}

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
