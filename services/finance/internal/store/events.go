package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// Every write of this package ends with one of these, so each committed change has its event (platform/outbox):
// the whole state of the budget, claim or contribution, which a consumer can apply twice without harm.

func moneyPB(a money.Amount) *typepb.Money {
	return &typepb.Money{CurrencyCode: money.SEK, AmountMinor: a.Minor}
}

// budgetChanged emits the budget as reports count it: the lines of its approved revision, or of its newest
// revision while none is approved.
func budgetChanged(ctx context.Context, tx pgx.Tx, b Budget, a Actor) error {
	lines, revision := b.Lines, b.Revision
	if b.ApprovedRevision > 0 {
		revision = b.ApprovedRevision
		var err error
		if lines, err = revisionLines(ctx, tx, b.ID, revision); err != nil {
			return err
		}
	}
	e := &eventspb.BudgetChanged{Id: b.ID, PartnershipId: b.Application.PartnershipID, ApplicationId: b.Application.ID,
		State: enumword.Of[financepb.BudgetState](string(b.State)), ApprovedRevision: int32(b.ApprovedRevision),
		ApprovedTotal: moneyPB(b.ApprovedTotal)}
	for _, l := range lines {
		e.Lines = append(e.Lines, &eventspb.BudgetLineState{Id: l.ID, Category: enumword.Of[financepb.Category](string(l.Category)),
			Year: int32(l.Year), Amount: moneyPB(l.Amount)})
	}
	if b.ApprovedRevision > 0 {
		var at time.Time
		if err := tx.QueryRow(ctx, `SELECT approve_time FROM budget_revisions WHERE budget_id = $1 AND number = $2`, b.ID, revision).Scan(&at); err != nil {
			return fmt.Errorf("read approval time: %w", err)
		}
		e.ApproveTime = timestamppb.New(at)
	}
	return outbox.Append(ctx, tx, a, e)
}

// claimChanged emits a claim with its lines and decisions; payDate is set once it is paid.
func claimChanged(ctx context.Context, tx pgx.Tx, c Claim, payDate domain.Date, a Actor) error {
	return outbox.Append(ctx, tx, a, claimEvent(c, payDate))
}

// claimEvent is the event of c's new state (paid on payDate, when it is).
func claimEvent(c Claim, payDate domain.Date) *eventspb.ClaimChanged {
	e := &eventspb.ClaimChanged{Id: c.ID, BudgetId: c.BudgetID, PartnershipId: c.PartnershipID,
		State: enumword.Of[financepb.ClaimState](string(c.State)), PayDate: civil.ToProto(payDate)}
	if c.SubmitTime != nil {
		e.SubmitTime = timestamppb.New(*c.SubmitTime)
	}
	for _, l := range c.Lines {
		line := &eventspb.ClaimLineState{BudgetLineId: l.BudgetLineID, Year: int32(l.Date.Year), Sek: moneyPB(l.Cost.SEK)}
		if d, ok := c.Decisions[l.ID]; ok {
			line.Approved = moneyPB(d.Approved)
		}
		e.Lines = append(e.Lines, line)
	}
	return e
}

func inKindRecorded(ctx context.Context, tx pgx.Tx, k InKind, a Actor) error {
	return outbox.Append(ctx, tx, a, &eventspb.InKindRecorded{Id: k.ID, BudgetId: k.BudgetID, PartnershipId: k.PartnershipID,
		Date: civil.ToProto(k.Date), Hours: int32(k.Hours), Value: moneyPB(k.Value)})
}
