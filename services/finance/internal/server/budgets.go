package server

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// checkAgainstRules checks lines against the cap that applies to app: the one in the rules in force on the
// application's first day, so that a budget keeps the rules it was planned under.
func checkAgainstRules(ctx context.Context, q store.Querier, app domain.Application, lines []domain.Line, field string) error {
	rules, err := rulesOn(ctx, q, app.Start)
	if err != nil {
		return err
	}
	if err := domain.CheckLineYears(lines, app); err != nil {
		return prefixFields(err, field)
	}
	c, err := domain.CapFor(rules.CapRules, app)
	if err != nil {
		return err
	}
	return prefixFields(domain.CheckBudget(lines, c), field)
}

// checkSpent refuses lines that go below what approved claims have already taken, before the approval that
// would find out: the writers learn it when they can still change the lines.
func checkSpent(b store.Budget) error {
	spent := make([]domain.LineSpend, 0, len(b.Spend))
	for _, sp := range b.Spend {
		spent = append(spent, sp)
	}
	_, _, err := domain.ApproveRevision(b.ID, b.Lines, spent)
	return err
}

// ledgerEntry is a transaction of the caller's, ready for store.AppendLedger; nil when there is nothing to post.
func ledgerEntry(ctx context.Context, description string, postings []domain.Posting) *domain.Transaction {
	if len(postings) == 0 {
		return nil
	}
	a := actor(ctx)
	return &domain.Transaction{Time: time.Now(), Actor: a.Subject, RequestID: a.RequestID, Description: description, Postings: postings}
}

// CreateBudget creates the draft budget of an approved application.
func (s *Server) CreateBudget(ctx context.Context, req *pb.CreateBudgetRequest) (*pb.Budget, error) {
	in := req.GetBudget()
	// Required here, not in the proto: an update leaves them out (AIP-134).
	missing := &fault.Invalid{}
	if in.GetPartnershipId() == "" {
		missing.Add("budget.partnership_id", "value is required")
	}
	if in.GetApplicationId() == "" {
		missing.Add("budget.application_id", "value is required")
	}
	if err := missing.Err(); err != nil {
		return nil, err
	}
	lines, err := linesFromProto("budget.lines", in.GetLines())
	if err != nil {
		return nil, err
	}
	app, err := s.apps.Application(ctx, in.GetPartnershipId(), in.GetApplicationId())
	if err != nil {
		return nil, err
	}
	if err := mayWriteFor(ctx, app.SwedishOrgID, "write its budget"); err != nil {
		return nil, err
	}
	if err := domain.CheckBudgetable(app); err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesBudget(ctx, (*pb.Budget).GetId), func(tx pgx.Tx) (*pb.Budget, error) {
		if err := checkAgainstRules(ctx, tx, app, lines, "budget."); err != nil {
			return nil, err
		}
		b, err := store.CreateBudget(ctx, tx, app, lines, actor(ctx))
		return budgetToProto(b), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// GetBudget returns one budget the caller may see.
func (s *Server) GetBudget(ctx context.Context, req *pb.GetBudgetRequest) (*pb.Budget, error) {
	b, err := store.GetBudget(ctx, s.pool, req.GetId(), scope(ctx))
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, b.ETag())
	return budgetToProto(b), nil
}

// ListBudgets pages through the budgets the caller may see, oldest first.
func (s *Server) ListBudgets(ctx context.Context, req *pb.ListBudgetsRequest) (*pb.ListBudgetsResponse, error) {
	filter := store.BudgetFilter{VisibleTo: scope(ctx), PartnershipID: req.GetPartnershipId()}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), filter.VisibleTo, filter.PartnershipID)
	if err != nil {
		return nil, err
	}
	list, err := store.ListBudgets(ctx, s.pool, filter, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListBudgetsResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(x store.Budget) string { return x.ID })
	for _, b := range list {
		resp.Budgets = append(resp.Budgets, budgetToProto(b))
	}
	return resp, nil
}

// UpdateBudget replaces what the update names of a draft revision: its lines (AIP-134, platform/fieldmask).
func (s *Server) UpdateBudget(ctx context.Context, req *pb.UpdateBudgetRequest) (*pb.Budget, error) {
	in := req.GetBudget()
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, []string{"lines"})
	if err != nil {
		return nil, err
	}
	lines, err := linesFromProto("budget.lines", in.GetLines())
	if err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesBudget(ctx, (*pb.Budget).GetId), func(tx pgx.Tx) (*pb.Budget, error) {
		b, err := store.LockBudget(ctx, tx, req.GetId(), scope(ctx), httpmeta.IfMatch(ctx, in.GetEtag()))
		if err != nil {
			return nil, err
		}
		if err := mayWriteFor(ctx, b.Application.SwedishOrgID, "change its budget"); err != nil {
			return nil, err
		}
		if len(paths) == 0 {
			return budgetToProto(b), nil // nothing named and nothing sent: nothing changes
		}
		if b.State != domain.StatusDraft {
			msg := fmt.Sprintf("the budget's revision %d is %s; only a draft is edited, so start a new revision to change an approved budget", b.Revision, b.State)
			return nil, &fault.FailedPrecondition{Reason: domain.ReasonBadState, Message: msg,
				Violations: []fault.PreconditionViolation{{Type: "STATE", Subject: "budgets/" + b.ID, Description: msg}}}
		}
		if err := checkAgainstRules(ctx, tx, b.Application, lines, "budget."); err != nil {
			return nil, err
		}
		b, err = store.ReplaceLines(ctx, tx, b, lines, actor(ctx))
		return budgetToProto(b), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// transitionBudget runs one lifecycle step on a budget under its row lock.
func (s *Server) transitionBudget(ctx context.Context, req *pb.TransitionBudgetRequest, step domain.Step,
	apply func(tx pgx.Tx, b store.Budget) (store.Budget, error)) (*pb.Budget, error) {
	out, err := idempotency.Run(ctx, s.pool, req, seesBudget(ctx, (*pb.Budget).GetId), func(tx pgx.Tx) (*pb.Budget, error) {
		b, err := store.LockBudget(ctx, tx, req.GetId(), scope(ctx), httpmeta.IfMatch(ctx, req.GetEtag()))
		if err != nil {
			return nil, err
		}
		if _, err := domain.NextBudgetStatus(b.State, step, "budgets/"+b.ID); err != nil {
			return nil, err
		}
		b, err = apply(tx, b)
		return budgetToProto(b), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// SubmitBudget sends the newest revision for approval, once it keeps to the rules.
func (s *Server) SubmitBudget(ctx context.Context, req *pb.TransitionBudgetRequest) (*pb.Budget, error) {
	return s.transitionBudget(ctx, req, domain.StepSubmit, func(tx pgx.Tx, b store.Budget) (store.Budget, error) {
		if err := mayWriteFor(ctx, b.Application.SwedishOrgID, "submit its budget"); err != nil {
			return b, err
		}
		if err := checkAgainstRules(ctx, tx, b.Application, b.Lines, "budget."); err != nil {
			return b, err
		}
		if err := checkSpent(b); err != nil {
			return b, err
		}
		return store.SubmitBudget(ctx, tx, b, actor(ctx))
	})
}

// ApproveBudget approves the submitted revision and posts the change in approved money to the ledger.
func (s *Server) ApproveBudget(ctx context.Context, req *pb.TransitionBudgetRequest) (*pb.Budget, error) {
	return s.transitionBudget(ctx, req, domain.StepApprove, func(tx pgx.Tx, b store.Budget) (store.Budget, error) {
		if err := checkAgainstRules(ctx, tx, b.Application, b.Lines, "budget."); err != nil {
			return b, err
		}
		submitter, err := store.RevisionSubmitter(ctx, tx, b.ID, b.Revision)
		if err != nil {
			return b, err
		}
		if err := domain.CheckFourEyes(actor(ctx).Subject, b.Creator, submitter); err != nil {
			return b, err
		}
		locked, err := store.LockLineSpend(ctx, tx, b.ID)
		if err != nil {
			return b, err
		}
		before := make([]domain.LineSpend, 0, len(locked))
		for _, sp := range locked {
			before = append(before, sp)
		}
		after, postings, err := domain.ApproveRevision(b.ID, b.Lines, before)
		if err != nil {
			return b, err
		}
		if err := withinGrants(ctx, tx, b); err != nil {
			return b, err
		}
		entry := ledgerEntry(ctx, fmt.Sprintf("budget %s revision %d approved", b.ID, b.Revision), postings)
		return store.ApproveBudget(ctx, tx, b, after, entry, actor(ctx))
	})
}

// ReturnBudget sends a submitted revision back to draft.
func (s *Server) ReturnBudget(ctx context.Context, req *pb.TransitionBudgetRequest) (*pb.Budget, error) {
	if strings.TrimSpace(req.GetReason()) == "" {
		return nil, fault.InvalidField("reason", "say what the budget's writers should change")
	}
	return s.transitionBudget(ctx, req, domain.StepReturn, func(tx pgx.Tx, b store.Budget) (store.Budget, error) {
		return store.ReturnBudget(ctx, tx, b, req.GetReason(), actor(ctx))
	})
}

// CloseBudget closes an approved budget.
func (s *Server) CloseBudget(ctx context.Context, req *pb.TransitionBudgetRequest) (*pb.Budget, error) {
	return s.transitionBudget(ctx, req, domain.StepClose, func(tx pgx.Tx, b store.Budget) (store.Budget, error) {
		return store.CloseBudget(ctx, tx, b, actor(ctx))
	})
}

// CreateBudgetRevision starts a new draft revision of an approved budget.
func (s *Server) CreateBudgetRevision(ctx context.Context, req *pb.CreateBudgetRevisionRequest) (*pb.BudgetRevision, error) {
	lines, err := linesFromProto("revision.lines", req.GetRevision().GetLines())
	if err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesBudget(ctx, (*pb.BudgetRevision).GetBudgetId), func(tx pgx.Tx) (*pb.BudgetRevision, error) {
		b, err := store.LockBudget(ctx, tx, req.GetBudgetId(), scope(ctx), httpmeta.IfMatch(ctx, req.GetEtag()))
		if err != nil {
			return nil, err
		}
		if err := mayWriteFor(ctx, b.Application.SwedishOrgID, "revise its budget"); err != nil {
			return nil, err
		}
		current := domain.Revision{Number: b.Revision, Status: b.State, Lines: b.Lines}
		if _, err := domain.Revise(current, lines, "budgets/"+b.ID); err != nil {
			return nil, err
		}
		if err := checkAgainstRules(ctx, tx, b.Application, lines, "revision."); err != nil {
			return nil, err
		}
		if err := checkSpent(store.Budget{ID: b.ID, Lines: lines, Spend: b.Spend}); err != nil {
			return nil, err
		}
		previous := b.Lines
		if b, err = store.StartRevision(ctx, tx, b, lines, actor(ctx)); err != nil {
			return nil, err
		}
		revs, err := store.ListRevisions(ctx, tx, b.ID)
		if err != nil {
			return nil, err
		}
		return revisionToProto(b.ID, revs[len(revs)-1], previous)
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, "")
	return out, nil
}

// ListBudgetRevisions lists a budget's revisions with what changed in each.
func (s *Server) ListBudgetRevisions(ctx context.Context, req *pb.ListBudgetRevisionsRequest) (*pb.ListBudgetRevisionsResponse, error) {
	b, err := store.GetBudget(ctx, s.pool, req.GetBudgetId(), scope(ctx))
	if err != nil {
		return nil, err
	}
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), b.ID)
	if err != nil {
		return nil, err
	}
	revs, err := store.ListRevisions(ctx, s.pool, b.ID)
	if err != nil {
		return nil, err
	}
	// Each revision is shown with its changes from the one before, so the page is cut after they are worked out.
	var all []*pb.BudgetRevision
	var previous []domain.Line
	for _, r := range revs {
		pr, err := revisionToProto(b.ID, r, previous)
		if err != nil {
			return nil, err
		}
		all = append(all, pr)
		previous = r.Lines
	}
	resp := &pb.ListBudgetRevisionsResponse{}
	resp.Revisions, resp.NextPageToken = page.Slice(cursor, all, revisionKey)
	return resp, nil
}

// revisionKey is a revision's place in the list: its number, zero-padded so that keys sort as numbers do.
func revisionKey(r *pb.BudgetRevision) string { return fmt.Sprintf("%010d", r.GetNumber()) }

func revisionToProto(budgetID string, r store.Revision, previous []domain.Line) (*pb.BudgetRevision, error) {
	out := &pb.BudgetRevision{BudgetId: budgetID, Number: int32(r.Number), State: enumword.Of[pb.BudgetState](string(r.State)), Total: moneyToProto(r.Total),
		CreateTime: timestamppb.New(r.CreateTime), Creator: r.Creator, SubmitTime: timestamp(r.SubmitTime), Submitter: r.Submitter,
		ApproveTime: timestamp(r.ApproveTime), Approver: r.Approver}
	for _, l := range r.Lines {
		out.Lines = append(out.Lines, lineToProto(l, nil))
	}
	if r.Number == 1 {
		return out, nil
	}
	changes, err := domain.DiffLines(previous, r.Lines)
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		pc := &pb.LineChange{Kind: string(c.Kind), LineId: c.LineID, Delta: moneyToProto(c.Delta)}
		if c.Kind != domain.LineAdded {
			pc.Old = lineToProto(c.Old, nil)
		}
		if c.Kind != domain.LineRemoved {
			pc.New = lineToProto(c.New, nil)
		}
		out.Changes = append(out.Changes, pc)
	}
	return out, nil
}

// withinGrants refuses the approval of b's newest revision when it would commit more of a year than is left
// of Sida's grant for it (domain.CheckEnvelope), under the grants' row locks.
func withinGrants(ctx context.Context, tx pgx.Tx, b store.Budget) error {
	approved, err := store.ApprovedLines(ctx, tx, b)
	if err != nil {
		return err
	}
	before, after := map[int]int64{}, map[int]int64{}
	for _, l := range approved {
		before[l.Year] += l.Amount.Minor
	}
	var years []int
	for _, l := range b.Lines {
		if _, seen := after[l.Year]; !seen {
			years = append(years, l.Year)
		}
		after[l.Year] += l.Amount.Minor
	}
	grants, others, err := store.Envelope(ctx, tx, b.ID, years)
	if err != nil {
		return err
	}
	return domain.CheckEnvelope(grants, others, before, after)
}
