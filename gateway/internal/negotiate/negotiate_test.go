package negotiate

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	both := []string{"application/json", "text/csv"}
	for _, tc := range []struct {
		accept []string
		want   string
	}{
		{nil, "application/json"},
		{[]string{"text/csv"}, "text/csv"},
		{[]string{"text/csv;q=0.5, application/json"}, "application/json"},
		{[]string{"application/json;q=0.2, text/csv;q=0.9"}, "text/csv"},
		{[]string{"*/*"}, "application/json"},
		{[]string{"text/*"}, "text/csv"},
		{[]string{"application/xml"}, ""},
		{[]string{"text/csv;q=0"}, ""},
		{[]string{"garbage;;"}, "application/json"},
		{[]string{"text/csv, */*"}, "text/csv"},
		{[]string{"*/*, application/json"}, "application/json"},
	} {
		if got := choose(tc.accept, both); got != tc.want {
			t.Errorf("Accept %q: %q, want %q", tc.accept, got, tc.want)
		}
	}
}

func TestMiddleware(t *testing.T) {
	var seen string
	h := Middleware(func(w http.ResponseWriter, _ *http.Request, offered []string) {
		w.WriteHeader(http.StatusNotAcceptable)
		_, _ = w.Write([]byte(strings.Join(offered, ",")))
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r.URL.Path }))
	for _, tc := range []struct {
		path, accept, wantPath string
		wantStatus             int
	}{
		{"/v1/reports/portfolio", "text/csv", "/v1/reports/portfolio:csv", 200},
		{"/v1/reports/partnerships/abc", "", "/v1/reports/partnerships/abc", 200},
		{"/v1/reports/partnerships/abc:csv", "text/csv", "/v1/reports/partnerships/abc:csv", 200},
		{"/v1/reports/partnerships/abc:csv", "application/json", "", 406},
		{"/v1/reports/compliance", "application/pdf", "", 406},
		{"/v1/reports/partnerships", "text/csv", "", 406},
		{"/v1/exports/iati", "application/xml", "/v1/exports/iati", 200},
		{"/v1/exports/iati", "application/json", "", 406},
		{"/v1/partnerships", "application/pdf", "/v1/partnerships", 200}, // not negotiated here
	} {
		seen = ""
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		h.ServeHTTP(rec, req)
		if rec.Code != tc.wantStatus || seen != tc.wantPath {
			t.Errorf("GET %s Accept %q: %d to %q, want %d to %q", tc.path, tc.accept, rec.Code, seen, tc.wantStatus, tc.wantPath)
		}
	}
}
