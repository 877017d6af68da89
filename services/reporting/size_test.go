package main

import (
	"math"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	networkpb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/consume"
	"github.com/partnerskap/partnerskap/platform/outbox"
)

// The largest event a valid request can make, built from the limits the API enforces. Lengths in the
// protovalidate rules (max_len) count characters, so every character here takes UTF-8's widest four
// bytes; every number and enum takes varint's widest ten bytes (a negative value), whatever its valid
// range. The limits:
//
//   - claims: at most 500 lines (finance.v1.Claim.lines); a line's budget_line_id at most 64 characters.
//   - budgets: at most 500 lines (finance.v1.Budget.lines); a line id at most 64 characters.
//   - partnerships: title 200 characters, challenge 5,000, at most 4 core areas and 20 SDG targets of at
//     most 5 characters ("16.7b" by their pattern).
//   - organisations: display name 200 characters; the organisation number is 10 digits, the country 2
//     letters.
//   - networks: name 200 characters, theme 100 (network domain); members: no rule (see below).
//   - ids are UUIDs the services assign (36 bytes); words (kinds, statuses, clusters) are the services'
//     own, under 64 bytes.
//   - the envelope: the actor is a token subject, and a token is at most 16 KiB (platform/auth); the request
//     id at most 128 characters of [A-Za-z0-9._:-] (platform/requestid).
//
// The result (logged by the test): a claim of 500 lines is about 171 KB served, the largest of all, a sixth
// of outbox.PageBytes and a hundredth of consume.MaxResponseBytes. A network's member list is bounded by no rule,
// only by the partnerships that staff approved into its cohort; each member adds 38 bytes, so a network
// reaches outbox.MaxEventBytes at some 27,000 members (ICLD runs a few hundred partnerships in all), and
// there outbox.Append refuses the change rather than write an event no page could carry.
const (
	widest  = -1 // a negative varint: ten bytes
	uuidLen = 36
	wordLen = 64
)

func chars(n int) string { return strings.Repeat("𝄞", n) } // four bytes each

func bytesOf(n int) string { return strings.Repeat("x", n) }

func uuid() string { return bytesOf(uuidLen) }

func widestMoney() *typepb.Money {
	return &typepb.Money{CurrencyCode: "SEK", AmountMinor: math.MinInt64}
}

func widestDate() *date.Date { return &date.Date{Year: widest, Month: widest, Day: widest} }

func widestTime() *timestamppb.Timestamp {
	return &timestamppb.Timestamp{Seconds: math.MinInt64, Nanos: widest}
}

// largestEvents is the largest valid event of every payload type.
func largestEvents() []proto.Message {
	claim := &eventspb.ClaimChanged{Id: uuid(), BudgetId: uuid(), PartnershipId: uuid(), State: widest,
		SubmitTime: widestTime(), PayDate: widestDate()}
	for range 500 {
		claim.Lines = append(claim.Lines, &eventspb.ClaimLineState{BudgetLineId: chars(64), Year: widest,
			Sek: widestMoney(), Approved: widestMoney()})
	}
	budget := &eventspb.BudgetChanged{Id: uuid(), PartnershipId: uuid(), ApplicationId: uuid(), State: widest,
		ApprovedRevision: widest, ApprovedTotal: widestMoney(), ApproveTime: widestTime()}
	for range 500 {
		budget.Lines = append(budget.Lines, &eventspb.BudgetLineState{Id: chars(64), Category: widest, Year: widest,
			Amount: widestMoney()})
	}
	partnership := &eventspb.PartnershipChanged{Id: uuid(), Title: chars(200), State: widest, SwedishOrganizationId: uuid(),
		InternationalOrganizationId: uuid(), ThirdOrganizationId: uuid(), Challenge: chars(5000), CountryCode: "ZM",
		Cluster: widest, CreateTime: widestTime()}
	for range 4 {
		partnership.CoreAreas = append(partnership.CoreAreas, partnershippb.CoreArea(widest))
	}
	for range 20 {
		partnership.SdgTargets = append(partnership.SdgTargets, chars(5))
	}
	// An application's framework: at most 30 results (a statement of 500 characters each) and 60 indicators
	// (a name of 300, a unit of 100) in all (partnership programme.MaxResults, MaxIndicators); ids at most 40
	// characters; a decimal value at most 20 bytes ("-" 12 digits "." 6 digits).
	//lint:ignore SA1019 old events carry the word, new ones the enum: the widest holds both
	application := &eventspb.ApplicationChanged{Id: uuid(), PartnershipId: uuid(), LegacyStatus: bytesOf(wordLen),
		Kind: partnershippb.ApplicationKind(widest), State: partnershippb.ApplicationState(widest), StartDate: widestDate(), EndDate: widestDate()}
	for range 30 {
		r := &eventspb.ResultState{Id: chars(40), ObjectiveId: chars(40), Level: partnershippb.ResultLevel(widest), Statement: chars(500)}
		for range 2 {
			r.Indicators = append(r.Indicators, &eventspb.IndicatorState{Id: chars(40), Name: chars(300), Measure: partnershippb.IndicatorMeasure(widest),
				Unit: chars(100), BaselineValue: bytesOf(20), BaselineDate: widestDate(), TargetValue: bytesOf(20), TargetDate: widestDate()})
		}
		application.Results = append(application.Results, r)
	}
	// A report: a value of each of the 60 indicators, with a comment of 500 characters.
	report := &eventspb.ReportChanged{Id: uuid(), PartnershipId: uuid(), ApplicationId: uuid(), Kind: partnershippb.ReportKind(widest),
		Year: widest, State: partnershippb.ReportState(widest)}
	for range 60 {
		report.Values = append(report.Values, &eventspb.IndicatorValueState{IndicatorId: chars(40), Value: bytesOf(20), Date: widestDate(), Comment: chars(500)})
	}
	return []proto.Message{
		claim,
		application,
		report,
		// A document: a file name of 200 characters; its type one of the service's own, under two words' length.
		&eventspb.DocumentChanged{Id: uuid(), PartnershipId: uuid(), ReportId: uuid(), Kind: partnershippb.DocumentKind(widest),
			FileName: chars(200), ContentType: bytesOf(2 * wordLen), Public: true},
		// An erased person: an id.
		&eventspb.PersonErased{Id: uuid()},
		budget,
		partnership,
		&eventspb.OrganizationChanged{Id: uuid(), DisplayName: chars(200), Kind: bytesOf(wordLen), OrgNumber: bytesOf(10), CountryCode: "SE"},
		&eventspb.ComplianceChanged{PartnershipId: uuid(), Year: widest, Meetings: widest, Compliant: true,
			SteeringGroupBalanced: true, Visits: widest},
		//lint:ignore SA1019 old events carry the word, new ones the enum: the widest holds both
		&eventspb.NetworkChanged{Id: uuid(), DisplayName: chars(200), Theme: chars(100), LegacyCluster: bytesOf(wordLen), Cluster: widest,
			State: networkpb.NetworkState(widest), CohortStart: widestDate(), EndDate: widestDate()},
		&eventspb.InKindRecorded{Id: uuid(), BudgetId: uuid(), PartnershipId: uuid(), Date: widestDate(), Hours: widest,
			Value: widestMoney()},
	}
}

// served is the size of a page holding only payload, in the widest envelope.
func served(t *testing.T, payload proto.Message) int {
	t.Helper()
	body, err := anypb.New(payload)
	if err != nil {
		t.Fatal(err)
	}
	return proto.Size(&eventspb.ListEventsResponse{HeadSeq: math.MaxInt64, Events: []*eventspb.Event{{
		Seq: math.MaxInt64, Id: uuid(), Producer: "partnership", SchemaVersion: widest, Time: widestTime(),
		Actor: bytesOf(16 << 10), RequestId: bytesOf(128), Payload: body}}})
}

// TestLargestValidEventsFitOnePage proves, for every event type, that the largest event valid requests can
// make is far below what one page may carry, and so far below what the consumer receives.
func TestLargestValidEventsFitOnePage(t *testing.T) {
	covered := map[protoreflect.FullName]bool{}
	for _, e := range largestEvents() {
		name := e.ProtoReflect().Descriptor().FullName()
		covered[name] = true
		size := served(t, e)
		t.Logf("largest %s: %d bytes served", name, size)
		if size > outbox.PageBytes/4 {
			t.Errorf("the largest %s is %d bytes served, not far below a page's %d", name, size, outbox.PageBytes)
		}
	}
	// Every payload type of the stream is here: a new event type needs its bound worked out above.
	msgs := eventspb.File_partnerskap_events_v1_events_proto.Messages()
	for i := range msgs.Len() {
		name := msgs.Get(i).FullName()
		switch name.Name() {
		case "Event", "ListEventsRequest", "ListEventsResponse", "BudgetLineState", "ClaimLineState", "ResultState", "IndicatorState",
			"IndicatorValueState":
			continue // the envelope, the RPC and the parts of events
		}
		if !covered[name] {
			t.Errorf("%s has no largest valid event here", name)
		}
	}

	// The one list no rule bounds: a network's members. Where an event would pass MaxEventBytes, Append
	// refuses it (platform/outbox's TestAppendRefusesAnEventOverMaxEventBytes).
	base := 0
	for _, e := range largestEvents() {
		if n, ok := e.(*eventspb.NetworkChanged); ok {
			base = served(t, n)
		}
	}
	perMember := proto.Size(&eventspb.NetworkChanged{MemberPartnershipIds: []string{uuid()}})
	if members := (outbox.MaxEventBytes - base) / perMember; members < 20_000 {
		t.Errorf("a network reaches the largest event at %d members", members)
	} else {
		t.Logf("a network's event reaches MaxEventBytes at %d members of %d bytes", members, perMember)
	}

	// What the producers send fits what the consumer receives, with a wide margin.
	if page := max(outbox.PageBytes, outbox.MaxEventBytes) + 64; page*8 > consume.MaxResponseBytes {
		t.Errorf("pages of up to %d bytes against a receive limit of %d", page, consume.MaxResponseBytes)
	}
}
