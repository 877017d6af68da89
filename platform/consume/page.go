package consume

import (
	"context"
	"log/slog"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
)

// MaxResponseBytes is the largest page of events the consumer receives. Producers send at most
// outbox.PageBytes (1 MiB) a page and never an event over outbox.MaxEventBytes (1 MiB), so this leaves a
// margin of 16: room for a producer of an older release, which bounds pages by count alone, and what it
// cannot cover the consumer handles by asking for fewer events (pager).
const MaxResponseBytes = 16 << 20

// CallOptions are the options of every ListEvents call the consumer makes: gRPC's default receive limit
// (4 MiB) raised to MaxResponseBytes.
func CallOptions() []grpc.CallOption {
	return []grpc.CallOption{grpc.MaxCallRecvMsgSize(MaxResponseBytes)}
}

// growAfter is how many pages are read at a reduced size before the size doubles again. Each page refused
// as too large was sent in full before the transport refused it, so the consumer does not probe the larger
// size at every page; and it does probe again, because one run of large events does not make the whole
// stream large.
const growAfter = 8

// pager is the page size the consumer asks one source for. It starts at the consumer's page size; a page
// the transport refused as too large halves it, down to one event, and after growAfter pages read at a
// reduced size it doubles again, up to the full size.
type pager struct {
	full, size, read int
}

func newPager(full int) *pager { return &pager{full: full, size: full} }

// shrink halves the size and reports whether it could.
func (p *pager) shrink() bool {
	if p.size <= 1 {
		return false
	}
	p.size = max(p.size/2, 1)
	p.read = 0
	return true
}

// ok records a page read at the current size.
func (p *pager) ok() {
	if p.size >= p.full {
		return
	}
	p.read++
	if p.read >= growAfter {
		p.size = min(p.size*2, p.full)
		p.read = 0
	}
}

// read asks s for the events after seq after, halving the page size for as long as the answer is too large
// to receive (RESOURCE_EXHAUSTED). It fails only when even one event is too large, or for another reason.
func read(ctx context.Context, s Source, after int64, p *pager) (*eventspb.ListEventsResponse, error) {
	for {
		page, err := s.List(ctx, after, p.size)
		if err == nil {
			p.ok()
			return page, nil
		}
		if status.Code(err) != codes.ResourceExhausted || !p.shrink() {
			return nil, err
		}
		slog.InfoContext(ctx, "a page of events was larger than the consumer receives; asking for fewer",
			"source", s.Name, "after_seq", after, "page_size", p.size)
	}
}
