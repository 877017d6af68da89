package auditfan

import (
	"slices"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/page"
)

// maxTokenLen is the page_token length the proto allows; a longer one is refused before it is decoded.
const maxTokenLen = 4096

// cursor is where one service's log is to be read from next: the service's own page token of the page that
// holds the next record, the key of the last record already served (nil when none of that page was), and
// how many records of that page were served, so that one call can ask for them and the next ones together.
// Keeping the service's token, which the gateway cannot make, rather than a position of its own lets each
// service stay the only judge of its tokens.
type cursor struct {
	Token string `json:"t,omitempty"`
	After *key   `json:"a,omitempty"`
	Skip  int    `json:"k,omitempty"`
}

// key is a record's place in one service's log, which is ordered by (time, seq).
type key struct {
	Seconds int64 `json:"s"`
	Nanos   int32 `json:"n"`
	Seq     int64 `json:"q"`
}

func keyOf(r *auditpb.AuditRecord) key {
	return key{Seconds: r.GetTime().GetSeconds(), Nanos: r.GetTime().GetNanos(), Seq: r.GetSeq()}
}

// after reports whether k comes after o in a service's log.
func (k key) after(o key) bool {
	if k.Seconds != o.Seconds {
		return k.Seconds > o.Seconds
	}
	if k.Nanos != o.Nanos {
		return k.Nanos > o.Nanos
	}
	return k.Seq > o.Seq
}

// fingerprint condenses every filter of a request; the page size is left out, so a client may change it
// between pages.
func fingerprint(req *auditpb.ListAuditRecordsRequest) string {
	stamp := func(ts *timestamppb.Timestamp) string {
		if ts == nil {
			return ""
		}
		return ts.AsTime().UTC().Format(time.RFC3339Nano)
	}
	return page.Fingerprint(req.GetService(), req.GetResourceKind(), req.GetResourceId(), req.GetActor(), req.GetRequestId(),
		stamp(req.GetStartTime()), stamp(req.GetEndTime()))
}

// encodeToken is the merged view's page token: a cursor per service, sealed for the filters with fingerprint
// fp (platform/page).
func encodeToken(cursors map[string]cursor, fp string) string { return page.Seal(cursors, fp) }

// decodeToken reads a page token made for the filters with fingerprint fp, over the services named; "" is
// the first page. Tokens are not signed, so anything a client could have changed is checked: a token that is
// not one of ours, names another service or holds an impossible position is an INVALID_ARGUMENT on page_token.
func decodeToken(s, fp string, services []string) (map[string]cursor, error) {
	forged := fault.InvalidField("page_token", "not a page token this list returned; start again without it")
	if len(s) > maxTokenLen {
		return nil, forged
	}
	cursors, err := page.Unseal[map[string]cursor](s, fp)
	if err != nil {
		return nil, err
	}
	for name, c := range cursors {
		if !slices.Contains(services, name) || c.Skip < 0 || c.Skip > maxPageSize ||
			c.After != nil && (c.After.Seq < 1 || !(&timestamppb.Timestamp{Seconds: c.After.Seconds, Nanos: c.After.Nanos}).IsValid()) {
			return nil, forged
		}
	}
	if cursors == nil {
		cursors = map[string]cursor{}
	}
	return cursors, nil
}
