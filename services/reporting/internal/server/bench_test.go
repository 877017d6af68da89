package server

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/genproto/googleapis/api/httpbody"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/services/reporting/internal/iati/xsd"
	"github.com/partnerskap/partnerskap/services/reporting/migrations"
)

// portfolio fills the read models with a generated programme of n partnerships, in the proportions of the
// issue's benchmark at n = 2 000: three applications each (6 000), an approved budget per application, 100
// claim lines per partnership (200 000), ten visits per partnership (20 000) over three years of compliance
// rows, and networks of twenty. Rows are made by PostgreSQL itself, so filling takes seconds.
func portfolio(b testing.TB, n int) *pgxpool.Pool {
	b.Helper()
	pool := pgtest.NewPool(b, migrations.FS)
	ctx := context.Background()
	steps := []string{
		`INSERT INTO organizations (id, display_name, kind, org_number, country_code, as_of_time)
		 SELECT md5('s' || i)::uuid, 'Kommun ' || i, 'municipality', lpad((2120000000 + i)::text, 10, '0'), 'SE', now() FROM generate_series(1, $1) i
		 UNION ALL
		 SELECT md5('i' || i)::uuid, 'City council ' || i, 'international_local_government', '',
			(ARRAY['ZM','KE','UG','TZ','BW','ZA','CO','GT','KH','BA','RS','UA'])[1 + i % 12], now() FROM generate_series(1, $1) i`,
		`INSERT INTO partnership_summaries (partnership_id, title, state, swedish_organization_id, international_organization_id,
			challenge, country_code, cluster, core_areas, sdg_targets, as_of_time)
		 SELECT md5('p' || i)::uuid, 'Partnership ' || i, (ARRAY['inception','active','active','completed'])[1 + i % 4],
			md5('s' || i)::uuid, md5('i' || i)::uuid, 'Local democracy ' || i,
			(ARRAY['ZM','KE','UG','TZ','BW','ZA','CO','GT','KH','BA','RS','UA'])[1 + i % 12],
			(ARRAY['southern_africa','east_africa','east_africa','east_africa','southern_africa','southern_africa','latin_america','latin_america','asia','europe','europe','europe'])[1 + i % 12],
			ARRAY['participation'], ARRAY['16.7', (ARRAY['11.3','5.5','13.3','6.b'])[1 + i % 4]], now()
		 FROM generate_series(1, $1) i`,
		`INSERT INTO applications (id, partnership_id, kind, status, start_date, end_date, as_of_time)
		 SELECT md5('a' || i || '-' || k)::uuid, md5('p' || i)::uuid, (ARRAY['inception','project','steering_group'])[k],
			(ARRAY['closed','running','approved'])[k], make_date(2023 + k, 1, 1), make_date(2023 + k + (k = 2)::int, 12, 31), now()
		 FROM generate_series(1, $1) i, generate_series(1, 3) k`,
		`INSERT INTO budgets (id, partnership_id, application_id, state, approved_revision, approved_minor, approve_time, as_of_time)
		 SELECT md5('b' || i || '-' || k)::uuid, md5('p' || i)::uuid, md5('a' || i || '-' || k)::uuid, 'approved', 1, 40000000,
			make_date(2023 + k, 1, 15), now()
		 FROM generate_series(1, $1) i, generate_series(1, 3) k`,
		`INSERT INTO budget_lines (budget_id, line_id, category, year, amount_minor)
		 SELECT md5('b' || i || '-' || k)::uuid, 'line-' || y, 'travel', y, 20000000
		 FROM generate_series(1, $1) i, generate_series(1, 3) k, generate_series(2024, 2026) y WHERE y - 2023 BETWEEN k AND k + 1`,
		`INSERT INTO claims (id, budget_id, partnership_id, state, submit_time, pay_date, as_of_time)
		 SELECT md5('c' || i || '-' || c)::uuid, md5('b' || i || '-' || (1 + c % 3))::uuid, md5('p' || i)::uuid,
			(ARRAY['paid','paid','approved','submitted','draft'])[1 + c % 5], now() - (c || ' days')::interval,
			CASE WHEN c % 5 < 2 THEN make_date(2024 + c % 3, 6, 1) END, now()
		 FROM generate_series(1, $1) i, generate_series(1, 25) c`,
		`INSERT INTO claim_lines (claim_id, position, budget_line_id, year, sek_minor, approved_minor)
		 SELECT md5('c' || i || '-' || c)::uuid, l, 'line-' || (2024 + c % 3), 2024 + c % 3, 100000 + l, CASE WHEN c % 5 < 3 THEN 90000 END
		 FROM generate_series(1, $1) i, generate_series(1, 25) c, generate_series(1, 4) l`,
		`INSERT INTO compliance (partnership_id, year, meetings, visits, compliant, steering_group_balanced, as_of_time)
		 SELECT md5('p' || i)::uuid, y, 3 + (y = 2026)::int, 3 + (y = 2026)::int, i % 3 > 0, i % 7 > 0, now()
		 FROM generate_series(1, $1) i, generate_series(2024, 2026) y`,
		`INSERT INTO networks (id, display_name, theme, cluster, status, cohort_start, end_date, as_of_time)
		 SELECT md5('n' || g)::uuid, 'Network ' || g, (ARRAY['climate','equity','youth','health'])[1 + g % 4], 'east_africa', 'running',
			make_date(2024, 1, 1), make_date(2027, 12, 31), now()
		 FROM generate_series(1, $1 / 40) g`,
		`INSERT INTO network_members (network_id, partnership_id)
		 SELECT md5('n' || (1 + (i - 1) / 20))::uuid, md5('p' || i)::uuid FROM generate_series(1, $1 / 2) i`,
		`INSERT INTO consumer_cursors (producer, seq, event_time) VALUES ('partnership', 1, now()), ('finance', 1, now())`,
		`ANALYZE`,
	}
	for _, sql := range steps {
		var args []any
		if strings.Contains(sql, "$1") {
			args = append(args, n)
		}
		_, err := pool.Exec(ctx, sql, args...)
		if err != nil {
			b.Fatalf("generate the portfolio: %v\n%s", err, sql)
		}
	}
	return pool
}

var auditorCtx = auth.WithPrincipal(context.Background(), auth.Principal{Subject: "bench", Role: auth.RoleAuditor})

// BenchmarkPortfolioReport measures the portfolio report of a year over the generated programme:
//
//	go test -run '^$' -bench PortfolioReport -benchtime 20x ./services/reporting/internal/server/
func BenchmarkPortfolioReport(b *testing.B) {
	srv := New(portfolio(b, 2000), Options{ClaimWaitDays: 30})
	b.ResetTimer()
	for range b.N {
		r, err := srv.GetPortfolioReport(auditorCtx, &pb.GetPortfolioReportRequest{Year: 2026})
		if err != nil || len(r.GetRows()) == 0 {
			b.Fatalf("portfolio: %v, %v", r, err)
		}
	}
}

// discard is an ExportIati stream that counts and forgets what it is sent.
type discard struct {
	collect
	bytes int
}

func (d *discard) Send(body *httpbody.HttpBody) error { d.bytes += len(body.GetData()); return nil }

// TestIATIExportOfALargePortfolioValidates exports the generated programme at the benchmark's size and
// validates the whole document against the schema.
func TestIATIExportOfALargePortfolioValidates(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and validates a large document")
	}
	srv := New(portfolio(t, 2000), Options{IATI: IATIPublisher{Ref: "SE-ON-2021004284", Name: "ICLD", Type: "10"}})
	out := &collect{ctx: auditorCtx}
	if err := srv.ExportIati(&pb.ExportIatiRequest{Year: 2026}, out); err != nil {
		t.Fatal(err)
	}
	doc := out.document()
	if err := xsd.ValidateReader(context.Background(), bytes.NewReader(doc)); err != nil {
		t.Fatalf("the export of the generated portfolio does not validate: %v", err)
	}
	if n := bytes.Count(doc, []byte("<iati-activity ")); n < 4000 {
		t.Errorf("%d activities; want the 50 networks, 2 000 partnerships and their running applications", n)
	}
}

// BenchmarkIATIExport measures the IATI export of a year, its size, and the largest heap it needed, at two
// sizes of programme: memory must stay flat as the data grows.
//
//	go test -run '^$' -bench IATIExport -benchtime 3x ./services/reporting/internal/server/
func BenchmarkIATIExport(b *testing.B) {
	for _, n := range []struct {
		name string
		size int
	}{{"partnerships=500", 500}, {"partnerships=2000", 2000}} {
		b.Run(n.name, func(b *testing.B) {
			srv := New(portfolio(b, n.size), Options{IATI: IATIPublisher{Ref: "SE-ON-2021004284", Name: "ICLD", Type: "10"}})
			runtime.GC()
			peak := watchHeap()
			b.ResetTimer()
			var size int
			for range b.N {
				out := &discard{collect: collect{ctx: auditorCtx}}
				if err := srv.ExportIati(&pb.ExportIatiRequest{Year: 2026}, out); err != nil {
					b.Fatal(err)
				}
				size = out.bytes
			}
			b.StopTimer()
			b.ReportMetric(float64(size)/(1<<20), "MiB-xml")
			b.ReportMetric(float64(peak())/(1<<20), "MiB-peak-heap")
		})
	}
}

// watchHeap samples the live heap until the returned function is called, which returns the largest sample.
func watchHeap() func() uint64 {
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapAlloc)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
