package accesslog

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/logging"
	"github.com/partnerskap/partnerskap/platform/requestid"
)

func TestOneLinePerRequestWithoutSecrets(t *testing.T) {
	var buf bytes.Buffer
	h := Middleware(logging.New(&buf, "info", "gateway"), time.Second)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
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

// Failures and slow requests are logged at info and above; quick successes only at debug level.
func TestWhatIsLogged(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		delay  time.Duration
		level  string // "" when nothing is logged at info
	}{
		{"quick success", http.StatusOK, 0, ""},
		{"slow success", http.StatusOK, 30 * time.Millisecond, "INFO"},
		{"refusal", http.StatusNotFound, 0, "INFO"},
		{"outage", http.StatusServiceUnavailable, 0, "WARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := Middleware(logging.New(&buf, "info", "gateway"), 20*time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				time.Sleep(tc.delay)
				w.WriteHeader(tc.status)
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/v1/organizations", nil))
			if tc.level == "" {
				if buf.Len() != 0 {
					t.Fatalf("logged at info: %s", buf.String())
				}
				return
			}
			if !strings.Contains(buf.String(), `"level":"`+tc.level+`"`) {
				t.Fatalf("want one line at %s: %s", tc.level, buf.String())
			}
		})
	}
}
