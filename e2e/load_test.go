package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/freeport"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

var (
	loadDuration = flag.Duration("load.duration", 15*time.Second, "how long BenchmarkLoad runs each load")
	loadClients  = flag.Int("load.clients", 4, "concurrent clients of each load, and pgbench's -c")
	loadOnly     = flag.String("load.only", "", "when set, a regular expression: only the loads whose names match run (pgbench always runs)")
	loadProfiles = flag.String("load.profiles", "", "when set, a directory for CPU profiles of the gateway and the partnership service during the REST read load")
)

// BenchmarkLoad is `make bench-load`: the whole suite, started as in production (info logs, every check on,
// rate limits raised out of the way of one load generator), measured against PostgreSQL's own limit on the
// same machine in the same run: pgbench -S, then reads through REST and gRPC, then writes through REST. It
// prints one table of rates, their ratio to pgbench and latencies; it measures, it does not assert speed.
//
//	go test -run '^$' -bench '^BenchmarkLoad$' -benchtime 1x -timeout 30m ./e2e/ -args -load.duration 15s
func BenchmarkLoad(b *testing.B) {
	if b.N > 1 {
		b.Skip("BenchmarkLoad runs once: use -benchtime 1x")
	}
	clients, d := *loadClients, *loadDuration

	pgbench := pgbenchTPS(b, clients, d)

	env := append([]string{"DEMO_DATA=true", "LOG_LEVEL=info"}, strings.Fields(os.Getenv("LOAD_ENV"))...)
	pprofAddrs, own := map[string]string{}, map[string][]string{}
	if *loadProfiles != "" {
		for _, name := range append([]string{"gateway"}, suite.Services...) {
			pprofAddrs[name] = loadAddr(b)
			own[name] = []string{"PPROF_ADDR=" + pprofAddrs[name]}
		}
	}
	s := suite.StartWithEnv(b, env, own)
	admin := client{t: b, base: s.GatewayURL, token: s.Token(b, auth.RoleAdmin, "")}
	coordinator := s.Token(b, auth.RoleCoordinator, "")
	d0 := demo(b, admin)
	member := s.Token(b, auth.RoleMember, d0.malmo)
	adminToken := admin.token

	rest := newLoadClient(clients)
	results := []loadResult{{name: "pgbench -S -M prepared", rate: pgbench}}
	conn, err := grpc.NewClient(s.GRPCAddrs["partnership"], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	partnerships := partnershippb.NewPartnershipServiceClient(conn)
	authed := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+adminToken)
	one := s.GatewayURL + "/v1/partnerships/" + d0.partnership
	create := fmt.Sprintf(`{"swedish_organization_id":%q,"international_organization_id":%q,"title":"Load","core_areas":["CORE_AREA_PARTICIPATION"],"sdg_targets":["16.7"]}`,
		d0.malmo, d0.lusaka)
	page := s.GatewayURL + "/v1/partnerships?page_size=50"
	var claims [][]string
	next := make([]int, clients)

	// The loads in order; the service named is the one profiled with the gateway. prepare, when set, runs
	// before the load, untimed.
	loads := []struct {
		name, service string
		prepare       func()
		op            func(worker int) error // a call made from Go
		wrk           *wrkRequest            // or a request wrk repeats
	}{
		{name: "REST read of one partnership", service: "partnership", wrk: &wrkRequest{method: "GET", url: one, token: adminToken}},
		{name: "gRPC read of one partnership", service: "partnership", op: func(int) error {
			_, err := partnerships.GetPartnership(authed, &partnershippb.GetPartnershipRequest{Id: d0.partnership})
			return err
		}},
		{name: "REST create of a partnership", service: "partnership",
			wrk: &wrkRequest{method: "POST", url: s.GatewayURL + "/v1/partnerships", token: member, body: create}},
		{name: "REST list of 50 partnerships", service: "partnership", wrk: &wrkRequest{method: "GET", url: page, token: adminToken},
			// A full page whichever loads ran before.
			prepare: func() {
				for range 50 {
					if err := rest.send("POST", s.GatewayURL+"/v1/partnerships", member, create, http.StatusCreated); err != nil {
						b.Fatal(err)
					}
				}
			}},
		// Two calls per claim, each on the claim the one before prepared: made from Go, since wrk repeats
		// one request.
		{name: "REST claim submit + approve", service: "finance",
			prepare: func() { claims = claimsToApprove(b, s, clients, int(d.Seconds()*500)/clients) },
			op: func(w int) error {
				if next[w] == len(claims[w]) {
					return errOutOfWork
				}
				id := claims[w][next[w]]
				next[w]++
				if err := rest.send("POST", s.GatewayURL+"/v1/claims/"+id+":submit", member, `{}`, http.StatusOK); err != nil {
					return err
				}
				return rest.send("POST", s.GatewayURL+"/v1/claims/"+id+":approve", coordinator, `{}`, http.StatusOK)
			}},
	}
	only := regexp.MustCompile(*loadOnly)
	if only.MatchString("bare stack") {
		results = append(results, bareStack(b, s, clients, d, d0.partnership)...)
	}
	for _, l := range loads {
		if !only.MatchString(l.name) {
			continue
		}
		if l.prepare != nil {
			l.prepare()
		}
		var done func()
		if *loadProfiles != "" {
			done = startProfiles(b, d, map[string]string{"gateway": pprofAddrs["gateway"], l.service: pprofAddrs[l.service]}, fmt.Sprint(len(results)))
		}
		if l.wrk != nil {
			results = append(results, runWrk(b, l.name, clients, d, *l.wrk))
		} else {
			results = append(results, runLoad(b, l.name, clients, d, l.op))
		}
		if done != nil {
			done()
		}
	}

	printLoadTable(os.Stdout, clients, d, results)
}

var errOutOfWork = errors.New("no more prepared work")

// bareStack measures the yardstick (e2e/cmd/barestack) reading the same partnership from the same database
// through REST and gRPC: what one query costs through grpc-gateway and gRPC without any of the product's
// features.
func bareStack(b *testing.B, s *suite.Suite, clients int, d time.Duration, id string) []loadResult {
	bin := filepath.Join(b.TempDir(), "barestack")
	build := exec.Command("go", "build", "-o", bin, "./cmd/barestack")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build the bare stack: %v\n%s", err, out)
	}
	grpcAddr, restAddr := loadAddr(b), loadAddr(b)
	for _, args := range [][]string{{"grpc", grpcAddr, s.Setting("partnership", "DATABASE_URL")}, {"rest", restAddr, grpcAddr}} {
		cmd := exec.Command(bin, args...)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	}
	url := "http://" + restAddr + "/v1/partnerships/" + id
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			b.Fatal("the bare stack did not answer within 10 s")
		}
	}
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	bare := partnershippb.NewPartnershipServiceClient(conn)
	return []loadResult{
		runWrk(b, "bare stack: REST read", clients, d, wrkRequest{method: "GET", url: url}),
		runLoad(b, "bare stack: gRPC read", clients, d, func(int) error {
			_, err := bare.GetPartnership(context.Background(), &partnershippb.GetPartnershipRequest{Id: id})
			return err
		}),
	}
}

// loadResult is one load's outcome.
type loadResult struct {
	name     string
	rate     float64 // operations a second
	p50, p99 time.Duration
	ops      int
}

// runLoad calls op from clients goroutines for d and reports the rate and latencies. Any failed call fails
// the benchmark: a fast error is not a result.
func runLoad(b *testing.B, name string, clients int, d time.Duration, op func(worker int) error) loadResult {
	b.Helper()
	var (
		wg       sync.WaitGroup
		failed   atomic.Value
		stopping atomic.Bool
		samples  = make([][]time.Duration, clients)
	)
	start := time.Now()
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 1<<16)
			for !stopping.Load() {
				t0 := time.Now()
				if err := op(w); err != nil {
					if !errors.Is(err, errOutOfWork) {
						failed.CompareAndSwap(nil, err)
					}
					stopping.Store(true)
					break
				}
				lat = append(lat, time.Since(t0))
			}
			samples[w] = lat
		}()
	}
	time.Sleep(d)
	stopping.Store(true)
	wg.Wait()
	elapsed := time.Since(start)
	if err, _ := failed.Load().(error); err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	all := slices.Concat(samples...)
	slices.Sort(all)
	if len(all) == 0 {
		b.Fatalf("%s: no call completed", name)
	}
	r := loadResult{name: name, ops: len(all), rate: float64(len(all)) / elapsed.Seconds(),
		p50: all[len(all)/2], p99: all[len(all)*99/100]}
	b.Logf("%s: %.0f/s, p50 %v, p99 %v", name, r.rate, r.p50, r.p99)
	return r
}

// wrkRequest is the one request a wrk load repeats.
type wrkRequest struct{ method, url, token, body string }

// runWrk runs wrk with clients connections on one thread for d, as the reference measurement did, and
// reads its rate and latencies. Any answer other than 2xx fails the benchmark.
func runWrk(b *testing.B, name string, clients int, d time.Duration, req wrkRequest) loadResult {
	b.Helper()
	script := filepath.Join(b.TempDir(), "request.lua")
	lua := fmt.Sprintf("wrk.method = %q\n", req.method)
	if req.token != "" {
		lua += fmt.Sprintf("wrk.headers[\"Authorization\"] = %q\n", "Bearer "+req.token)
	}
	if req.body != "" {
		lua += fmt.Sprintf("wrk.body = %q\nwrk.headers[\"Content-Type\"] = \"application/json\"\n", req.body)
	}
	if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
		b.Fatal(err)
	}
	out, err := exec.Command("wrk", "-t1", fmt.Sprintf("-c%d", clients), fmt.Sprintf("-d%ds", int(d.Seconds())),
		"--latency", "-s", script, req.url).CombinedOutput()
	if err != nil {
		b.Fatalf("%s: wrk: %v\n%s", name, err, out)
	}
	r, err := parseWrk(out)
	if err != nil {
		b.Fatalf("%s: %v\n%s", name, err, out)
	}
	r.name = name
	b.Logf("%s: %.0f/s, p50 %v, p99 %v (wrk)", name, r.rate, r.p50, r.p99)
	return r
}

// parseWrk reads the rate and the 50th and 99th percentile latencies from wrk's --latency output, and fails
// when any answer was not 2xx or 3xx.
func parseWrk(out []byte) (loadResult, error) {
	if m := regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`).FindSubmatch(out); m != nil {
		return loadResult{}, fmt.Errorf("%s answers were not 2xx", m[1])
	}
	rate := regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`).FindSubmatch(out)
	if rate == nil {
		return loadResult{}, errors.New("wrk printed no rate")
	}
	var r loadResult
	r.rate, _ = strconv.ParseFloat(string(rate[1]), 64)
	for _, p := range []struct {
		percentile string
		into       *time.Duration
	}{{"50%", &r.p50}, {"99%", &r.p99}} {
		m := regexp.MustCompile(regexp.QuoteMeta(p.percentile) + `\s+([0-9.]+)(us|ms|s)\b`).FindSubmatch(out)
		if m == nil {
			return loadResult{}, fmt.Errorf("wrk printed no %s latency", p.percentile)
		}
		d, err := time.ParseDuration(string(m[1]) + string(m[2]))
		if err != nil {
			return loadResult{}, err
		}
		*p.into = d
	}
	return r, nil
}

// loadClient is an HTTP client that keeps one connection per load client alive, as wrk does.
type loadClient struct{ http *http.Client }

func newLoadClient(clients int) loadClient {
	return loadClient{http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}}
}

func (c loadClient) send(method, url, token, body string, want int) error {
	_, err := c.call(method, url, token, body, want)
	return err
}

// call makes one request and returns the answer's body, or an error unless its status is want.
func (c loadClient) call(method, url, token, body string, want int) ([]byte, error) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s: HTTP %d: %s", method, url, resp.StatusCode, got)
	}
	return got, nil
}

// pgbenchTPS runs pgbench -S -M prepared on a database of its own on the test PostgreSQL: the rate of the
// simplest read the database can serve over the same kind of connection the services use.
func pgbenchTPS(b *testing.B, clients int, d time.Duration) float64 {
	b.Helper()
	bin := pgbenchBinary(b)
	url := pgtest.NewDatabase(b, nil)
	if out, err := exec.Command(bin, "-i", "-q", url).CombinedOutput(); err != nil {
		b.Fatalf("pgbench -i: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-S", "-M", "prepared", "-c", strconv.Itoa(clients), "-T", strconv.Itoa(int(d.Seconds())), url).CombinedOutput()
	if err != nil {
		b.Fatalf("pgbench: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`).FindSubmatch(out)
	if m == nil {
		b.Fatalf("pgbench printed no tps:\n%s", out)
	}
	tps, _ := strconv.ParseFloat(string(m[1]), 64)
	b.Logf("pgbench -S -M prepared -c %d: %.0f tps", clients, tps)
	return tps
}

// pgbenchBinary finds pgbench on PATH or beside Debian's PostgreSQL server binaries.
func pgbenchBinary(b *testing.B) string {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench")
	if len(found) == 0 {
		b.Fatal("pgbench is needed (it comes with PostgreSQL's client programs, Debian's postgresql-client)")
	}
	slices.Sort(found)
	return found[len(found)-1]
}

func loadAddr(b *testing.B) string {
	addr, err := freeport.Addr()
	if err != nil {
		b.Fatal(err)
	}
	return addr
}

// startProfiles records CPU profiles of the named processes for d while a load runs, written as
// <dir>/<load>-<process>.pprof (load is the load's row in the table) when the returned function is called.
func startProfiles(b *testing.B, d time.Duration, addrs map[string]string, load string) func() {
	if err := os.MkdirAll(*loadProfiles, 0o755); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	seconds := max(1, int(d.Seconds())-1)
	for name, addr := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, seconds))
			if err != nil {
				b.Errorf("profile %s: %v", name, err)
				return
			}
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			if err := os.WriteFile(filepath.Join(*loadProfiles, load+"-"+name+".pprof"), data, 0o644); err != nil {
				b.Error(err)
			}
		}()
	}
	return wg.Wait
}

// claimsToApprove prepares, for each load client, a partnership of Malmö and Lusaka with an approved
// inception application and budget, and n draft claims of one krona against it: one budget per client, so
// that the clients' approvals do not queue behind one another's budget lines.
func claimsToApprove(b *testing.B, s *suite.Suite, clients, n int) [][]string {
	admin := client{t: b, base: s.GatewayURL, token: s.Token(b, auth.RoleAdmin, "")}
	coordinator := client{t: b, base: s.GatewayURL, token: s.Token(b, auth.RoleCoordinator, "")}
	d := demo(b, admin)
	member := client{t: b, base: s.GatewayURL, token: s.Token(b, auth.RoleMember, d.malmo)}
	now := today()
	out := make([][]string, clients)
	var wg sync.WaitGroup
	for w := range clients {
		p := member.do("POST", "/v1/partnerships", fmt.Sprintf(`{"swedish_organization_id":%q,"international_organization_id":%q,
			"title":"Claims %d","core_areas":["CORE_AREA_PARTICIPATION"]}`, d.malmo, d.lusaka, w)).must(b, http.StatusCreated).str("id")
		app := approvedInception(b, member, coordinator, p)
		budget := member.do("POST", "/v1/budgets", fmt.Sprintf(`{"partnership_id":%q,"application_id":%q,"lines":[
			{"id":"travel","category":"CATEGORY_TRAVEL","year":%d,"amount":{"currency_code":"SEK","amount_minor":15000000}}]}`,
			p, app, now.Year())).must(b, http.StatusCreated).str("id")
		member.do("POST", "/v1/budgets/"+budget+":submit", `{}`).must(b, http.StatusOK)
		granted(b, admin, now.Year())
		coordinator.do("POST", "/v1/budgets/"+budget+":approve", `{}`).must(b, http.StatusOK)
		report := approvedReport(b, member, coordinator, p, app)
		claim := `{"budget_id":"` + budget + `","report_id":"` + report + `","period_start":` + now.json() + `,"period_end":` + now.json() + `,"lines":[
			{"id":"1","date":` + now.json() + `,"category":"CATEGORY_TRAVEL","budget_line_id":"travel","description":"Bus ticket",
			 "original":{"currency_code":"SEK","amount_minor":100},"receipt":%s}]}`
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newLoadClient(1)
			for i := range n {
				// A receipt of its own for each claim: one receipt may be claimed only once.
				receipt, err := uploadReceipt(member, p, "bus.pdf", w<<32|i)
				if err != nil {
					b.Error(err)
					return
				}
				id, err := c.create(s.GatewayURL+"/v1/claims", member.token, fmt.Sprintf(claim, receipt))
				if err != nil {
					b.Error(err)
					return
				}
				out[w] = append(out[w], id)
			}
		}()
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return out
}

var idField = regexp.MustCompile(`"id":"([^"]+)"`)

// create posts body and returns the id of what it created.
func (c loadClient) create(url, token, body string) (string, error) {
	got, err := c.call("POST", url, token, body, http.StatusCreated)
	if err != nil {
		return "", err
	}
	m := idField.FindSubmatch(got)
	if m == nil {
		return "", fmt.Errorf("POST %s answered no id: %s", url, got)
	}
	return string(m[1]), nil
}

// loadGoals are issue 12's goals: a ratio to pgbench, or a rate, and the REST read's p99.
var loadGoals = map[string]string{
	"REST read of one partnership": "≥ 0.25× (p99 ≤ 5 ms)",
	"gRPC read of one partnership": "≥ 0.30×",
	"REST list of 50 partnerships": "≥ 0.10×",
	"REST create of a partnership": "≥ 1 000/s",
	"REST claim submit + approve":  "≥ 1 000/s",
}

func printLoadTable(w io.Writer, clients int, d time.Duration, results []loadResult) {
	host, _ := os.Hostname()
	fmt.Fprintf(w, "\n%d clients, %v each, on %s (%s)\n\n", clients, d, host, cpuModel())
	fmt.Fprintln(w, "| load | per second | × pgbench | p50 | p99 | goal |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|")
	base := results[0].rate
	for _, r := range results {
		lat := func(x time.Duration) string {
			if x == 0 {
				return ""
			}
			return fmt.Sprintf("%.2f ms", float64(x.Microseconds())/1000)
		}
		fmt.Fprintf(w, "| %s | %.0f | %.3f | %s | %s | %s |\n", r.name, r.rate, r.rate/base, lat(r.p50), lat(r.p99), loadGoals[r.name])
	}
	fmt.Fprintln(w)
}

// cpuModel names the machine's processor for the table, as Linux reports it.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown processor"
	}
	count := strings.Count(string(data), "\nprocessor") + 1
	for line := range strings.SplitSeq(string(data), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return fmt.Sprintf("%d × %s", count, strings.TrimSpace(strings.TrimLeft(name, " \t:")))
		}
	}
	return fmt.Sprintf("%d cores", count)
}

// BenchmarkLoad's numbers come from wrk's text; this keeps their reading honest.
func TestParseWrk(t *testing.T) {
	out := []byte(`Running 10s test @ http://127.0.0.1:8080/v1/partnerships/x
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20ms    2.01ms  38.10ms   98.60%
  Latency Distribution
     50%  824.00us
     75%    1.10ms
     90%    1.70ms
     99%   12.13ms
  22324 requests in 10.01s, 12.25MB read
Requests/sec:   2230.34
Transfer/sec:      1.22MB
`)
	r, err := parseWrk(out)
	if err != nil || r.rate != 2230.34 || r.p50 != 824*time.Microsecond || r.p99 != 12130*time.Microsecond {
		t.Fatalf("parseWrk = %+v, %v", r, err)
	}
	if _, err := parseWrk(append(out, "  Non-2xx or 3xx responses: 3\n"...)); err == nil {
		t.Fatal("answers that were not 2xx passed")
	}
}
