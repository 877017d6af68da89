package server

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// claimLinesFromProto reads claim lines and converts each cost to SEK (money.ToSEK: once, halves away from
// zero). A cost in SEK needs no rate: it converts at 1 on its own day.
func claimLinesFromProto(in []*pb.ClaimLine) ([]domain.ClaimLine, error) {
	v := &fault.Invalid{Reason: domain.ReasonInvalidArgument}
	out := make([]domain.ClaimLine, len(in))
	for i, l := range in {
		at := fmt.Sprintf("claim.lines[%d]", i)
		day, err := civil.FromProto(at+".date", l.GetDate())
		addInvalid(v, err)
		rateDate, err := civil.FromProto(at+".rate_date", l.GetRateDate())
		addInvalid(v, err)
		original, err := moneyFromProto(at+".original", l.GetOriginal())
		addInvalid(v, err)
		if l.GetCategory() == pb.Category_CATEGORY_UNSPECIFIED {
			v.Add(at+".category", "give the cost's category")
		}
		out[i] = domain.ClaimLine{ID: l.GetId(), Date: day, Category: domain.Category(enumword.Word(l.GetCategory())),
			BudgetLineID: l.GetBudgetLineId(), Description: l.GetDescription(),
			Receipt: domain.Receipt{FileName: l.GetReceipt().GetFileName(), Size: l.GetReceipt().GetSize(), SHA256: l.GetReceipt().GetSha256(),
				DocumentID: l.GetReceipt().GetDocumentId()}}
		if original.Currency == "" {
			continue
		}
		rateText, source := l.GetRate(), l.GetRateSource()
		if original.Currency == money.SEK {
			if rateText == "" {
				rateText = "1"
			}
			if rateDate.IsZero() {
				rateDate = day
			}
			if source == "" {
				source = "SEK"
			}
		}
		rate, err := money.ParseRate(rateText)
		if err != nil {
			addInvalid(v, money.Invalid(err, at+".rate"))
			continue
		}
		if err := original.Check(money.Positive); err != nil {
			addInvalid(v, money.Invalid(err, at+".original"))
			continue
		}
		conv, err := money.ToSEK(original, rate, rateDate, source)
		if err != nil {
			addInvalid(v, money.Invalid(err, at+".rate"))
			continue
		}
		out[i].Cost = conv
	}
	return out, v.Err()
}

// CreateClaim creates a draft claim on an approved budget.
func (s *Server) CreateClaim(ctx context.Context, req *pb.CreateClaimRequest) (*pb.Claim, error) {
	in := req.GetClaim()
	lines, err := claimLinesFromProto(in.GetLines())
	if err != nil {
		return nil, err
	}
	start, err := civil.FromProto("claim.period_start", in.GetPeriodStart())
	if err != nil {
		return nil, err
	}
	end, err := civil.FromProto("claim.period_end", in.GetPeriodEnd())
	if err != nil {
		return nil, err
	}
	switch {
	case start.IsZero():
		return nil, fault.InvalidField("claim.period_start", "give the first day of the reporting period")
	case end.IsZero():
		return nil, fault.InvalidField("claim.period_end", "give the last day of the reporting period")
	case end.Before(start):
		return nil, fault.InvalidField("claim.period_end", fmt.Sprintf("the period ends on %s, before it starts on %s", end, start))
	}
	costs := make([]money.Amount, len(lines))
	for i, l := range lines {
		costs[i] = l.Cost.SEK
	}
	if _, err := money.Sum(money.SEK, costs...); err != nil {
		return nil, money.Invalid(err, "claim.lines")
	}
	// The partnership service is asked before the budget is locked, so that no lock waits on another service:
	// what is checked of a report (its application, kind and year) and of a stored file (its partnership and
	// hash) never changes.
	// A budget that takes no claims is refused below, under its lock, as it would be without them.
	seen, err := store.GetBudget(ctx, s.pool, in.GetBudgetId(), scope(ctx))
	if err != nil {
		return nil, err
	}
	if seen.ApprovedRevision > 0 && seen.State != domain.StatusClosed {
		if err := s.checkClaimReport(ctx, seen, in.GetReportId(), domain.Period{From: start, To: end}, in.GetFinal()); err != nil {
			return nil, err
		}
		if err := s.checkReceiptDocuments(ctx, seen.Application.PartnershipID, lines); err != nil {
			return nil, err
		}
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesBudget(ctx, (*pb.Claim).GetBudgetId), func(tx pgx.Tx) (*pb.Claim, error) {
		b, err := store.LockBudget(ctx, tx, in.GetBudgetId(), scope(ctx), "")
		if err != nil {
			return nil, err
		}
		if err := mayWriteFor(ctx, b.Application.SwedishOrgID, "claim its costs"); err != nil {
			return nil, err
		}
		if b.ApprovedRevision == 0 || b.State == domain.StatusClosed {
			state := string(b.State)
			msg := fmt.Sprintf("the budget is %s; claims are made on an approved budget", state)
			return nil, &fault.FailedPrecondition{Reason: "BUDGET_NOT_APPROVED", Message: msg,
				Violations: []fault.PreconditionViolation{{Type: "BUDGET_NOT_APPROVED", Subject: "budgets/" + b.ID, Description: msg}}}
		}
		approved, err := store.ApprovedLines(ctx, tx, b)
		if err != nil {
			return nil, err
		}
		if err := domain.ValidateClaimLines(lines, approved, domain.Period{From: start, To: end}); err != nil {
			return nil, prefixFields(err, "claim.")
		}
		if err := store.CheckReceiptsUnused(ctx, tx, lines, scope(ctx)); err != nil {
			return nil, prefixFields(err, "claim.")
		}
		c, err := store.CreateClaim(ctx, tx, b, store.Claim{PeriodStart: start, PeriodEnd: end, Lines: lines, ReportID: in.GetReportId(), Final: in.GetFinal()}, actor(ctx))
		return claimToProto(c), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// GetClaim returns one claim the caller may see.
func (s *Server) GetClaim(ctx context.Context, req *pb.GetClaimRequest) (*pb.Claim, error) {
	c, err := store.GetClaim(ctx, s.pool, req.GetId(), scope(ctx))
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, c.ETag())
	return claimToProto(c), nil
}

// ListClaims pages through the claims the caller may see, oldest first.
func (s *Server) ListClaims(ctx context.Context, req *pb.ListClaimsRequest) (*pb.ListClaimsResponse, error) {
	f := store.ClaimFilter{VisibleTo: scope(ctx), BudgetID: req.GetBudgetId(), State: domain.Status(enumword.Word(req.GetState()))}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), f.VisibleTo, f.BudgetID, string(f.State))
	if err != nil {
		return nil, err
	}
	list, err := store.ListClaims(ctx, s.pool, f, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListClaimsResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(x store.Claim) string { return x.ID })
	for _, c := range list {
		resp.Claims = append(resp.Claims, claimToProto(c))
	}
	return resp, nil
}

// changeClaim runs fn on a claim under its row lock, after checking that step is allowed from its state.
func (s *Server) changeClaim(ctx context.Context, req proto.Message, id, etag string, step domain.Step,
	fn func(tx pgx.Tx, c store.Claim) (store.Claim, error)) (*pb.Claim, error) {
	out, err := idempotency.Run(ctx, s.pool, req, seesBudget(ctx, (*pb.Claim).GetBudgetId), func(tx pgx.Tx) (*pb.Claim, error) {
		c, err := store.LockClaim(ctx, tx, id, scope(ctx), httpmeta.IfMatch(ctx, etag))
		if err != nil {
			return nil, err
		}
		if _, err := domain.NextClaimStatus(c.State, step, "claims/"+c.ID); err != nil {
			return nil, err
		}
		c, err = fn(tx, c)
		return claimToProto(c), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// checkClaimReport checks the report a claim on budget b names, when it names one: a report of the budget's
// application, of the kind and year the claim's period and finality ask for (domain.CheckClaimReport).
func (s *Server) checkClaimReport(ctx context.Context, b store.Budget, reportID string, period domain.Period, final bool) error {
	if reportID == "" {
		return nil
	}
	r, err := s.apps.Report(ctx, b.Application.PartnershipID, reportID)
	var nf *fault.NotFound
	if errors.As(err, &nf) {
		return fault.InvalidField("claim.report_id", "is not a report of the budget's partnership")
	}
	if err != nil {
		return err
	}
	return domain.CheckClaimReport(r, b.Application.ID, period, final)
}

// checkReceiptDocuments checks the stored file each receipt names, read in one call: a receipt of the claim's
// partnership, with the SHA-256 the receipt gives (domain.CheckReceiptDocument). A receipt that names none is
// refused with the lines' other faults (domain.ValidateClaimLines).
func (s *Server) checkReceiptDocuments(ctx context.Context, partnershipID string, lines []domain.ClaimLine) error {
	var ids []string
	at := map[string]int{} // a document's first line
	for i, l := range lines {
		if _, named := at[l.Receipt.DocumentID]; !named && l.Receipt.DocumentID != "" {
			at[l.Receipt.DocumentID] = i
			ids = append(ids, l.Receipt.DocumentID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	docs, err := s.apps.Documents(ctx, ids)
	var nf *fault.NotFound
	if errors.As(err, &nf) {
		return fault.InvalidField(fmt.Sprintf("claim.lines[%d].receipt.document_id", at[nf.ID]),
			"is not a document the caller may see; upload the receipt first (POST /v1/documents)")
	}
	if err != nil {
		return err
	}
	byID := make(map[string]domain.Document, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	for i, l := range lines {
		d, named := byID[l.Receipt.DocumentID]
		if !named {
			continue
		}
		if err := domain.CheckReceiptDocument(l.Receipt, d, partnershipID, fmt.Sprintf("claim.lines[%d].receipt", i)); err != nil {
			return err
		}
	}
	return nil
}

// claimMask is what UpdateClaim may change.
var claimMask = []string{"report_id", "final"}

// UpdateClaim names the report a draft claim belongs to, and whether it is the final claim.
func (s *Server) UpdateClaim(ctx context.Context, req *pb.UpdateClaimRequest) (*pb.Claim, error) {
	in := req.GetClaim()
	if in == nil {
		return nil, fault.InvalidField("claim", "is required")
	}
	if in.GetId() != "" && in.GetId() != req.GetId() {
		return nil, fault.InvalidField("claim.id", "must match the id in the path, or be left out")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, claimMask)
	if err != nil {
		return nil, err
	}
	// What is named is checked before the claim is locked, as CreateClaim does: the claim's budget and period
	// never change.
	current, err := store.GetClaim(ctx, s.pool, req.GetId(), scope(ctx))
	if err != nil {
		return nil, err
	}
	reportID, final := current.ReportID, current.Final
	for _, p := range paths {
		switch p {
		case "report_id":
			reportID = in.GetReportId()
		case "final":
			final = in.GetFinal()
		}
	}
	b, err := store.GetBudget(ctx, s.pool, current.BudgetID, scope(ctx))
	if err != nil {
		return nil, err
	}
	if err := s.checkClaimReport(ctx, b, reportID, domain.Period{From: current.PeriodStart, To: current.PeriodEnd}, final); err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesBudget(ctx, (*pb.Claim).GetBudgetId), func(tx pgx.Tx) (*pb.Claim, error) {
		c, err := store.LockClaim(ctx, tx, req.GetId(), scope(ctx), httpmeta.IfMatch(ctx, in.GetEtag()))
		if err != nil {
			return nil, err
		}
		if err := mayWriteFor(ctx, c.SwedishOrgID, "change its claims"); err != nil {
			return nil, err
		}
		if c.State != domain.StatusDraft {
			msg := fmt.Sprintf("the claim is %s; its report is named while it is a draft", c.State)
			return nil, &fault.FailedPrecondition{Reason: "CLAIM_NOT_DRAFT", Message: msg,
				Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: "claims/" + c.ID, Description: msg}}}
		}
		if c.ReportID != current.ReportID || c.Final != current.Final {
			return nil, &fault.Conflict{Reason: "CLAIM_CHANGED", Message: "the claim's report changed while this change was checked; read it and send the change again"}
		}
		c, err = store.SetClaimReport(ctx, tx, c, reportID, final, actor(ctx))
		return claimToProto(c), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// SubmitClaim sends a draft claim to ICLD; it must name the report it belongs to.
func (s *Server) SubmitClaim(ctx context.Context, req *pb.TransitionClaimRequest) (*pb.Claim, error) {
	return s.changeClaim(ctx, req, req.GetId(), req.GetEtag(), domain.StepSubmit, func(tx pgx.Tx, c store.Claim) (store.Claim, error) {
		if err := mayWriteFor(ctx, c.SwedishOrgID, "submit its claims"); err != nil {
			return c, err
		}
		if err := domain.CheckReportNamed(c.ReportID, c.ID); err != nil {
			return c, err
		}
		return store.SubmitClaim(ctx, tx, c, actor(ctx))
	})
}

// reportApproved refuses to decide a claim whose report ICLD has not approved, naming the report. An approved
// report stays approved, so it is read before the claim's transaction, outside its locks.
func (s *Server) reportApproved(ctx context.Context, claimID string) error {
	partnershipID, reportID, err := store.ClaimReport(ctx, s.pool, claimID, scope(ctx))
	if err != nil {
		return err
	}
	if err := domain.CheckReportNamed(reportID, claimID); err != nil {
		return err
	}
	if s.approved.has(reportID) {
		return nil
	}
	r, err := s.apps.Report(ctx, partnershipID, reportID)
	if err != nil {
		return err
	}
	if err := domain.CheckReportApproved(r); err != nil {
		return err
	}
	s.approved.add(reportID)
	return nil
}

// approvedReports are report ids seen approved, at most maxApprovedReports of them (then forgotten all at
// once: a miss costs one call to the partnership service).
type approvedReports struct {
	mu  sync.Mutex
	ids map[string]bool
}

const maxApprovedReports = 10_000

func (a *approvedReports) has(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ids[id]
}

func (a *approvedReports) add(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.ids) >= maxApprovedReports {
		a.ids = map[string]bool{}
	}
	a.ids[id] = true
}

// ApproveClaim decides a submitted claim line by line. The budget lines' spend rows are locked before the check,
// so that of any number of concurrent approvals on one line, each sees what the others took.
func (s *Server) ApproveClaim(ctx context.Context, req *pb.ApproveClaimRequest) (*pb.Claim, error) {
	sent := make([]domain.LineDecision, len(req.GetDecisions()))
	for i, d := range req.GetDecisions() {
		amount, err := moneyFromProto(fmt.Sprintf("decisions[%d].approved", i), d.GetApproved())
		if err != nil {
			return nil, err
		}
		sent[i] = domain.LineDecision{LineID: d.GetLineId(), Approved: amount, Reason: d.GetReason()}
	}
	if err := s.reportApproved(ctx, req.GetId()); err != nil {
		return nil, err
	}
	return s.changeClaim(ctx, req, req.GetId(), req.GetEtag(), domain.StepApprove, func(tx pgx.Tx, c store.Claim) (store.Claim, error) {
		decisions := sent
		if len(decisions) == 0 { // approve every line in full
			for _, l := range c.Lines {
				decisions = append(decisions, domain.LineDecision{LineID: l.ID, Approved: l.Cost.SEK})
			}
		}
		return s.decide(ctx, tx, c, decisions)
	})
}

// RejectClaim rejects a submitted claim, giving the reason on every line.
func (s *Server) RejectClaim(ctx context.Context, req *pb.RejectClaimRequest) (*pb.Claim, error) {
	return s.changeClaim(ctx, req, req.GetId(), req.GetEtag(), domain.StepReject, func(tx pgx.Tx, c store.Claim) (store.Claim, error) {
		var decisions []domain.LineDecision
		for _, l := range c.Lines {
			decisions = append(decisions, domain.LineDecision{LineID: l.ID, Approved: money.Zero(money.SEK), Reason: req.GetReason()})
		}
		return s.decide(ctx, tx, c, decisions)
	})
}

// decide applies decisions to a locked claim. It loads what the domain's rules need under the locks that keep
// them true until commit (the budget's status, then its lines' spend rows, in the store's lock order), lets
// domain.DecideClaim judge, and stores the outcome with its ledger entry.
func (s *Server) decide(ctx context.Context, tx pgx.Tx, c store.Claim, decisions []domain.LineDecision) (store.Claim, error) {
	budget, err := store.ShareBudgetStatus(ctx, tx, c.BudgetID)
	if err != nil {
		return c, err
	}
	spend, err := store.LockLineSpend(ctx, tx, c.BudgetID)
	if err != nil {
		return c, err
	}
	approver := actor(ctx)
	out, err := domain.DecideClaim(domain.ClaimDecision{BudgetID: c.BudgetID, OrgID: c.SwedishOrgID, Lines: c.Lines,
		Creator: c.Creator, Submitter: c.Submitter, Approver: approver.Subject, Decisions: decisions,
		BudgetStatus: budget, Spend: spend})
	if err != nil {
		return c, err
	}
	entry := ledgerEntry(ctx, fmt.Sprintf("claim %s %s", c.ID, out.Status), out.Postings)
	return store.DecideClaim(ctx, tx, c, decisions, out.Status, out.Approved, out.ByBudgetLine, entry, approver)
}
