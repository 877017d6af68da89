// Package auditfan gives the gateway one audit log where the services keep three: it is an
// AuditServiceClient that asks each service's AuditService and merges their pages by (time, service, seq),
// so GET /v1/audit-log is one route over every change.
//
// Each call carries the caller's own metadata (the bearer token, the request id) to every service, which
// authenticates and authorizes it as it would a direct call: a member is refused by the services, not here.
// A service that cannot be reached fails the whole call with 503 naming it; a log with a silent hole in it
// would mislead the auditor reading it.
package auditfan

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	auditpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/grpcerr"
)

// defaultPageSize is the services' default (platform/page), which the merge must fill the same way.
const defaultPageSize = 50

// maxPageSize is the largest page the services serve (platform/page).
const maxPageSize = 500

// maxCallsPerService bounds the pages read from one service for one merged page. A page needs one, or two
// when changes committed late shifted the records of a page begun earlier; many more means a service whose
// tokens do not advance.
const maxCallsPerService = 8

// Source is one service's audit log.
type Source struct {
	// Name is the service's short name, the one its records carry: partnership, network or finance.
	Name   string
	Client auditpb.AuditServiceClient
}

// Client is the merged audit log.
type Client struct {
	sources []Source
}

var _ auditpb.AuditServiceClient = (*Client)(nil)

// New merges the logs of sources, which are asked in this order and named in errors by their Name.
func New(sources ...Source) *Client { return &Client{sources: sources} }

// ListAuditRecords returns one page of the merged log. The services check the caller and the filters (each
// sees the same ones); checked here is only what the services never see as sent: the page token, the page
// size and the service filter, which pick what the services are asked. The call options of the generated
// handler (header and trailer capture) are not passed on: they describe one call, and this makes several.
func (c *Client) ListAuditRecords(ctx context.Context, req *auditpb.ListAuditRecordsRequest, _ ...grpc.CallOption) (*auditpb.ListAuditRecordsResponse, error) {
	sources, err := c.selected(req.GetService())
	if err != nil {
		return nil, grpcerr.Error(ctx, err)
	}
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = s.Name
	}
	fp := fingerprint(req)
	cursors, err := decodeToken(req.GetPageToken(), fp, names)
	if err != nil {
		return nil, grpcerr.Error(ctx, err)
	}
	// The services see page sizes of the merge's choosing, so this one is checked here.
	size := int(req.GetPageSize())
	switch {
	case size < 0 || size > maxPageSize:
		return nil, grpcerr.Error(ctx, fault.InvalidField("page_size", fmt.Sprintf("must be from 0 to %d (0 for the default of %d)", maxPageSize, defaultPageSize)))
	case size == 0:
		size = defaultPageSize
	}

	runs := make([]run, len(sources))
	var wg sync.WaitGroup
	for i, s := range sources {
		wg.Go(func() { runs[i] = read(ctx, s, req, cursors[s.Name], size) })
	}
	wg.Wait()
	if err := failure(ctx, runs); err != nil {
		return nil, err
	}

	records, more := merge(runs, size, cursors)
	resp := &auditpb.ListAuditRecordsResponse{AuditRecords: records}
	if more {
		resp.NextPageToken = encodeToken(cursors, fp)
	}
	return resp, nil
}

// selected is the sources a request reads: all, or the one its service filter names.
func (c *Client) selected(service string) ([]Source, error) {
	if service == "" {
		return c.sources, nil
	}
	for _, s := range c.sources {
		if s.Name == service {
			return []Source{s}, nil
		}
	}
	names := make([]string, len(c.sources))
	for i, s := range c.sources {
		names[i] = fmt.Sprintf("%q", s.Name)
	}
	return nil, fault.InvalidField("service", "must be one of "+strings.Join(names, ", ")+", or left out for every service's log")
}

// entry is one record read from a service, with the cursor that resumes the service's log right after it.
type entry struct {
	record *auditpb.AuditRecord
	resume cursor
}

// run is what was read from one service for one merged page.
type run struct {
	source  string
	entries []entry
	// more is whether the service has records after the last entry.
	more bool
	err  error
}

// read reads one service's records after its cursor until it has size of them or the log ends: with every
// service holding size records (or all it has), the first size of the merge are certain to be the first
// size of the whole log.
func read(ctx context.Context, s Source, req *auditpb.ListAuditRecordsRequest, from cursor, size int) run {
	r := run{source: s.Name}
	// The first page starts where the cursor's page started, so it is asked for the records served from it
	// already on top of the ones wanted, and one call is enough.
	tok, ask := from.Token, min(maxPageSize, from.Skip+size)
	for calls := 0; len(r.entries) < size; calls++ {
		if calls == maxCallsPerService {
			r.err = fmt.Errorf("the %s service's page tokens did not advance", s.Name)
			return r
		}
		page, err := s.Client.ListAuditRecords(ctx, withPage(req, tok, ask))
		if err != nil {
			r.err = err
			return r
		}
		records := page.GetAuditRecords()
		for i, rec := range records {
			k := keyOf(rec)
			// from.After is a place in the log, not in a page: a record at or before it was served on an
			// earlier merged page, whichever page of this service it comes back on.
			if from.After != nil && !k.after(*from.After) {
				continue
			}
			resume := cursor{Token: tok, After: &k, Skip: i + 1}
			if i == len(records)-1 && page.GetNextPageToken() != "" {
				resume = cursor{Token: page.GetNextPageToken()} // saves reading a spent page again
			}
			r.entries = append(r.entries, entry{record: rec, resume: resume})
		}
		r.more = page.GetNextPageToken() != ""
		if !r.more {
			return r
		}
		tok, ask = page.GetNextPageToken(), size
	}
	return r
}

// withPage is req for one service: the same filters, that service's page token and a page size of its own.
func withPage(req *auditpb.ListAuditRecordsRequest, tok string, size int) *auditpb.ListAuditRecordsRequest {
	return &auditpb.ListAuditRecordsRequest{PageSize: int32(size), PageToken: tok, Service: req.GetService(),
		ResourceKind: req.GetResourceKind(), ResourceId: req.GetResourceId(), Actor: req.GetActor(),
		RequestId: req.GetRequestId(), StartTime: req.GetStartTime(), EndTime: req.GetEndTime()}
}

// merge takes the first size records of runs in (time, service, seq) order, moves cursors past the ones
// taken, and reports whether any service has records left.
func merge(runs []run, size int, cursors map[string]cursor) ([]*auditpb.AuditRecord, bool) {
	next := make([]int, len(runs)) // per run, the index of its first record not yet taken
	var out []*auditpb.AuditRecord
	for len(out) < size {
		best := -1
		for i, r := range runs {
			if next[i] < len(r.entries) && (best < 0 || before(r.entries[next[i]].record, runs[best].entries[next[best]].record)) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		e := runs[best].entries[next[best]]
		out = append(out, e.record)
		cursors[runs[best].source] = e.resume
		next[best]++
	}
	more := false
	for i, r := range runs {
		more = more || r.more || next[i] < len(r.entries)
	}
	return out, more
}

// before is the merged log's order: by time, then by service name, so records of one instant from two
// services always come in the same order, then by seq within a service.
func before(a, b *auditpb.AuditRecord) bool {
	ta, tb := a.GetTime(), b.GetTime()
	switch {
	case ta.GetSeconds() != tb.GetSeconds():
		return ta.GetSeconds() < tb.GetSeconds()
	case ta.GetNanos() != tb.GetNanos():
		return ta.GetNanos() < tb.GetNanos()
	case a.GetService() != b.GetService():
		return a.GetService() < b.GetService()
	}
	return a.GetSeq() < b.GetSeq()
}

// failure is the error of a merged call, if any service failed. A service's refusal (the caller's token, role
// or input) is returned as that service worded it, since it would refuse the same from the others; only when
// every failure is an outage is the answer 503 (or 504), naming each service that did not answer.
func failure(ctx context.Context, runs []run) error {
	var down, slow []string
	for _, r := range runs {
		switch status.Code(r.err) {
		case codes.OK:
			continue
		case codes.Unavailable:
			down = append(down, r.source)
		case codes.DeadlineExceeded:
			slow = append(slow, r.source)
		default:
			if _, ok := status.FromError(r.err); ok {
				return r.err
			}
			slog.ErrorContext(ctx, "audit log merge", "upstream", r.source, "error", r.err.Error())
			return status.Error(codes.Internal, "internal error; the request id in the logs tells operators more")
		}
		// The transport's own words may hold internal addresses: logged here, never sent.
		slog.WarnContext(ctx, "audit log: service did not answer", "upstream", r.source, "error", status.Convert(r.err).Message())
	}
	if len(down) > 0 {
		all := append(down, slow...)
		return grpcerr.Error(ctx, &fault.Unavailable{Reason: fault.ServiceUnavailable, Service: strings.Join(all, ","),
			Message: "the audit log cannot be read whole: the " + naming(all) + " unavailable; try again shortly"})
	}
	if len(slow) > 0 {
		st := status.New(codes.DeadlineExceeded, "the audit log cannot be read whole: the "+naming(slow)+" did not answer in time")
		if detailed, err := st.WithDetails(&errdetails.ErrorInfo{Reason: "DEADLINE_EXCEEDED", Domain: grpcerr.Domain,
			Metadata: map[string]string{"service": strings.Join(slow, ",")}}); err == nil {
			st = detailed
		}
		return st.Err()
	}
	return nil
}

// naming is "finance service is" or "network and finance services are", for messages.
func naming(services []string) string {
	if len(services) == 1 {
		return services[0] + " service is"
	}
	return strings.Join(services[:len(services)-1], ", ") + " and " + services[len(services)-1] + " services are"
}
