package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// Budget is a stored budget with the lines of its newest revision.
type Budget struct {
	ID          string
	Application domain.Application
	// State is the newest revision's state, or closed.
	State            domain.Status
	Revision         int
	ApprovedRevision int
	Total            money.Amount
	ApprovedTotal    money.Amount
	Lines            []domain.Line
	// Spend is what approved claims have taken of each line of the approved revision, by line id.
	Spend map[string]domain.LineSpend
	Meta
}

// BudgetFilter narrows a list of budgets; zero fields do not filter.
type BudgetFilter struct {
	// VisibleTo keeps only the budgets of partnerships this organisation is a party to.
	VisibleTo     string
	PartnershipID string
}

// budgetColumns are a budget's columns. Its cost zone is stored in the column "cluster", the name it had
// before the API called it a cost zone: renaming a column breaks the version still serving while a new one
// migrates (deploy/README, "Migrations"), so the rename waits for a release that no longer reads it.
const budgetColumns = `id, partnership_id, application_id, swedish_organization_id, international_organization_id,
	application_kind, cluster, parties, start_date, end_date, state, revision, approved_revision, total_minor,
	approved_minor, version, create_time, update_time, creator, updater`

func scanBudget(r pgx.Row) (Budget, error) {
	var b Budget
	var start, end time.Time
	var total, approved int64
	a := &b.Application
	err := r.Scan(&b.ID, &a.PartnershipID, &a.ID, &a.SwedishOrgID, &a.InternationalOrgID, &a.Kind, &a.CostZone, &a.Parties,
		&start, &end, &b.State, &b.Revision, &b.ApprovedRevision, &total, &approved, &b.Version, &b.CreateTime,
		&b.UpdateTime, &b.Creator, &b.Updater)
	a.Start, a.End = nullableDate(&start), nullableDate(&end)
	b.Total, b.ApprovedTotal = sek(total), sek(approved)
	return b, err
}

// visible is the SQL condition of a member's or partner's scope over a table with the two party columns.
var visible = visibleAs("", "$1")

// visibleAs is the visibility condition on the rows of table (an alias, or "" for the only table) for the
// scope in the query parameter param.
func visibleAs(table, param string) string {
	if table != "" {
		table += "."
	}
	return fmt.Sprintf("(%[2]s = '' OR %[1]sswedish_organization_id = NULLIF(%[2]s, '')::uuid OR %[1]sinternational_organization_id = NULLIF(%[2]s, '')::uuid)", table, param)
}

// CreateBudget stores a new budget for app in draft, with lines as revision 1.
func CreateBudget(ctx context.Context, tx pgx.Tx, app domain.Application, lines []domain.Line, a Actor) (Budget, error) {
	total, err := domain.Total(lines)
	if err != nil {
		return Budget{}, money.Invalid(err, "budget.lines")
	}
	var existing string
	err = tx.QueryRow(ctx, `SELECT id FROM budgets WHERE application_id = $1`, app.ID).Scan(&existing)
	if err == nil {
		return Budget{}, budgetExists(app.ID, existing)
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return Budget{}, fmt.Errorf("find budget of application: %w", err)
	}
	at := record.Now()
	b := Budget{ID: record.NewID(), Application: app, State: domain.StatusDraft, Revision: 1, Total: total,
		ApprovedTotal: money.Zero(money.SEK), Lines: lines, Spend: map[string]domain.LineSpend{},
		Meta: Meta{Version: 1, CreateTime: at, UpdateTime: at, Creator: a.Subject, Updater: a.Subject}}
	_, err = tx.Exec(ctx, `INSERT INTO budgets (id, partnership_id, application_id, swedish_organization_id,
		international_organization_id, application_kind, cluster, parties, start_date, end_date, state, revision,
		total_minor, currency_code, create_time, update_time, creator, updater)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', 1, $11, 'SEK', $12, $12, $13, $13)`,
		b.ID, app.PartnershipID, app.ID, app.SwedishOrgID, app.InternationalOrgID, app.Kind, app.CostZone, app.Parties,
		app.Start.Time(), app.End.Time(), total.Minor, at, a.Subject)
	if c, ok := postgres.UniqueViolation(err); ok && c == "budgets_application" { // created concurrently
		return Budget{}, budgetExists(app.ID, "")
	}
	if err != nil {
		return Budget{}, fmt.Errorf("insert budget: %w", err)
	}
	if err := insertRevision(ctx, tx, b.ID, 1, lines, total, at, a); err != nil {
		return Budget{}, err
	}
	if err := record.Audit(ctx, tx, a, at, "create", "budget", b.ID, ""); err != nil {
		return Budget{}, err
	}
	return b, budgetChanged(ctx, tx, b, a)
}

func budgetExists(applicationID, budgetID string) error {
	msg := fmt.Sprintf("the application %s already has a budget", applicationID)
	if budgetID != "" {
		msg += " (" + budgetID + ")"
	}
	return &fault.Conflict{Reason: "BUDGET_EXISTS", Message: msg + "; change it with a revision instead"}
}

func insertRevision(ctx context.Context, tx pgx.Tx, budgetID string, number int, lines []domain.Line, total money.Amount, at time.Time, a Actor) error {
	if _, err := tx.Exec(ctx, `INSERT INTO budget_revisions (budget_id, number, state, total_minor, create_time, creator)
		VALUES ($1, $2, 'draft', $3, $4, $5)`, budgetID, number, total.Minor, at, a.Subject); err != nil {
		return fmt.Errorf("insert budget revision: %w", err)
	}
	return insertLines(ctx, tx, budgetID, number, lines)
}

func insertLines(ctx context.Context, tx pgx.Tx, budgetID string, revision int, lines []domain.Line) error {
	for i, l := range lines {
		if _, err := tx.Exec(ctx, `INSERT INTO budget_lines (budget_id, revision, line_id, position, category, year,
			description, amount_minor, hours, hourly_rate_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			budgetID, revision, l.ID, i, l.Category, l.Year, l.Description, l.Amount.Minor, l.Hours, l.HourlyRate.Minor); err != nil {
			return fmt.Errorf("insert budget line %q: %w", l.ID, err)
		}
	}
	return nil
}

// GetBudget reads a budget the scope may see, with its newest lines and the spend on its approved revision.
func GetBudget(ctx context.Context, q Querier, id, scope string) (Budget, error) {
	b, err := scanBudget(q.QueryRow(ctx, `SELECT `+budgetColumns+` FROM budgets WHERE `+visible+` AND id = $2`, scope, id))
	if err != nil {
		return Budget{}, record.NotFound(err, "budget", id)
	}
	return b, completeBudget(ctx, q, &b)
}

// LockBudget reads a budget FOR UPDATE, refusing a stale etag.
func LockBudget(ctx context.Context, tx pgx.Tx, id, scope, etag string) (Budget, error) {
	b, err := scanBudget(tx.QueryRow(ctx, `SELECT `+budgetColumns+` FROM budgets WHERE `+visible+` AND id = $2 FOR UPDATE`, scope, id))
	if err != nil {
		return Budget{}, record.NotFound(err, "budget", id)
	}
	if err := record.CheckETag("budget", b.Version, etag); err != nil {
		return Budget{}, err
	}
	return b, completeBudget(ctx, tx, &b)
}

func completeBudget(ctx context.Context, q Querier, b *Budget) error {
	var err error
	if b.Lines, err = revisionLines(ctx, q, b.ID, b.Revision); err != nil {
		return err
	}
	b.Spend, err = lineSpend(ctx, q, b.ID, false)
	return err
}

func revisionLines(ctx context.Context, q Querier, budgetID string, revision int) ([]domain.Line, error) {
	rows, err := q.Query(ctx, `SELECT line_id, category, year, description, amount_minor, hours, hourly_rate_minor
		FROM budget_lines WHERE budget_id = $1 AND revision = $2 ORDER BY position`, budgetID, revision)
	if err != nil {
		return nil, fmt.Errorf("read budget lines: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Line, error) {
		var l domain.Line
		var amount, rate int64
		err := r.Scan(&l.ID, &l.Category, &l.Year, &l.Description, &amount, &l.Hours, &rate)
		l.Amount = sek(amount)
		if l.Category == domain.CategoryWorkInput {
			l.HourlyRate = sek(rate)
		}
		return l, err
	})
}

// lineSpend reads the spend rows of a budget; with lock, FOR UPDATE in line id order.
func lineSpend(ctx context.Context, q Querier, budgetID string, lock bool) (map[string]domain.LineSpend, error) {
	sql := `SELECT line_id, approved_minor, spent_minor FROM budget_line_spend WHERE budget_id = $1 ORDER BY line_id`
	if lock {
		sql += ` FOR UPDATE`
	}
	rows, err := q.Query(ctx, sql, budgetID)
	if err != nil {
		return nil, fmt.Errorf("read budget line spend: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.LineSpend, error) {
		var s domain.LineSpend
		var approved, spent int64
		err := r.Scan(&s.LineID, &approved, &spent)
		s.Approved, s.Spent = sek(approved), sek(spent)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("read budget line spend: %w", err)
	}
	out := make(map[string]domain.LineSpend, len(list))
	for _, s := range list {
		out[s.LineID] = s
	}
	return out, nil
}

// LockLineSpend locks the spend rows of a budget (all of them, in line id order, so that two approvals on one
// budget queue in the same order) and returns them by line id.
func LockLineSpend(ctx context.Context, tx pgx.Tx, budgetID string) (map[string]domain.LineSpend, error) {
	return lineSpend(ctx, tx, budgetID, true)
}

// ApprovedLines returns the lines of the budget's approved revision, or none before the first approval.
func ApprovedLines(ctx context.Context, q Querier, b Budget) ([]domain.Line, error) {
	if b.ApprovedRevision == 0 {
		return nil, nil
	}
	return revisionLines(ctx, q, b.ID, b.ApprovedRevision)
}

// ListBudgets returns up to limit budgets after the id after, oldest first, without their lines.
func ListBudgets(ctx context.Context, q Querier, f BudgetFilter, after string, limit int) ([]Budget, error) {
	rows, err := q.Query(ctx, `SELECT `+budgetColumns+` FROM budgets WHERE `+visible+`
		  AND ($2 = '' OR id > NULLIF($2, '')::uuid) AND ($3 = '' OR partnership_id = NULLIF($3, '')::uuid)
		ORDER BY id LIMIT $4`, f.VisibleTo, after, f.PartnershipID, limit)
	if err != nil {
		return nil, fmt.Errorf("list budgets: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Budget, error) { return scanBudget(r) })
}

// saveBudget writes the budget row's changing columns and bumps its version.
func saveBudget(ctx context.Context, tx pgx.Tx, b *Budget, a Actor, at time.Time) error {
	b.Version++
	b.UpdateTime, b.Updater = at, a.Subject
	_, err := tx.Exec(ctx, `UPDATE budgets SET state = $2, revision = $3, approved_revision = $4, total_minor = $5,
		approved_minor = $6, version = $7, update_time = $8, updater = $9 WHERE id = $1`,
		b.ID, b.State, b.Revision, b.ApprovedRevision, b.Total.Minor, b.ApprovedTotal.Minor, b.Version, at, a.Subject)
	if err != nil {
		return fmt.Errorf("update budget: %w", err)
	}
	return nil
}

// ReplaceLines replaces the lines of the budget's newest revision, which the caller checked is a draft.
func ReplaceLines(ctx context.Context, tx pgx.Tx, b Budget, lines []domain.Line, a Actor) (Budget, error) {
	total, err := domain.Total(lines)
	if err != nil {
		return Budget{}, money.Invalid(err, "budget.lines")
	}
	if _, err := tx.Exec(ctx, `DELETE FROM budget_lines WHERE budget_id = $1 AND revision = $2`, b.ID, b.Revision); err != nil {
		return Budget{}, fmt.Errorf("replace budget lines: %w", err)
	}
	if err := insertLines(ctx, tx, b.ID, b.Revision, lines); err != nil {
		return Budget{}, err
	}
	at := record.Now()
	if _, err := tx.Exec(ctx, `UPDATE budget_revisions SET total_minor = $3 WHERE budget_id = $1 AND number = $2`, b.ID, b.Revision, total.Minor); err != nil {
		return Budget{}, fmt.Errorf("update budget revision: %w", err)
	}
	b.Lines, b.Total = lines, total
	if err := saveBudget(ctx, tx, &b, a, at); err != nil {
		return Budget{}, err
	}
	if err := record.Audit(ctx, tx, a, at, "update", "budget", b.ID, fmt.Sprintf("revision %d", b.Revision)); err != nil {
		return Budget{}, err
	}
	return b, budgetChanged(ctx, tx, b, a)
}

// SubmitBudget records the newest revision as submitted.
func SubmitBudget(ctx context.Context, tx pgx.Tx, b Budget, a Actor) (Budget, error) {
	at := record.Now()
	if _, err := tx.Exec(ctx, `UPDATE budget_revisions SET state = 'submitted', submit_time = $3, submitter = $4
		WHERE budget_id = $1 AND number = $2`, b.ID, b.Revision, at, a.Subject); err != nil {
		return Budget{}, fmt.Errorf("submit budget revision: %w", err)
	}
	b.State = domain.StatusSubmitted
	if err := saveBudget(ctx, tx, &b, a, at); err != nil {
		return Budget{}, err
	}
	if err := record.Audit(ctx, tx, a, at, "submit", "budget", b.ID, fmt.Sprintf("revision %d", b.Revision)); err != nil {
		return Budget{}, err
	}
	return b, budgetChanged(ctx, tx, b, a)
}

// ApproveBudget records the newest revision as approved with spend, the new approved amount and spend of every
// line (domain.ApproveRevision), and appends ledger transaction tx of the change in approved money, if any.
func ApproveBudget(ctx context.Context, tx pgx.Tx, b Budget, spend []domain.LineSpend, ledger *domain.Transaction, a Actor) (Budget, error) {
	at := record.Now()
	if _, err := tx.Exec(ctx, `UPDATE budget_revisions SET state = 'approved', approve_time = $3, approver = $4
		WHERE budget_id = $1 AND number = $2`, b.ID, b.Revision, at, a.Subject); err != nil {
		return Budget{}, fmt.Errorf("approve budget revision: %w", err)
	}
	b.Spend = make(map[string]domain.LineSpend, len(spend))
	for _, s := range spend {
		if _, err := tx.Exec(ctx, `INSERT INTO budget_line_spend (budget_id, line_id, approved_minor, spent_minor)
			VALUES ($1, $2, $3, $4) ON CONFLICT (budget_id, line_id) DO UPDATE SET approved_minor = EXCLUDED.approved_minor`,
			b.ID, s.LineID, s.Approved.Minor, s.Spent.Minor); err != nil {
			return Budget{}, fmt.Errorf("set approved amount of line %q: %w", s.LineID, err)
		}
		b.Spend[s.LineID] = s
	}
	b.State, b.ApprovedRevision, b.ApprovedTotal = domain.StatusApproved, b.Revision, b.Total
	if err := saveBudget(ctx, tx, &b, a, at); err != nil {
		return Budget{}, err
	}
	if ledger != nil {
		if _, err := AppendLedger(ctx, tx, *ledger); err != nil {
			return Budget{}, err
		}
	}
	if err := record.Audit(ctx, tx, a, at, "approve", "budget", b.ID, fmt.Sprintf("revision %d", b.Revision)); err != nil {
		return Budget{}, err
	}
	return b, budgetChanged(ctx, tx, b, a)
}

// ReturnBudget sends the submitted newest revision back to draft, recording why.
func ReturnBudget(ctx context.Context, tx pgx.Tx, b Budget, reason string, a Actor) (Budget, error) {
	at := record.Now()
	if _, err := tx.Exec(ctx, `UPDATE budget_revisions SET state = 'draft' WHERE budget_id = $1 AND number = $2`, b.ID, b.Revision); err != nil {
		return Budget{}, fmt.Errorf("return budget revision: %w", err)
	}
	b.State = domain.StatusDraft
	if err := saveBudget(ctx, tx, &b, a, at); err != nil {
		return Budget{}, err
	}
	if err := record.Audit(ctx, tx, a, at, "return", "budget", b.ID, fmt.Sprintf("revision %d: %s", b.Revision, reason)); err != nil {
		return Budget{}, err
	}
	return b, budgetChanged(ctx, tx, b, a)
}

// CloseBudget records the budget as closed.
func CloseBudget(ctx context.Context, tx pgx.Tx, b Budget, a Actor) (Budget, error) {
	at := record.Now()
	b.State = domain.StatusClosed
	if err := saveBudget(ctx, tx, &b, a, at); err != nil {
		return Budget{}, err
	}
	if err := record.Audit(ctx, tx, a, at, "close", "budget", b.ID, ""); err != nil {
		return Budget{}, err
	}
	return b, budgetChanged(ctx, tx, b, a)
}

// StartRevision adds the next revision in draft with lines; the approved one stays in force.
func StartRevision(ctx context.Context, tx pgx.Tx, b Budget, lines []domain.Line, a Actor) (Budget, error) {
	total, err := domain.Total(lines)
	if err != nil {
		return Budget{}, money.Invalid(err, "revision.lines")
	}
	at := record.Now()
	b.Revision++
	if err := insertRevision(ctx, tx, b.ID, b.Revision, lines, total, at, a); err != nil {
		return Budget{}, err
	}
	b.State, b.Lines, b.Total = domain.StatusDraft, lines, total
	if err := saveBudget(ctx, tx, &b, a, at); err != nil {
		return Budget{}, err
	}
	if err := record.Audit(ctx, tx, a, at, "revise", "budget", b.ID, fmt.Sprintf("revision %d", b.Revision)); err != nil {
		return Budget{}, err
	}
	return b, budgetChanged(ctx, tx, b, a)
}

// Revision is one stored revision of a budget.
type Revision struct {
	Number      int
	State       domain.Status
	Lines       []domain.Line
	Total       money.Amount
	CreateTime  time.Time
	Creator     string
	SubmitTime  *time.Time
	Submitter   string
	ApproveTime *time.Time
	Approver    string
}

// RevisionSubmitter returns who submitted a revision.
func RevisionSubmitter(ctx context.Context, q Querier, budgetID string, number int) (string, error) {
	var who string
	err := q.QueryRow(ctx, `SELECT submitter FROM budget_revisions WHERE budget_id = $1 AND number = $2`, budgetID, number).Scan(&who)
	if err != nil {
		return "", fmt.Errorf("read revision submitter: %w", err)
	}
	return who, nil
}

// ListRevisions returns every revision of a budget, oldest first, with its lines.
func ListRevisions(ctx context.Context, q Querier, budgetID string) ([]Revision, error) {
	rows, err := q.Query(ctx, `SELECT number, state, total_minor, create_time, creator, submit_time, submitter,
		approve_time, approver FROM budget_revisions WHERE budget_id = $1 ORDER BY number`, budgetID)
	if err != nil {
		return nil, fmt.Errorf("list budget revisions: %w", err)
	}
	revs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Revision, error) {
		var x Revision
		var total int64
		err := r.Scan(&x.Number, &x.State, &total, &x.CreateTime, &x.Creator, &x.SubmitTime, &x.Submitter, &x.ApproveTime, &x.Approver)
		x.Total = sek(total)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("list budget revisions: %w", err)
	}
	for i := range revs {
		if revs[i].Lines, err = revisionLines(ctx, q, budgetID, revs[i].Number); err != nil {
			return nil, err
		}
	}
	return revs, nil
}
