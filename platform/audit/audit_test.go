package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/interceptor"
	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/platform/validation"
)

// schema is a database with the platform's tables, audit_log among them.
var schema = pgtest.PlatformOnly

// base is the instant the test's changes are made around.
var base = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// change is one audit row the test writes.
type change struct {
	minute           int // minutes after base
	actor, requestID string
	action, kind, id string
}

var (
	partnership = "0190c5a2-8c6e-7000-8000-000000000001"
	claim       = "0190c5a2-8c6e-7000-8000-000000000002"
)

// history is written in this order; two changes share an instant (one request touching two resources), and
// one written later carries an earlier time (a transaction that committed late), so order by seq alone or by
// time alone would be wrong.
var history = []change{
	{0, "alice", "req-1", "create", "partnership", partnership},
	{5, "bob", "req-2", "create", "claim", claim},
	{5, "bob", "req-2", "update", "partnership", partnership},
	{10, "alice", "req-3", "submit", "partnership", partnership},
	{3, "carol", "req-4", "approve", "claim", claim},
	{20, "bob", "req-5", "update", "claim", claim},
	{30, "alice", "req-6", "approve", "partnership", partnership},
}

// wantOrder is history's indexes in (time, seq) order.
var wantOrder = []int{0, 4, 1, 2, 3, 5, 6}

func newServer(t *testing.T) *Server {
	t.Helper()
	pool := pgtest.NewPool(t, schema)
	ctx := context.Background()
	for _, c := range history {
		a := record.Actor{Subject: c.actor, Role: "coordinator", RequestID: c.requestID}
		if err := record.Audit(ctx, pool, a, base.Add(time.Duration(c.minute)*time.Minute), c.action, c.kind, c.id, "note "+c.action); err != nil {
			t.Fatal(err)
		}
	}
	return NewServer(pool, "finance")
}

// list calls the server as the service does: the proto's field rules first (the validation interceptor),
// then the handler.
func list(s *Server, req *auditpb.ListAuditRecordsRequest) (*auditpb.ListAuditRecordsResponse, error) {
	if err := validation.Check(req, ""); err != nil {
		return nil, err
	}
	return s.ListAuditRecords(context.Background(), req)
}

// actions names the records as "action kind@minute", for readable failures.
func actions(records []*auditpb.AuditRecord) []string {
	out := make([]string, len(records))
	for i, r := range records {
		out[i] = fmt.Sprintf("%s %s@%d", r.GetAction(), r.GetResourceKind(), int(r.GetTime().AsTime().Sub(base).Minutes()))
	}
	return out
}

// at is the instant minute minutes after base.
func at(minute int) *timestamppb.Timestamp {
	return timestamppb.New(base.Add(time.Duration(minute) * time.Minute))
}

func expected(indexes ...int) []string {
	out := make([]string, len(indexes))
	for i, n := range indexes {
		c := history[n]
		out[i] = fmt.Sprintf("%s %s@%d", c.action, c.kind, c.minute)
	}
	return out
}

func TestListsEveryRecordInTimeOrder(t *testing.T) {
	s := newServer(t)
	got, err := list(s, &auditpb.ListAuditRecordsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if want := expected(wantOrder...); !slices.Equal(actions(got.GetAuditRecords()), want) || got.GetNextPageToken() != "" {
		t.Fatalf("got %v (next %q), want %v on one page", actions(got.GetAuditRecords()), got.GetNextPageToken(), want)
	}
	r := got.GetAuditRecords()[0]
	if r.GetService() != "finance" || r.GetSeq() != 1 || r.GetActor() != "alice" || r.GetActorRole() != "coordinator" ||
		r.GetRequestId() != "req-1" || r.GetResourceId() != partnership || r.GetDetail() != "note create" || !r.GetTime().AsTime().Equal(base) {
		t.Fatalf("first record: %v", r)
	}
}

func TestFilters(t *testing.T) {
	s := newServer(t)
	for name, tc := range map[string]struct {
		req  *auditpb.ListAuditRecordsRequest
		want []int
	}{
		"resource":          {&auditpb.ListAuditRecordsRequest{ResourceId: claim}, []int{4, 1, 5}},
		"kind":              {&auditpb.ListAuditRecordsRequest{ResourceKind: "partnership"}, []int{0, 2, 3, 6}},
		"actor":             {&auditpb.ListAuditRecordsRequest{Actor: "bob"}, []int{1, 2, 5}},
		"request":           {&auditpb.ListAuditRecordsRequest{RequestId: "req-2"}, []int{1, 2}},
		"from":              {&auditpb.ListAuditRecordsRequest{StartTime: at(10)}, []int{3, 5, 6}},
		"until, exclusive":  {&auditpb.ListAuditRecordsRequest{EndTime: at(5)}, []int{0, 4}},
		"range":             {&auditpb.ListAuditRecordsRequest{StartTime: at(5), EndTime: at(20)}, []int{1, 2, 3}},
		"all together":      {&auditpb.ListAuditRecordsRequest{Actor: "bob", ResourceKind: "claim", StartTime: at(1)}, []int{1, 5}},
		"this service":      {&auditpb.ListAuditRecordsRequest{Service: "finance", RequestId: "req-3"}, []int{3}},
		"another service":   {&auditpb.ListAuditRecordsRequest{Service: "network"}, nil},
		"nothing matches":   {&auditpb.ListAuditRecordsRequest{Actor: "mallory"}, nil},
		"an unknown kind":   {&auditpb.ListAuditRecordsRequest{ResourceKind: "budget"}, nil},
		"an unknown record": {&auditpb.ListAuditRecordsRequest{ResourceId: "0190c5a2-8c6e-7000-8000-0000000000ff"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := list(s, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if want := expected(tc.want...); !slices.Equal(actions(got.GetAuditRecords()), want) {
				t.Fatalf("got %v, want %v", actions(got.GetAuditRecords()), want)
			}
		})
	}
}

func TestPagesCoverTheLogOnceInOrder(t *testing.T) {
	s := newServer(t)
	for size := int32(1); size <= 4; size++ {
		var seen []*auditpb.AuditRecord
		req := &auditpb.ListAuditRecordsRequest{PageSize: size}
		for pages := 0; ; pages++ {
			if pages > len(history) {
				t.Fatalf("page size %d: more pages than records", size)
			}
			got, err := list(s, req)
			if err != nil {
				t.Fatalf("page size %d: %v", size, err)
			}
			if len(got.GetAuditRecords()) > int(size) {
				t.Fatalf("page size %d: a page of %d", size, len(got.GetAuditRecords()))
			}
			seen = append(seen, got.GetAuditRecords()...)
			if got.GetNextPageToken() == "" {
				break
			}
			req.PageToken = got.GetNextPageToken()
		}
		if want := expected(wantOrder...); !slices.Equal(actions(seen), want) {
			t.Fatalf("page size %d: got %v, want %v", size, actions(seen), want)
		}
	}
}

func TestPagesOfAFilteredLog(t *testing.T) {
	s := newServer(t)
	first, err := list(s, &auditpb.ListAuditRecordsRequest{PageSize: 2, ResourceId: partnership})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	second, err := list(s, &auditpb.ListAuditRecordsRequest{PageSize: 2, ResourceId: partnership, PageToken: first.GetNextPageToken()})
	if err != nil {
		t.Fatal(err)
	}
	got := append(actions(first.GetAuditRecords()), actions(second.GetAuditRecords())...)
	if want := expected(0, 2, 3, 6); !slices.Equal(got, want) || second.GetNextPageToken() != "" {
		t.Fatalf("got %v (next %q), want %v", got, second.GetNextPageToken(), want)
	}

	// The token is bound to its filters and to this service's log.
	_, err = list(s, &auditpb.ListAuditRecordsRequest{PageSize: 2, ResourceId: claim, PageToken: first.GetNextPageToken()})
	wantInvalid(t, err, "page_token")
	other := NewServer(s.db, "network")
	_, err = list(other, &auditpb.ListAuditRecordsRequest{PageSize: 2, ResourceId: partnership, PageToken: first.GetNextPageToken()})
	wantInvalid(t, err, "page_token")
}

func TestBadInputNamesTheField(t *testing.T) {
	s := newServer(t)
	for field, req := range map[string]*auditpb.ListAuditRecordsRequest{
		"page_size":     {PageSize: 501},
		"page_token":    {PageToken: "not a token"},
		"service":       {Service: "reporting"},
		"resource_id":   {ResourceId: "42"},
		"resource_kind": {ResourceKind: "Claim; DROP TABLE"},
		"request_id":    {RequestId: strings.Repeat("r", 129)},
		"end_time":      {StartTime: at(10), EndTime: at(10)},
		"start_time":    {StartTime: &timestamppb.Timestamp{Seconds: 1, Nanos: -1}},
	} {
		t.Run(field, func(t *testing.T) {
			_, err := list(s, req)
			wantInvalid(t, err, field)
		})
	}
}

func TestForgedPositionsAreRefused(t *testing.T) {
	for _, s := range []string{"x", "1", "1:", ":1", "1:0", "a:1", "1:b", "999999999999999999:1", "1:1:1"} {
		if _, err := parsePosition(s); err == nil {
			t.Errorf("position %q accepted", s)
		}
	}
	p, err := parsePosition(position{micros: base.UnixMicro(), seq: 7}.String())
	if err != nil || !p.at().Equal(base) || p.seq != 7 {
		t.Fatalf("round trip: %v %v", p, err)
	}
}

// TestOnlyStaffAndAuditorsMayRead: the roles are the proto's, which the authorization interceptor enforces;
// members and partners see none of the log.
func TestOnlyStaffAndAuditorsMayRead(t *testing.T) {
	roles, err := interceptor.DeclaredRoles("partnerskap.audit.v1.AuditService", "ListAuditRecords")
	if err != nil {
		t.Fatal(err)
	}
	if want := []auth.Role{auth.RoleAdmin, auth.RoleCoordinator, auth.RoleAuditor}; !slices.Equal(roles, want) {
		t.Fatalf("roles %v, want %v", roles, want)
	}
}

func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var invalid *fault.Invalid
	if !errors.As(err, &invalid) {
		t.Fatalf("want INVALID_ARGUMENT on %s, got %v", field, err)
	}
	for _, v := range invalid.Violations {
		if v.Field == field {
			return
		}
	}
	t.Fatalf("want a violation on %s, got %v", field, invalid)
}
