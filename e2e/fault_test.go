package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

// outcome is one answer a load worker got: its time, HTTP status (0 for no answer at all) and what it was.
type outcome struct {
	at     time.Time
	status int
	what   string
}

// TestDatabaseRestartLosesNothing restarts the suite's PostgreSQL (a private cluster of this test's own)
// under a steady load of writes and reads through the gateway, each write carrying an Idempotency-Key that
// its client repeats until it gets an answer, as the README tells clients to. Afterwards: every acknowledged
// write is there exactly once, nothing is there twice, no answer was a 500, and any error happened while the
// database was down (or within a short grace after, while pools reconnect).
func TestDatabaseRestartLosesNothing(t *testing.T) {
	runDir := pgtest.SharedTempDir(t)
	ctx := context.Background()
	serverURL, err := postgres.StartCluster(ctx, runDir)
	if err != nil {
		t.Fatalf("private cluster: %v", err)
	}
	t.Cleanup(func() { _ = postgres.StopCluster(context.Background(), runDir) })
	s := suite.StartOn(t, serverURL)
	token := s.Token(t, auth.RoleAdmin, "")

	const workers = 4
	const grace = 2 * time.Second
	var (
		mu       sync.Mutex
		outcomes []outcome
		acked    = map[string]string{} // display name -> id
	)
	record := func(o outcome) {
		mu.Lock()
		outcomes = append(outcomes, o)
		mu.Unlock()
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("fault-%d-%d", w, i)
				id := createUntilAnswered(t, s.GatewayURL, token, name, record)
				if id == "" {
					return // the test's time ran out while retrying: reported by the checks below
				}
				mu.Lock()
				acked[name] = id
				mu.Unlock()
				status, _ := call(http.MethodGet, s.GatewayURL+"/v1/organizations/"+id, token, "", "")
				record(outcome{time.Now(), status, "GET " + name})
			}
		})
	}

	time.Sleep(1500 * time.Millisecond) // load before the fault
	downAt := time.Now()
	if err := postgres.RestartCluster(ctx, runDir, time.Second); err != nil {
		close(stop)
		wg.Wait()
		t.Fatalf("restart: %v", err)
	}
	upAt := time.Now()
	time.Sleep(3 * time.Second) // load after the fault
	close(stop)
	wg.Wait()
	t.Logf("database down from %s for %v", downAt.Format(time.StampMilli), upAt.Sub(downAt).Round(time.Millisecond))

	errorsSeen, byStatus := 0, map[int]int{}
	for _, o := range outcomes {
		if o.status >= 200 && o.status < 300 {
			continue
		}
		errorsSeen++
		byStatus[o.status]++
		if o.status == http.StatusInternalServerError {
			t.Errorf("%s answered 500 at %s", o.what, o.at.Format(time.StampMilli))
		}
		if o.at.Before(downAt) || o.at.After(upAt.Add(grace)) {
			t.Errorf("%s answered %d at %s, outside the outage (%s to %s + %v)", o.what, o.status,
				o.at.Format(time.StampMilli), downAt.Format(time.StampMilli), upAt.Format(time.StampMilli), grace)
		}
	}
	t.Logf("%d answers, %d acknowledged writes, %d errors (by HTTP status, 0 for no answer: %v)", len(outcomes), len(acked), errorsSeen, byStatus)
	if len(acked) < 2*workers {
		t.Fatalf("only %d writes acknowledged: the load did not run", len(acked))
	}

	// Every acknowledged write exactly once, and no write twice.
	seen := map[string]int{}
	for _, org := range listAll(t, s.GatewayURL, token, "/v1/organizations", "organizations") {
		name, _ := org["displayName"].(string)
		if strings.HasPrefix(name, "fault-") {
			seen[name]++
			if id := acked[name]; id != "" && id != org["id"] {
				t.Errorf("%s is stored as %v, but its write was acknowledged as %s", name, org["id"], id)
			}
		}
	}
	for name := range acked {
		if seen[name] != 1 {
			t.Errorf("acknowledged write %s is stored %d times, want exactly once", name, seen[name])
		}
	}
	for name, n := range seen {
		if n > 1 {
			t.Errorf("%s is stored %d times", name, n)
		}
	}
}

// createUntilAnswered creates an international organisation named name, repeating the request with one
// Idempotency-Key until it is acknowledged (201), as a client should through an outage. Each answer is
// recorded. It gives up, returning "", after a minute.
func createUntilAnswered(t testing.TB, base, token, name string, record func(outcome)) string {
	key := randomKey(t)
	body := `{"kind":"ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT","display_name":"` + name + `","international":{"country_code":"ZM","government_kind":"city council"}}`
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		status, raw := call(http.MethodPost, base+"/v1/organizations", token, body, key)
		record(outcome{time.Now(), status, "POST " + name})
		if status == http.StatusCreated {
			var org map[string]any
			_ = json.Unmarshal(raw, &org)
			id, _ := org["id"].(string)
			return id
		}
		if status != 0 && status != http.StatusServiceUnavailable && status != http.StatusGatewayTimeout {
			t.Errorf("POST %s answered %d: %s", name, status, raw)
			return ""
		}
		time.Sleep(50 * time.Millisecond)
	}
	return ""
}

// call makes one request; status 0 means no answer at all (the connection failed).
func call(method, url, token, body, idempotencyKey string) (int, []byte) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	client := http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// listAll reads every page of a list route and returns the items under key.
func listAll(t testing.TB, base, token, path, key string) []map[string]any {
	t.Helper()
	var all []map[string]any
	pageToken := ""
	for {
		status, raw := call(http.MethodGet, base+path+"?page_size=500&page_token="+pageToken, token, "", "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, status, raw)
		}
		var page map[string]any
		if err := json.Unmarshal(raw, &page); err != nil {
			t.Fatal(err)
		}
		items, _ := page[key].([]any)
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				all = append(all, m)
			}
		}
		next, _ := page["nextPageToken"].(string)
		if next == "" {
			return all
		}
		pageToken = next
	}
}

func randomKey(t testing.TB) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
