package audit

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// filter is what a request narrows the log to. The field rules of the proto (lengths, the uuid, the service's
// name) are checked by the validation interceptor before the handler runs; what they cannot say is checked
// here.
type filter struct {
	service, kind, resourceID, actor, requestID string
	start, end                                  *time.Time
}

// filterOf reads and checks the filters of req.
func filterOf(req *auditpb.ListAuditRecordsRequest) (filter, error) {
	f := filter{service: req.GetService(), kind: req.GetResourceKind(), resourceID: req.GetResourceId(),
		actor: req.GetActor(), requestID: req.GetRequestId()}
	bad := &fault.Invalid{Reason: "INVALID_ARGUMENT"}
	f.start = instant(bad, "start_time", req.GetStartTime())
	f.end = instant(bad, "end_time", req.GetEndTime())
	if f.start != nil && f.end != nil && !f.end.After(*f.start) {
		bad.Add("end_time", "must be after start_time: the range holds changes at or after start_time and before end_time")
	}
	return f, bad.Err()
}

// instant reads an optional timestamp field, adding a violation when it is not a real instant.
func instant(bad *fault.Invalid, field string, ts *timestamppb.Timestamp) *time.Time {
	if ts == nil {
		return nil
	}
	if err := ts.CheckValid(); err != nil {
		bad.Add(field, "not a valid instant; give an RFC 3339 time such as 2025-03-01T00:00:00Z")
		return nil
	}
	t := ts.AsTime()
	return &t
}

// fingerprint lists every value that narrows the list, for the page token's binding: a token made for one
// service's log or one set of filters is refused by any other.
func (f filter) fingerprint(service string) []string {
	return []string{service, f.service, f.kind, f.resourceID, f.actor, f.requestID, stamp(f.start), stamp(f.end)}
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// position is the sort key of a record: the log is read in (time, seq) order, and a page starts after the
// position of the previous page's last record. Time alone would not do, since one transaction writes several
// records at one instant; seq alone would not either, since a transaction that started earlier may commit
// later with an earlier time.
type position struct {
	micros int64 // the record's time in microseconds since the epoch, PostgreSQL's precision
	seq    int64
}

func (p position) String() string { return fmt.Sprintf("%d:%d", p.micros, p.seq) }

// parsePosition reads the position a page token carries. Tokens are not signed, so a client can forge one;
// a position that does not parse is refused on page_token rather than reaching the database.
func parsePosition(s string) (*position, error) {
	if s == "" {
		return nil, nil
	}
	forged := fault.InvalidField("page_token", "the page token is not one this list gave out; start again without it")
	micros, seq, ok := strings.Cut(s, ":")
	if !ok {
		return nil, forged
	}
	m, err1 := strconv.ParseInt(micros, 10, 64)
	n, err2 := strconv.ParseInt(seq, 10, 64)
	if err1 != nil || err2 != nil || n < 1 || !timestamppb.New(time.UnixMicro(m)).IsValid() {
		return nil, forged
	}
	return &position{micros: m, seq: n}, nil
}

// at is the position's instant.
func (p position) at() time.Time { return time.UnixMicro(p.micros).UTC() }
