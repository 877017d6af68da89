package outbox

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/record"
)

// Pages of events are bounded by bytes as well as by count. A count alone lets a few hundred large events
// (claims of 500 lines) add up past a consumer's gRPC receive limit, and such a page then fails on every
// retry: the consumer, a rebuild, a fresh reporting database would all stop for good behind it.
const (
	// PageBytes is how much of a ListEventsResponse one page of events may fill: well under gRPC's default
	// receive limit (4 MiB), so that even a consumer that kept the default reads every page, and large enough
	// that pages of ordinary events are bounded by their count.
	PageBytes = 1 << 20
	// MaxEventBytes bounds one event as served. Append refuses a larger one, so a page of one event is never
	// larger either; the consumer accepts 16 times as much (reporting's consume.MaxResponseBytes). Events of
	// valid requests come nowhere near it: the largest the API's rules allow is about a sixth of it (see
	// TestLargestValidEventsFitOnePage in the reporting consumer); only a list no rule bounds, a network's
	// members, could reach it, at some 27,000 member partnerships. Refusing the change is a failure of the
	// request, but an event no consumer could read would stop the whole stream.
	MaxEventBytes = PageBytes
	// envelopeBytes bounds what serving adds to an event's payload, its actor and its request id: the seq,
	// id, producer name (under 100 bytes), schema version, time, every field's tag and length, and the
	// event's own tag and length in the response. TestEnvelopeBytesBoundsTheEnvelope checks it.
	envelopeBytes = 256
)

// checkSize refuses an event whose encoded payload of n bytes, written by a, would be served larger than
// MaxEventBytes. The check is made before the event is written, where the change can still fail cleanly.
func checkSize(payload proto.Message, n int, a record.Actor) error {
	if size := n + len(a.Subject) + len(a.RequestID) + envelopeBytes; size > MaxEventBytes {
		return fmt.Errorf("outbox: a %s event of up to %d bytes is larger than the %d an event may be: "+
			"the change is refused so that no consumer meets an event it cannot read",
			payload.ProtoReflect().Descriptor().FullName(), size, MaxEventBytes)
	}
	return nil
}

// servedSize is what e adds to a ListEventsResponse: the event and the tag and length of its field.
func servedSize(e *eventspb.Event) int {
	n := proto.Size(e)
	return protowire.SizeTag(1) + protowire.SizeBytes(n)
}
