// Package events turns the events of the partnership and finance services into e-mails that ask people to
// act: a submitted claim to ICLD's coordinators, a returned report to the Swedish party's people. It runs in
// the consumer's transaction (platform/consume), so an event makes its e-mails exactly once: each has a key
// made of the event and the person, and a replayed event finds them made.
package events

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
	"github.com/partnerskap/partnerskap/services/notification/internal/store"
	"github.com/partnerskap/partnerskap/services/notification/internal/texts"
)

// People is what the handler asks of the partnership service.
type People interface {
	People(ctx context.Context, org string) ([]agenda.Person, error)
	Partnership(ctx context.Context, id string) (title, swedishOrg string, err error)
}

// Handler applies events.
type Handler struct {
	People People
	// LinkBase is the address the e-mails' links start with (the gateway as people reach it).
	LinkBase string
}

// Malformed is an event the handler cannot apply: it is parked.
type Malformed struct{ Reason string }

func (m *Malformed) Error() string { return m.Reason }

// IsMalformed reports whether err says the event must be parked.
func IsMalformed(err error) bool {
	var m *Malformed
	return errors.As(err, &m)
}

// Apply applies e in tx: events no one acts on are passed over.
func (h Handler) Apply(ctx context.Context, tx pgx.Tx, e *eventspb.Event) error {
	if e.GetSchemaVersion() != outbox.SchemaVersion {
		return &Malformed{Reason: fmt.Sprintf("schema version %d is not one this consumer knows", e.GetSchemaVersion())}
	}
	msg, err := e.GetPayload().UnmarshalNew()
	if err != nil {
		// An event type this build does not know (a newer producer) asks nothing of anyone here.
		return nil
	}
	switch p := msg.(type) {
	case *eventspb.ClaimChanged:
		if p.GetState() != financepb.ClaimState_CLAIM_STATE_SUBMITTED || p.GetSubmitTime() == nil {
			// Decided (or back to a draft): a request not yet sent asks for nothing any more.
			_, err := store.CancelPending(ctx, tx, "claim-submitted/"+p.GetId()+"/", "the claim was decided before the e-mail was sent")
			return err
		}
		return h.claimSubmitted(ctx, tx, p)
	case *eventspb.ReportChanged:
		if p.GetState() != partnershippb.ReportState_REPORT_STATE_RETURNED {
			return nil
		}
		return h.reportReturned(ctx, tx, p, e.GetId())
	case *eventspb.PersonErased:
		_, err := store.EraseMessages(ctx, tx, p.GetId())
		return err
	}
	return nil
}

// claimSubmitted asks every coordinator who wants requests to decide the claim, once per submission.
func (h Handler) claimSubmitted(ctx context.Context, tx pgx.Tx, c *eventspb.ClaimChanged) error {
	people, err := h.People.People(ctx, "")
	if err != nil {
		return err
	}
	var total int64
	for _, l := range c.GetLines() {
		total += l.GetSek().GetAmountMinor()
	}
	amount := fmt.Sprintf("%d,%02d SEK", total/100, total%100)
	submitted := strconv.FormatInt(c.GetSubmitTime().AsTime().UnixMicro(), 10)
	for _, p := range people {
		if p.Role != "coordinator" || p.NoRequests {
			continue
		}
		mail := texts.ClaimToDecide(p.Language, p.Name, amount, h.LinkBase+"/v1/claims/"+c.GetId())
		if _, err := store.Enqueue(ctx, tx, store.NewMessage(p, "request", "claim-submitted/"+c.GetId()+"/"+submitted+"/"+p.ID, mail)); err != nil {
			return err
		}
	}
	return nil
}

// reportReturned tells the people of the partnership's Swedish party that ICLD returned its report.
func (h Handler) reportReturned(ctx context.Context, tx pgx.Tx, r *eventspb.ReportChanged, eventID string) error {
	title, org, err := h.People.Partnership(ctx, r.GetPartnershipId())
	if err != nil {
		return err
	}
	people, err := h.People.People(ctx, org)
	if err != nil {
		return err
	}
	link := h.LinkBase + "/v1/partnerships/" + r.GetPartnershipId() + "/reports/" + r.GetId()
	for _, p := range people {
		if p.NoRequests || p.Staff() {
			continue
		}
		mail := texts.ReportReturned(p.Language, p.Name, title, int(r.GetYear()), link)
		if _, err := store.Enqueue(ctx, tx, store.NewMessage(p, "request", "report-returned/"+eventID+"/"+p.ID, mail)); err != nil {
			return err
		}
	}
	return nil
}
