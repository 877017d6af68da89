package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// client talks REST to the gateway as one bearer of a token.
type client struct {
	t     testing.TB
	base  string
	token string
}

// reply is one HTTP answer with its JSON body decoded.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (c client) do(method, path, body string, headers ...string) reply {
	c.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// must fails the test unless the answer has the wanted status.
func (r reply) must(t testing.TB, status int) reply {
	t.Helper()
	if r.status != status {
		t.Fatalf("want HTTP %d, got %d: %s", status, r.status, r.raw)
	}
	return r
}

// str returns a string field of the body, named in proto (snake_case) form; the lowerCamelCase JSON name
// is accepted too, so the test does not depend on the gateway's naming choice.
func (r reply) str(key string) string {
	return str(r.body, key)
}

func str(m map[string]any, key string) string {
	if s, ok := m[key].(string); ok {
		return s
	}
	s, _ := m[camel(key)].(string)
	return s
}

func list(m map[string]any, key string) []any {
	if l, ok := m[key].([]any); ok {
		return l
	}
	l, _ := m[camel(key)].([]any)
	return l
}

func camel(snake string) string {
	parts := strings.Split(snake, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// reason returns the ErrorInfo reason of a google.rpc.Status body.
func (r reply) reason() string {
	details, _ := r.body["details"].([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		if strings.HasSuffix(m["@type"].(string), "google.rpc.ErrorInfo") {
			s, _ := m["reason"].(string)
			return s
		}
	}
	return ""
}

// fields returns the field names of a BadRequest detail.
func (r reply) fields() []string {
	var out []string
	details, _ := r.body["details"].([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		violations, _ := m["fieldViolations"].([]any)
		if violations == nil {
			violations, _ = m["field_violations"].([]any)
		}
		for _, v := range violations {
			out = append(out, v.(map[string]any)["field"].(string))
		}
	}
	return out
}
