package ratelimit

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/gateway/internal/bearer"
)

// token has the shape of a JWT claiming sub and org; nothing here verifies it, as nothing in the gateway does.
func token(sub, org string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"EdDSA"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":%q,"org":%q}`, sub, org))) + "." + enc([]byte("sig"))
}

func bearerClaims(sub, org string) bearer.Claims { return bearer.Claims{Subject: sub, Org: org} }

// refusal is what the limiter asked to be written.
type refusal struct {
	limit      string
	retryAfter time.Duration
	message    string
}

// harness runs a Limiter on a clock that moves only when told.
type harness struct {
	l       *Limiter
	clock   time.Time
	refused []refusal
	passed  int
}

func newHarness(cfg Config) *harness {
	h := &harness{clock: time.Unix(1_700_000_000, 0)}
	h.l = New(cfg, func(r *http.Request) string { return strings.Split(r.RemoteAddr, ":")[0] }, []string{"/livez", "/healthz"},
		func(w http.ResponseWriter, _ *http.Request, limit string, retryAfter time.Duration, message string) {
			h.refused = append(h.refused, refusal{limit, retryAfter, message})
			w.WriteHeader(http.StatusTooManyRequests)
		})
	h.l.now = func() time.Time { return h.clock }
	return h
}

var small = Config{
	Reads: Limit{PerSecond: 2, Burst: 3}, Writes: Limit{PerSecond: 1, Burst: 2}, Exports: Limit{PerSecond: 1, Burst: 1},
	Anonymous: Limit{PerSecond: 1, Burst: 2}, MaxBuckets: 100,
}

// send makes one request and reports whether it got through.
func (h *harness) send(method, path, addr, tok string) bool {
	r := httptest.NewRequest(method, path, nil)
	r.RemoteAddr = addr + ":40000"
	if tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	w := httptest.NewRecorder()
	h.l.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { h.passed++ })).ServeHTTP(w, r)
	return w.Code == http.StatusOK
}

// burst sends n requests and returns how many got through.
func (h *harness) burst(n int, method, path, addr, tok string) int {
	ok := 0
	for i := 0; i < n; i++ {
		if h.send(method, path, addr, tok) {
			ok++
		}
	}
	return ok
}

func TestEachCallerHasItsOwnBucket(t *testing.T) {
	h := newHarness(small)
	if got := h.burst(5, "GET", "/v1/partnerships", "10.0.0.1", token("anna", "org-a")); got != 3 {
		t.Fatalf("anna got %d reads through, want the burst of 3", got)
	}
	// Another subject, or the same subject for another organisation, is another caller, wherever it calls from.
	if got := h.burst(5, "GET", "/v1/partnerships", "10.0.0.1", token("bo", "org-a")); got != 3 {
		t.Fatalf("bo got %d", got)
	}
	if got := h.burst(5, "GET", "/v1/partnerships", "10.0.0.1", token("anna", "org-b")); got != 3 {
		t.Fatalf("anna of org-b got %d", got)
	}
	// The same claims from another address are another bucket: a token forged elsewhere with anna's subject
	// cannot drain hers.
	if !h.send("GET", "/v1/partnerships", "10.9.9.9", token("anna", "org-a")) {
		t.Fatal("anna's claims from another address were refused: a forger could lock her out")
	}
	h.clock = h.clock.Add(time.Second)
	if got := h.burst(5, "GET", "/v1/partnerships", "10.0.0.1", token("anna", "org-a")); got != 2 {
		t.Fatalf("after a second anna got %d, want the 2 a second refilled", got)
	}
}

func TestWritesAndExportsHaveTheirOwnTighterBuckets(t *testing.T) {
	h := newHarness(small)
	tok := token("anna", "org-a")
	if got := h.burst(5, "POST", "/v1/partnerships", "10.0.0.1", tok); got != 2 {
		t.Fatalf("writes: %d through, want 2", got)
	}
	for _, m := range []string{"PATCH", "PUT", "DELETE"} {
		if h.send(m, "/v1/partnerships/x", "10.0.0.1", tok) {
			t.Errorf("%s passed with the write bucket empty", m)
		}
	}
	for _, path := range []string{"/v1/exports/iati", "/v1/payment-batches/x:export", "/v1/reports/portfolio:csv"} {
		if !h.send("GET", path, "10.0.0.1", token("export-"+path, "org-a")) || h.send("GET", path, "10.0.0.1", token("export-"+path, "org-a")) {
			t.Errorf("%s: want one export through and the second refused", path)
		}
	}
	if got := h.burst(3, "GET", "/v1/partnerships", "10.0.0.1", tok); got != 3 {
		t.Fatalf("reads after writes ran out: %d through, want 3", got)
	}
	if h.refused[0].limit != "writes" {
		t.Fatalf("first refusal %+v", h.refused[0])
	}
}

func TestRefusalSaysWhichLimitAndWhen(t *testing.T) {
	h := newHarness(Config{Reads: Limit{PerSecond: 1, Burst: 1}, Writes: Limit{PerSecond: 1, Burst: 1},
		Exports: Limit{PerSecond: 1, Burst: 3}, Anonymous: Limit{PerSecond: 1, Burst: 1}, MaxBuckets: 10})
	h.burst(4, "GET", "/v1/exports/iati", "10.0.0.1", token("anna", ""))
	if len(h.refused) != 1 {
		t.Fatalf("refused %d times, want once", len(h.refused))
	}
	r := h.refused[0]
	if r.limit != "exports" || r.retryAfter != time.Second ||
		r.message != "too many exports from this caller: the limit is 1 a second with bursts of 3; retry in 1 s" {
		t.Fatalf("got %+v", r)
	}
	// A wait shorter than a second is still announced as one: Retry-After counts whole seconds.
	h.clock = h.clock.Add(700 * time.Millisecond)
	h.send("GET", "/v1/exports/iati", "10.0.0.1", token("anna", ""))
	if r := h.refused[1]; r.retryAfter != time.Second {
		t.Fatalf("got %+v", r)
	}
	// A refused request takes nothing: the caller may retry when told.
	h.clock = h.clock.Add(300 * time.Millisecond)
	if !h.send("GET", "/v1/exports/iati", "10.0.0.1", token("anna", "")) {
		t.Fatal("refused after waiting as told")
	}
}

func TestCallsWithoutAUsableTokenAreCountedPerAddress(t *testing.T) {
	h := newHarness(small)
	for _, tok := range []string{"", "not-a-jwt", "a.b.c", token("", "org-a")} {
		h.clock = h.clock.Add(time.Hour) // every bucket full again
		if got := h.burst(4, "POST", "/v1/partnerships", "203.0.113.9", tok); got != 2 {
			t.Errorf("token %q: %d through, want the anonymous burst of 2", tok, got)
		}
		if !h.send("GET", "/v1/partnerships", "203.0.113.10", tok) {
			t.Errorf("token %q: another address was refused", tok)
		}
	}
	if r := h.refused[0]; r.limit != "anonymous" || !strings.Contains(r.message, "requests without a usable token from this address") {
		t.Fatalf("got %+v", r)
	}
}

func TestProbesAndDisabledLimitsAreNeverRefused(t *testing.T) {
	cfg := small
	cfg.Reads = Limit{}
	h := newHarness(cfg)
	if got := h.burst(50, "GET", "/v1/partnerships", "10.0.0.1", token("anna", "")); got != 50 {
		t.Fatalf("reads with the limit off: %d of 50", got)
	}
	if got := h.burst(50, "GET", "/healthz", "10.0.0.1", ""); got != 50 {
		t.Fatalf("probes: %d of 50", got)
	}
}

func TestBucketsAreBounded(t *testing.T) {
	h := newHarness(Config{Reads: Limit{PerSecond: 1, Burst: 1}, MaxBuckets: 5})
	for i := 0; i < 1000; i++ {
		h.send("GET", "/v1/partnerships", "10.0.0.1", token(fmt.Sprint("forged-", i), ""))
		if n := h.l.buckets.len(); n > 5 {
			t.Fatalf("%d buckets held after %d callers, want at most 5", n, i+1)
		}
	}
	// Once every bucket is full again, a quiet gateway lets them go.
	h.clock = h.clock.Add(time.Minute)
	for i := 0; i < 3; i++ {
		h.send("GET", "/v1/partnerships", "10.0.0.1", token("regular", ""))
	}
	if n := h.l.buckets.len(); n > 2 {
		t.Fatalf("%d buckets held after the others went idle", n)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := small.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []Config{
		{Reads: Limit{PerSecond: -1}, MaxBuckets: 1},
		{Writes: Limit{PerSecond: 5, Burst: 0}, MaxBuckets: 1},
		{MaxBuckets: 0},
	}
	for _, c := range bad {
		if c.Validate() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestCallerKeysHaveAFixedSize(t *testing.T) {
	long := callerKey(bearerClaims(strings.Repeat("s", 10_000), "org"), "10.0.0.1")
	short := callerKey(bearerClaims("s", ""), "10.0.0.1")
	if len(long) != len(short) || callerKey(bearerClaims("ab", "c"), "10.0.0.1") == callerKey(bearerClaims("a", "bc"), "10.0.0.1") {
		t.Fatalf("keys of %d and %d bytes, or colliding", len(long), len(short))
	}
}

// Tokens with ever new subjects from one address get no more through than the address's ceiling.
func TestEveryRequestDrawsOnItsAddresssCeiling(t *testing.T) {
	cfg := small
	cfg.Address = Limit{PerSecond: 5, Burst: 10}
	h := newHarness(cfg)
	through := 0
	for i := range 50 {
		if h.send("GET", "/v1/partnerships", "10.0.0.7", token(fmt.Sprintf("forged-%d", i), "org-a")) {
			through++
		}
	}
	if through != 10 {
		t.Fatalf("%d requests with fresh subjects got through, want the address's burst of 10", through)
	}
	if last := h.refused[len(h.refused)-1]; last.limit != "address" {
		t.Fatalf("refused by %q, want the address ceiling", last.limit)
	}
	if !h.send("GET", "/v1/partnerships", "10.0.0.8", token("forged-1", "org-a")) {
		t.Fatal("another address was refused by this one's ceiling")
	}
}

// A request its caller's own bucket refuses leaves the address's shared ceiling alone, so one greedy caller
// cannot shut out its neighbours behind the same address.
func TestARefusedRequestDoesNotDrainTheCeiling(t *testing.T) {
	cfg := small
	cfg.Address = Limit{PerSecond: 1, Burst: 10}
	h := newHarness(cfg)
	if got := h.burst(50, "GET", "/v1/partnerships", "10.0.0.7", token("greedy", "org-a")); got != 3 {
		t.Fatalf("the greedy caller got %d through, want its burst of 3", got)
	}
	if got := h.burst(3, "GET", "/v1/partnerships", "10.0.0.7", token("neighbour", "org-a")); got != 3 {
		t.Fatalf("its neighbour at the same address got %d of 3 through", got)
	}
}
