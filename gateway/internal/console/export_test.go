package console

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The IATI export reaches the browser as the API writes it: the first part arrives while the API's handler
// is still blocked before writing the rest, with the file's type and a name to save it under.
func TestIATIExportStreamsBeforeTheEnd(t *testing.T) {
	firstWritten, release := make(chan struct{}), make(chan struct{})
	var asked *http.Request
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = r
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("Cache-Control", "public, max-age=60") // the API's own; the console's file is not cached
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "<iati-activities>\n<iati-activity>first</iati-activity>\n")
		close(firstWritten)
		select {
		case <-release:
		case <-time.After(10 * time.Second):
			t.Error("the test never read the first part")
		}
		_, _ = io.WriteString(w, "<iati-activity>second</iati-activity>\n</iati-activities>\n")
	})
	c := newTestConsole(t, api)
	server := httptest.NewServer(c)
	defer server.Close()
	req, _ := http.NewRequest(http.MethodGet, server.URL+"/console/exports/iati?year=2026", nil)
	req.AddCookie(sessionCookieFor(t, c, coordinator()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	<-firstWritten
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/xml" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename=iati-activities-2026.xml` || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	body := bufio.NewReader(resp.Body)
	var first string
	for i := 0; i < 2; i++ {
		line, err := body.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the first part: %v", err)
		}
		first += line
	}
	if first != "<iati-activities>\n<iati-activity>first</iati-activity>\n" {
		t.Fatalf("first part %q", first)
	}
	close(release)
	rest, err := io.ReadAll(body)
	if err != nil || string(rest) != "<iati-activity>second</iati-activity>\n</iati-activities>\n" {
		t.Fatalf("the rest %q, %v", rest, err)
	}
	if asked.URL.Path != "/v1/exports/iati" || asked.URL.Query().Get("year") != "2026" || asked.Header.Get("Accept") != "application/xml" ||
		asked.Header.Get("Authorization") != "Bearer header.payload.signature" {
		t.Errorf("the API was asked %s %v", asked.URL, asked.Header)
	}
}

// A refusal of the API (a member may not export) is the console's problem page, not a file; a year the
// console cannot read is marked beside its input on the export page, and the API is not asked.
func TestIATIExportRefusals(t *testing.T) {
	api := &fakeAPI{answer: func(r *http.Request, _ string) (int, any) {
		return http.StatusForbidden, map[string]any{"code": 7, "message": "the role member may not call ExportIati"}
	}}
	c := newTestConsole(t, api)
	rec := serve(c, http.MethodGet, "/console/exports/iati?year=2026", nil, sessionCookieFor(t, c, member()))
	if rec.Code != http.StatusForbidden || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
		rec.Header().Get("Content-Disposition") != "" || !strings.Contains(rec.Body.String(), "may not call ExportIati") {
		t.Errorf("a member's export: %d %v\n%s", rec.Code, rec.Header(), rec.Body.String())
	}
	rec = serve(c, http.MethodGet, "/console/exports/iati?year=20x6", nil, sessionCookieFor(t, c, coordinator()))
	if body := rec.Body.String(); rec.Code != http.StatusBadRequest || api.count() != 1 || !strings.Contains(body, `id="year-error"`) ||
		!strings.Contains(body, `value="20x6"`) {
		t.Errorf("a bad year: %d\n%s", rec.Code, body)
	}
}

// The export page works without JavaScript (a GET form to the file) and loads its enhancement from the
// console's own assets, with the texts it shows in the page's language.
func TestExportPage(t *testing.T) {
	c := newTestConsole(t, &fakeAPI{})
	rec := serve(c, http.MethodGet, "/console/exports", nil, sessionCookieFor(t, c, coordinator()), &http.Cookie{Name: langCookie, Value: "en"})
	body := rec.Body.String()
	for _, want := range []string{`<form method="get" action="/console/exports/iati"`, `<label for="year">Year</label>`,
		`<script src="/console/assets/export.js" defer></script>`, `role="status" aria-live="polite"`, `data-save="Save the file"`,
		`<progress id="iati-progress-bar"></progress>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the export page lacks %s:\n%s", want, body)
		}
	}
	rec = serve(c, http.MethodGet, "/console/assets/export.js", nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<iati-activity") {
		t.Errorf("export.js: %d", rec.Code)
	}
}
