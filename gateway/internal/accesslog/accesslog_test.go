package accesslog

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/logging"
	"github.com/partnerskap/partnerskap/platform/requestid"
)

func TestOneLinePerRequestWithoutSecrets(t *testing.T) {
	var buf bytes.Buffer
	h := Middleware(logging.New(&buf, "info", "gateway"))(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("hi"))
	}))
	r := httptest.NewRequest(http.MethodPost, "/v1/organizations?page_token=secret-query", nil)
	r.Header.Set("Authorization", "Bearer secret-token")
	h.ServeHTTP(httptest.NewRecorder(), r.WithContext(requestid.With(r.Context(), "req-9")))

	if strings.Contains(buf.String(), "secret") {
		t.Fatalf("log holds a secret: %s", buf.String())
	}
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not one JSON line: %q", buf.String())
	}
	want := map[string]any{"method": "POST", "path": "/v1/organizations", "status": float64(418), "request_id": "req-9", "bytes": float64(2)}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v", k, line[k], v)
		}
	}
	if _, ok := line["duration"]; !ok {
		t.Errorf("no duration: %v", line)
	}
}
