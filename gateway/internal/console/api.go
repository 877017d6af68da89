package console

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
	// idempotencyKey, when set, is sent as Idempotency-Key, so a form sent twice creates one thing.
	idempotencyKey string
}

// call sends req as the bearer of token, on behalf of the browser's request from, and decodes a successful
// answer into out. An answer that is not 2xx is an *apiError.
func (a apiClient) call(ctx context.Context, from *http.Request, token string, req apiRequest, out any) error {
	var body bytes.Buffer
	if req.body != nil {
		if err := json.NewEncoder(&body).Encode(req.body); err != nil {
			return fmt.Errorf("console: encode %s %s: %w", req.method, req.path, err)
		}
	}
	target := req.path
	if len(req.query) > 0 {
		target += "?" + req.query.Encode()
	}
	r, err := http.NewRequestWithContext(ctx, req.method, target, &body)
	if err != nil {
		return fmt.Errorf("console: %s %s: %w", req.method, req.path, err)
	}
	r.Header.Set("Accept", "application/json")
	if req.body != nil {
		r.Header.Set("Content-Type", "application/json")
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
