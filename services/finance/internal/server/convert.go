package server

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

func moneyToProto(a money.Amount) *typepb.Money {
	if a.Currency == "" {
		return nil
	}
	return &typepb.Money{CurrencyCode: a.Currency, AmountMinor: a.Minor}
}

// moneyFromProto reads an amount field, refusing an unknown currency on it. An unset amount is the zero
// Amount, which the domain rules refuse where an amount is required.
func moneyFromProto(field string, m *typepb.Money) (money.Amount, error) {
	if m == nil {
		return money.Amount{}, nil
	}
	a, err := money.New(m.GetAmountMinor(), m.GetCurrencyCode())
	return a, money.Invalid(err, field+".currency_code")
}

func timestamp(t *time.Time) *timestamppb.Timestamp {
	if t == nil || t.IsZero() {
		return nil
	}
	return timestamppb.New(*t)
}

func linesFromProto(field string, in []*pb.BudgetLine) ([]domain.Line, error) {
	v := &fault.Invalid{Reason: domain.ReasonInvalidArgument}
	out := make([]domain.Line, len(in))
	for i, l := range in {
		at := fmt.Sprintf("%s[%d]", field, i)
		amount, err := moneyFromProto(at+".amount", l.GetAmount())
		addInvalid(v, err)
		rate, err := moneyFromProto(at+".hourly_rate", l.GetHourlyRate())
		addInvalid(v, err)
		out[i] = domain.Line{ID: l.GetId(), Category: domain.Category(enumword.Word(l.GetCategory())), Year: int(l.GetYear()),
			Description: l.GetDescription(), Amount: amount, Hours: l.GetHours(), HourlyRate: rate}
		if l.GetCategory() == pb.Category_CATEGORY_UNSPECIFIED {
			v.Add(at+".category", "give the line's category")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := domain.ValidateLines(out); err != nil {
		return nil, prefixFields(err, strings.TrimSuffix(field, "lines"))
	}
	return out, nil
}

// addInvalid adds the field violations of err, a *fault.Invalid or nil, to v. The first specific reason
// (UNKNOWN_CURRENCY, INVALID_RATE, …) becomes v's, so a client switching on the reason learns the first rule
// broken rather than a generic INVALID_ARGUMENT.
func addInvalid(v *fault.Invalid, err error) {
	var inv *fault.Invalid
	if !errors.As(err, &inv) {
		return
	}
	if len(v.Violations) == 0 && inv.Reason != "" {
		v.Reason = inv.Reason
	}
	v.Violations = append(v.Violations, inv.Violations...)
}

// prefixFields puts the request's path before the domain's field names: "lines[0].amount" from the domain is
// "budget.lines[0].amount" in a CreateBudget request.
func prefixFields(err error, prefix string) error {
	var inv *fault.Invalid
	if !errors.As(err, &inv) {
		return err
	}
	out := &fault.Invalid{Reason: inv.Reason}
	for _, fv := range inv.Violations {
		out.Violations = append(out.Violations, fault.FieldViolation{Field: prefix + fv.Field, Description: fv.Description})
	}
	return out
}

func lineToProto(l domain.Line, spend map[string]domain.LineSpend) *pb.BudgetLine {
	out := &pb.BudgetLine{Id: l.ID, Category: enumword.Of[pb.Category](string(l.Category)), Year: int32(l.Year),
		Description: l.Description, Amount: moneyToProto(l.Amount), Hours: l.Hours}
	if l.Category == domain.CategoryWorkInput {
		out.HourlyRate = moneyToProto(l.HourlyRate)
	}
	if s, ok := spend[l.ID]; ok {
		out.Spent = moneyToProto(s.Spent)
		if left, err := s.Approved.Sub(s.Spent); err == nil {
			out.Remaining = moneyToProto(left)
		}
	}
	return out
}

func budgetToProto(b store.Budget) *pb.Budget {
	a := b.Application
	out := &pb.Budget{Id: b.ID, PartnershipId: a.PartnershipID, ApplicationId: a.ID,
		State: enumword.Of[pb.BudgetState](string(b.State)), Total: moneyToProto(b.Total),
		ApplicationKind: enumword.Of[pb.ApplicationKind](a.Kind), CostZone: enumword.Of[pb.CostZone](string(a.CostZone)),
		Parties: int32(a.Parties), StartDate: civil.ToProto(a.Start), EndDate: civil.ToProto(a.End),
		Revision: int32(b.Revision), ApprovedRevision: int32(b.ApprovedRevision), ApprovedTotal: moneyToProto(b.ApprovedTotal),
		SwedishOrganizationId: a.SwedishOrgID, InternationalOrganizationId: a.InternationalOrgID, Etag: b.ETag(),
		CreateTime: timestamppb.New(b.CreateTime), UpdateTime: timestamppb.New(b.UpdateTime), Creator: b.Creator, Updater: b.Updater}
	// Spent and remaining describe the approved revision; a newer draft's lines show them only where the
	// line exists in both.
	for _, l := range b.Lines {
		out.Lines = append(out.Lines, lineToProto(l, b.Spend))
	}
	return out
}

func rulesToProto(r store.Rules) *pb.BudgetRules {
	out := &pb.BudgetRules{Id: r.ID, ValidFrom: civil.ToProto(r.Period.From), ValidTo: civil.ToProto(r.Period.To),
		InKindHourlyRate: moneyToProto(r.InKindHourlyRate), CreateTime: timestamppb.New(r.CreateTime), Creator: r.Creator}
	for _, c := range r.Caps {
		pc := &pb.Cap{Kind: enumword.Of[pb.ApplicationKind](string(c.Key.Kind)), CostZone: enumword.Of[pb.CostZone](string(c.Key.CostZone)),
			Parties: int32(c.Key.Parties), Total: moneyToProto(c.Total), PerYear: c.PerYear}
		if c.LimitsWorkInput {
			pc.WorkInputMax = moneyToProto(c.WorkInputMax)
		}
		out.Caps = append(out.Caps, pc)
	}
	for _, c := range domain.Categories() {
		out.Categories = append(out.Categories, &pb.CategoryInfo{Category: enumword.Of[pb.Category](string(c)), Label: c.Label(),
			Eligible: c.Eligible(), Refusal: c.Refusal()})
	}
	return out
}

func claimToProto(c store.Claim) *pb.Claim {
	out := &pb.Claim{Id: c.ID, BudgetId: c.BudgetID, PartnershipId: c.PartnershipID, PeriodStart: civil.ToProto(c.PeriodStart),
		PeriodEnd: civil.ToProto(c.PeriodEnd), State: enumword.Of[pb.ClaimState](string(c.State)), Total: moneyToProto(c.Total),
		ApprovedTotal: moneyToProto(c.ApprovedTotal), Submitter: c.Submitter, Approver: c.Approver, PaymentBatchId: c.PaymentBatchID,
		SwedishOrganizationId: c.SwedishOrgID, Etag: c.ETag(), CreateTime: timestamppb.New(c.CreateTime),
		UpdateTime: timestamppb.New(c.UpdateTime), Creator: c.Creator, ReportId: c.ReportID, Final: c.Final}
	for _, l := range c.Lines {
		pl := &pb.ClaimLine{Id: l.ID, Date: civil.ToProto(l.Date), Category: enumword.Of[pb.Category](string(l.Category)),
			BudgetLineId: l.BudgetLineID, Description: l.Description, Original: moneyToProto(l.Cost.Original),
			Rate: l.Cost.Rate.String(), RateDate: civil.ToProto(l.Cost.RateDate), RateSource: l.Cost.Source, Sek: moneyToProto(l.Cost.SEK),
			Receipt: &pb.Receipt{FileName: l.Receipt.FileName, Size: l.Receipt.Size, Sha256: l.Receipt.SHA256, DocumentId: l.Receipt.DocumentID}}
		if d, ok := c.Decisions[l.ID]; ok {
			pl.Approved, pl.DecisionReason = moneyToProto(d.Approved), d.Reason
		}
		out.Lines = append(out.Lines, pl)
	}
	return out
}

func batchToProto(b store.Batch) *pb.PaymentBatch {
	out := &pb.PaymentBatch{Id: b.ID, State: enumword.Of[pb.PaymentBatchState](b.State), Total: moneyToProto(b.Total),
		PayDate: civil.ToProto(b.PayDate), Payer: b.Payer, Etag: b.ETag(), CreateTime: timestamppb.New(b.CreateTime),
		UpdateTime: timestamppb.New(b.UpdateTime), Creator: b.Creator}
	for _, p := range b.Payments {
		out.ClaimIds = append(out.ClaimIds, p.ClaimID)
		out.Payments = append(out.Payments, &pb.Payment{ClaimId: p.ClaimID, OrganizationId: p.OrgID, Amount: moneyToProto(p.Amount)})
	}
	return out
}

func inKindToProto(k store.InKind) *pb.InKindContribution {
	return &pb.InKindContribution{Id: k.ID, BudgetId: k.BudgetID, Date: civil.ToProto(k.Date), PersonRole: k.PersonRole,
		Activity: k.Activity, Hours: int32(k.Hours), HourlyRate: moneyToProto(k.HourlyRate), Value: moneyToProto(k.Value),
		PartnershipId: k.PartnershipID, CreateTime: timestamppb.New(k.CreateTime), Creator: k.Creator}
}

func ledgerToProto(t domain.Transaction) *pb.LedgerTransaction {
	out := &pb.LedgerTransaction{Id: t.ID, Seq: t.Seq, Time: timestamppb.New(t.Time), Actor: t.Actor, RequestId: t.RequestID,
		Description: t.Description, Reverses: t.Reverses, PrevHash: t.PrevHash, Hash: t.Hash}
	for _, p := range t.Postings {
		out.Postings = append(out.Postings, &pb.Posting{Account: p.Account, Amount: moneyToProto(p.Amount)})
	}
	return out
}
