package streamerr

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestUnwrapsStreamErrorsOnly(t *testing.T) {
	h := Middleware("/v1/exports/")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("fail") != "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"code":5,"message":"nothing"}}`))
			return
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<iati-activities/>"))
	}))
	for _, tc := range []struct {
		path, want string
		status     int
	}{
		{"/v1/exports/iati?fail=1", `{"code":5,"message":"nothing"}`, 404},
		{"/v1/exports/iati", "<iati-activities/>", 200},
		{"/v1/other?fail=1", `{"error":{"code":5,"message":"nothing"}}`, 404},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
		if rec.Code != tc.status || rec.Body.String() != tc.want {
			t.Errorf("%s: %d %s, want %d %s", tc.path, rec.Code, rec.Body.String(), tc.status, tc.want)
		}
	}
}
