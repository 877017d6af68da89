package auditfan

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"
)

// fakeLog is one service's AuditService: its records in (time, seq) order, paged by the index of a page's
// first record (a service's real tokens are as opaque to the merge as these).
type fakeLog struct {
	name string
	err  error

	mu      sync.Mutex
	records []*auditpb.AuditRecord
	calls   []*auditpb.ListAuditRecordsRequest
	md      []metadata.MD
}

func (f *fakeLog) ListAuditRecords(ctx context.Context, req *auditpb.ListAuditRecordsRequest, _ ...grpc.CallOption) (*auditpb.ListAuditRecordsResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, req)
	md, _ := metadata.FromOutgoingContext(ctx)
	f.md = append(f.md, md)
	if f.err != nil {
		return nil, f.err
	}
	start := 0
	if req.GetPageToken() != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(req.GetPageToken(), f.name+"@"))
		if err != nil {
			return nil, status.Error(codes.InvalidArgument, "bad token")
		}
		start = n
	}
	size := int(req.GetPageSize())
	if size == 0 {
		size = 50
	}
	end := min(start+size, len(f.records))
	resp := &auditpb.ListAuditRecordsResponse{AuditRecords: slices.Clone(f.records[start:end])}
	if end < len(f.records) {
		resp.NextPageToken = fmt.Sprintf("%s@%d", f.name, end)
	}
	return resp, nil
}

// add appends records at the given seconds after base (each later or equal to the one before).
func (f *fakeLog) add(seconds ...int) *fakeLog {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range seconds {
		seq := int64(len(f.records) + 1)
		f.records = append(f.records, &auditpb.AuditRecord{Service: f.name, Seq: seq,
			Time: timestamppb.New(base.Add(time.Duration(s) * time.Second)), Action: "update"})
	}
	return f
}

var base = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func fakes() (partnership, network, finance *fakeLog, c *Client) {
	partnership = (&fakeLog{name: "partnership"}).add(0, 5, 5, 9, 20)
	network = (&fakeLog{name: "network"}).add(1, 5, 30)
	finance = (&fakeLog{name: "finance"}).add(2, 3, 4, 5, 6, 7, 8, 21, 22)
	return partnership, network, finance, New(Source{"partnership", partnership}, Source{"network", network}, Source{"finance", finance})
}

// label names a record "service/seq@second", for readable failures.
func label(r *auditpb.AuditRecord) string {
	return fmt.Sprintf("%s/%d@%d", r.GetService(), r.GetSeq(), int(r.GetTime().AsTime().Sub(base).Seconds()))
}

// readAll pages through the merged log with size, returning every record's label and the number of pages.
func readAll(t *testing.T, c *Client, req *auditpb.ListAuditRecordsRequest) ([]string, int) {
	t.Helper()
	var out []string
	for pages := 1; ; pages++ {
		if pages > 100 {
			t.Fatal("the pages never end")
		}
		resp, err := c.ListAuditRecords(context.Background(), req)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if size := int(req.GetPageSize()); size > 0 && len(resp.GetAuditRecords()) > size {
			t.Fatalf("page %d has %d records, more than %d", pages, len(resp.GetAuditRecords()), size)
		}
		for _, r := range resp.GetAuditRecords() {
			out = append(out, label(r))
		}
		if resp.GetNextPageToken() == "" {
			return out, pages
		}
		req.PageToken = resp.GetNextPageToken()
	}
}

// everything is the three fakes' records in (time, service, seq) order: at second 5, finance before network
// before partnership, and partnership's two records of that second in seq order.
var everything = []string{
	"partnership/1@0", "network/1@1", "finance/1@2", "finance/2@3", "finance/3@4",
	"finance/4@5", "network/2@5", "partnership/2@5", "partnership/3@5",
	"finance/5@6", "finance/6@7", "finance/7@8", "partnership/4@9", "partnership/5@20",
	"finance/8@21", "finance/9@22", "network/3@30",
}

func TestMergesInTimeServiceSeqOrder(t *testing.T) {
	_, _, _, c := fakes()
	got, pages := readAll(t, c, &auditpb.ListAuditRecordsRequest{})
	if !slices.Equal(got, everything) || pages != 1 {
		t.Fatalf("one default page: got %v in %d pages, want %v", got, pages, everything)
	}
}

func TestPagesCoverTheLogOnce(t *testing.T) {
	for size := int32(1); size <= int32(len(everything))+1; size++ {
		_, _, _, c := fakes()
		got, pages := readAll(t, c, &auditpb.ListAuditRecordsRequest{PageSize: size})
		if !slices.Equal(got, everything) {
			t.Fatalf("page size %d: got %v, want %v", size, got, everything)
		}
		if want := (len(everything) + int(size) - 1) / int(size); pages != want && pages != want+1 {
			t.Errorf("page size %d: %d pages for %d records", size, pages, len(everything))
		}
	}
}

// TestThePageSizeMayChangeBetweenPages: the token holds positions, not counts.
func TestThePageSizeMayChangeBetweenPages(t *testing.T) {
	_, _, _, c := fakes()
	var got []string
	req := &auditpb.ListAuditRecordsRequest{}
	for i, size := range []int32{3, 1, 5, 2, 4, 50} {
		req.PageSize = size
		resp, err := c.ListAuditRecords(context.Background(), req)
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		for _, r := range resp.GetAuditRecords() {
			got = append(got, label(r))
		}
		if req.PageToken = resp.GetNextPageToken(); req.PageToken == "" {
			break
		}
	}
	if !slices.Equal(got, everything) {
		t.Fatalf("got %v, want %v", got, everything)
	}
}

// TestChangesMadeWhilePagingAreSeen: a service that had nothing more on one page may have a new change on the
// next; the cursor of an exhausted service stays where it was instead of closing that service's log.
func TestChangesMadeWhilePagingAreSeen(t *testing.T) {
	_, network, _, c := fakes()
	first, err := c.ListAuditRecords(context.Background(), &auditpb.ListAuditRecordsRequest{PageSize: 16})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	network.add(40)
	second, err := c.ListAuditRecords(context.Background(), &auditpb.ListAuditRecordsRequest{PageSize: 16, PageToken: first.GetNextPageToken()})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range second.GetAuditRecords() {
		got = append(got, label(r))
	}
	if want := []string{"network/3@30", "network/4@40"}; !slices.Equal(got, want) || second.GetNextPageToken() != "" {
		t.Fatalf("second page: %v (next %q), want %v", got, second.GetNextPageToken(), want)
	}
}

func TestTheServiceFilterReadsOneLog(t *testing.T) {
	partnership, network, finance, c := fakes()
	got, _ := readAll(t, c, &auditpb.ListAuditRecordsRequest{Service: "network", PageSize: 2})
	if want := []string{"network/1@1", "network/2@5", "network/3@30"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if len(partnership.calls) != 0 || len(finance.calls) != 0 || network.calls[0].GetService() != "network" {
		t.Fatalf("calls: partnership %d, finance %d, network asked %v", len(partnership.calls), len(finance.calls), network.calls[0])
	}
	_, err := c.ListAuditRecords(context.Background(), &auditpb.ListAuditRecordsRequest{Service: "reporting"})
	wantField(t, err, "service")
}

// TestFiltersAndCallerPassThrough: each service sees the caller's filters, bearer token and request id, and
// judges them itself.
func TestFiltersAndCallerPassThrough(t *testing.T) {
	partnership, network, finance, c := fakes()
	ctx := metadata.NewOutgoingContext(context.Background(), metadata.Pairs("authorization", "Bearer x.y.z", "x-request-id", "req-7"))
	req := &auditpb.ListAuditRecordsRequest{ResourceKind: "claim", ResourceId: "0190c5a2-8c6e-7000-8000-000000000001",
		Actor: "alice", RequestId: "req-1", StartTime: timestamppb.New(base), EndTime: timestamppb.New(base.Add(time.Hour)), PageSize: 7}
	if _, err := c.ListAuditRecords(ctx, req); err != nil {
		t.Fatal(err)
	}
	for _, f := range []*fakeLog{partnership, network, finance} {
		got := f.calls[0]
		if got.GetResourceKind() != "claim" || got.GetResourceId() != req.GetResourceId() || got.GetActor() != "alice" ||
			got.GetRequestId() != "req-1" || !got.GetStartTime().AsTime().Equal(base) || !got.GetEndTime().AsTime().Equal(base.Add(time.Hour)) ||
			got.GetPageSize() != 7 || got.GetPageToken() != "" {
			t.Errorf("%s was asked %v", f.name, got)
		}
		if md := f.md[0]; strings.Join(md.Get("authorization"), "") != "Bearer x.y.z" || strings.Join(md.Get("x-request-id"), "") != "req-7" {
			t.Errorf("%s got metadata %v", f.name, md)
		}
	}
}

func TestAServiceDownFailsTheWholeCall(t *testing.T) {
	_, network, finance, c := fakes()
	finance.err = status.Error(codes.Unavailable, "connection refused to 10.0.0.7:9093")
	st := failed(c)
	if st.Code() != codes.Unavailable || !strings.Contains(st.Message(), "finance service") || strings.Contains(st.Message(), "10.0.0.7") {
		t.Fatalf("got %v", st)
	}
	if info := errorInfo(st); info.GetReason() != "SERVICE_UNAVAILABLE" || info.GetMetadata()["service"] != "finance" {
		t.Fatalf("error info %v", info)
	}

	network.err = status.Error(codes.DeadlineExceeded, "context deadline exceeded")
	st = failed(c)
	if st.Code() != codes.Unavailable || !strings.Contains(st.Message(), "finance and network services") {
		t.Fatalf("two down: %v", st)
	}

	finance.err = nil
	st = failed(c)
	if st.Code() != codes.DeadlineExceeded || errorInfo(st).GetReason() != "DEADLINE_EXCEEDED" || errorInfo(st).GetMetadata()["service"] != "network" {
		t.Fatalf("one slow: %v", st)
	}

	// With the service filter naming a healthy service, the others are not needed.
	if _, err := c.ListAuditRecords(context.Background(), &auditpb.ListAuditRecordsRequest{Service: "partnership"}); err != nil {
		t.Fatalf("partnership alone: %v", err)
	}
}

// TestRefusalsPassAsTheServiceWordedThem: a member's token is refused by every service; the answer is the
// services' 403, not a 503 or an empty log.
func TestRefusalsPassAsTheServiceWordedThem(t *testing.T) {
	partnership, network, finance, c := fakes()
	denied := status.Error(codes.PermissionDenied, "the role member may not call ListAuditRecords")
	partnership.err, network.err, finance.err = denied, denied, denied
	_, err := c.ListAuditRecords(context.Background(), &auditpb.ListAuditRecordsRequest{})
	if status.Code(err) != codes.PermissionDenied || status.Convert(err).Message() != status.Convert(denied).Message() {
		t.Fatalf("got %v", err)
	}
	// A refusal wins over an outage: the caller would be refused by the missing service too.
	network.err = status.Error(codes.Unavailable, "down")
	if _, err := c.ListAuditRecords(context.Background(), &auditpb.ListAuditRecordsRequest{}); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("refusal and outage: %v", err)
	}
}

func TestForgedOrMisusedTokensAreRefused(t *testing.T) {
	_, _, _, c := fakes()
	first, err := c.ListAuditRecords(context.Background(), &auditpb.ListAuditRecordsRequest{PageSize: 2, Actor: "alice"})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	fp := fingerprint(&auditpb.ListAuditRecordsRequest{})
	for name, req := range map[string]*auditpb.ListAuditRecordsRequest{
		"garbage":           {PageToken: "!!not base64"},
		"not JSON":          {PageToken: "bm90IGpzb24"},
		"other filters":     {PageToken: first.GetNextPageToken(), Actor: "bob"},
		"another service":   {PageToken: encodeToken(map[string]cursor{"reporting": {Token: "x"}}, fp)},
		"impossible seq":    {PageToken: encodeToken(map[string]cursor{"finance": {After: &key{Seconds: 1, Seq: 0}}}, fp)},
		"impossible time":   {PageToken: encodeToken(map[string]cursor{"finance": {After: &key{Seconds: 1, Nanos: -5, Seq: 1}}}, fp)},
		"negative skip":     {PageToken: encodeToken(map[string]cursor{"finance": {Token: "x", Skip: -1}}, fp)},
		"skip past a page":  {PageToken: encodeToken(map[string]cursor{"finance": {Token: "x", Skip: 501}}, fp)},
		"too long":          {PageToken: strings.Repeat("a", maxTokenLen+1)},
		"one service's own": {PageToken: "finance@2"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.ListAuditRecords(context.Background(), req)
			wantField(t, err, "page_token")
		})
	}
}

// failed reads the first page of the merged log and returns the status of the failure.
func failed(c *Client) *status.Status {
	_, err := c.ListAuditRecords(context.Background(), &auditpb.ListAuditRecordsRequest{})
	return status.Convert(err)
}

func TestPageSizeIsCheckedHere(t *testing.T) {
	_, _, _, c := fakes()
	for _, size := range []int32{-1, 501} {
		_, err := c.ListAuditRecords(context.Background(), &auditpb.ListAuditRecordsRequest{PageSize: size})
		wantField(t, err, "page_size")
	}
}

// TestAShrinkingPageSizeCostsNoExtraCalls: a page begun earlier is asked for again with the records already
// served from it on top, so even a page size that drops from 500 to 1 needs one call per service per page.
func TestAShrinkingPageSizeCostsNoExtraCalls(t *testing.T) {
	long := &fakeLog{name: "finance"}
	for i := range 700 {
		long.add(i)
	}
	c := New(Source{"finance", long})
	req := &auditpb.ListAuditRecordsRequest{}
	served := 0
	for page, size := range []int32{450, 1, 1, 60, 500} {
		req.PageSize = size
		before := len(long.calls)
		resp, err := c.ListAuditRecords(context.Background(), req)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		if calls := len(long.calls) - before; calls > 1 {
			t.Errorf("page %d of size %d took %d calls", page, size, calls)
		}
		served += len(resp.GetAuditRecords())
		req.PageToken = resp.GetNextPageToken()
	}
	if req.PageToken != "" || served != 700 {
		t.Fatalf("pages of 450+1+1+60+500 of 700 records served %d, next token %q", served, req.PageToken)
	}
}

func errorInfo(st *status.Status) *errdetails.ErrorInfo {
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// wantField fails unless err is INVALID_ARGUMENT with a field violation on field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("want INVALID_ARGUMENT on %s, got %v", field, err)
	}
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				if v.GetField() == field {
					return
				}
			}
		}
	}
	t.Fatalf("want a violation on %s, got %v", field, st.Details())
}
