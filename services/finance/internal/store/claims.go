package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// Claim is a stored claim with its lines.
type Claim struct {
	ID                 string
	BudgetID           string
	PartnershipID      string
	SwedishOrgID       string
	InternationalOrgID string
	PeriodStart        domain.Date
	PeriodEnd          domain.Date
	State              domain.Status
	Lines              []domain.ClaimLine
	// Decisions holds the decision on each line once the claim is decided, by line id.
	Decisions      map[string]domain.LineDecision
	Total          money.Amount
	ApprovedTotal  money.Amount
	Submitter      string
	SubmitTime     *time.Time
	Approver       string
	PaymentBatchID string
	// ReportID is the partnership's report the costs belong to; Final marks the application's last claim.
	ReportID string
	Final    bool
	Meta
}

// ClaimFilter narrows a list of claims; zero fields do not filter.
type ClaimFilter struct {
	VisibleTo string
	BudgetID  string
	State     domain.Status
}

const claimColumns = `id, budget_id, partnership_id, swedish_organization_id, international_organization_id,
	period_start, period_end, state, total_minor, approved_minor, submitter, submit_time, approver,
	COALESCE(payment_batch_id::text, ''), version, create_time, update_time, creator, updater, COALESCE(report_id::text, ''), final`

func scanClaim(r pgx.Row) (Claim, error) {
	var c Claim
	var start, end time.Time
	var total, approved int64
	err := r.Scan(&c.ID, &c.BudgetID, &c.PartnershipID, &c.SwedishOrgID, &c.InternationalOrgID, &start, &end, &c.State,
		&total, &approved, &c.Submitter, &c.SubmitTime, &c.Approver, &c.PaymentBatchID, &c.Version, &c.CreateTime, &c.UpdateTime, &c.Creator, &c.Updater, &c.ReportID, &c.Final)
	c.PeriodStart, c.PeriodEnd = nullableDate(&start), nullableDate(&end)
	c.Total, c.ApprovedTotal = sek(total), sek(approved)
	return c, err
}

// CreateClaim stores a new claim in draft on budget b.
func CreateClaim(ctx context.Context, tx pgx.Tx, b Budget, c Claim, a Actor) (Claim, error) {
	var err error
	var costs []money.Amount
	for _, l := range c.Lines {
		costs = append(costs, l.Cost.SEK)
	}
	if c.Total, err = money.Sum(money.SEK, costs...); err != nil {
		return Claim{}, money.Invalid(err, "claim.lines")
	}
	at := record.Now()
	c.ID, c.BudgetID, c.PartnershipID = record.NewID(), b.ID, b.Application.PartnershipID
	c.SwedishOrgID, c.InternationalOrgID = b.Application.SwedishOrgID, b.Application.InternationalOrgID
	c.State, c.ApprovedTotal = domain.StatusDraft, money.Zero(money.SEK)
	c.Meta = Meta{Version: 1, CreateTime: at, UpdateTime: at, Creator: a.Subject, Updater: a.Subject}
	if _, err := tx.Exec(ctx, `INSERT INTO claims (id, budget_id, partnership_id, swedish_organization_id,
		international_organization_id, period_start, period_end, state, total_minor, create_time, update_time, creator, updater,
		report_id, final) VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, $9, $10, '', NULLIF($11, '')::uuid, $12)`, c.ID, c.BudgetID,
		c.PartnershipID, c.SwedishOrgID, c.InternationalOrgID, c.PeriodStart.Time(), c.PeriodEnd.Time(), c.Total.Minor, at, a.Subject,
		c.ReportID, c.Final); err != nil {
		return Claim{}, fmt.Errorf("insert claim: %w", err)
	}
	for i, l := range c.Lines {
		if _, err := tx.Exec(ctx, `INSERT INTO claim_lines (claim_id, line_id, position, cost_date, category, budget_line_id,
			description, original_minor, original_currency, rate_micros, rate_date, rate_source, sek_minor,
			receipt_file_name, receipt_size, receipt_sha256, receipt_document_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
			$13, $14, $15, $16, NULLIF($17, '')::uuid)`,
			c.ID, l.ID, i, l.Date.Time(), l.Category, l.BudgetLineID, l.Description, l.Cost.Original.Minor, l.Cost.Original.Currency,
			l.Cost.Rate.Micros(), l.Cost.RateDate.Time(), l.Cost.Source, l.Cost.SEK.Minor, l.Receipt.FileName, l.Receipt.Size,
			l.Receipt.SHA256, l.Receipt.DocumentID); err != nil {
			return Claim{}, fmt.Errorf("insert claim line %q: %w", l.ID, err)
		}
	}
	c.Updater = ""
	if err := record.Audit(ctx, tx, a, at, "create", "claim", c.ID, ""); err != nil {
		return Claim{}, err
	}
	return c, claimChanged(ctx, tx, c, domain.Date{}, a)
}

// CheckReceiptsUnused refuses a receipt already on a line of a claim that was not rejected: one receipt proves
// one cost, so it is reimbursed once. Claims on one budget are created under the budget's row lock, so two
// of them cannot both pass with the same receipt. The refusal names the other claim only when scope may see
// it: another organisation's caller learns that the receipt was used, never which claim it is on.
func CheckReceiptsUnused(ctx context.Context, q Querier, lines []domain.ClaimLine, scope string) error {
	hashes := make([]string, len(lines))
	for i, l := range lines {
		hashes[i] = l.Receipt.SHA256
	}
	rows, err := q.Query(ctx, `SELECT cl.receipt_sha256, CASE WHEN `+visibleAs("c", "$2")+` THEN c.id::text ELSE '' END
		FROM claim_lines cl JOIN claims c ON c.id = cl.claim_id
		WHERE cl.receipt_sha256 = ANY($1) AND c.state <> 'rejected'`, hashes, scope)
	if err != nil {
		return fmt.Errorf("look up receipts: %w", err)
	}
	used := map[string]string{}
	for rows.Next() {
		var hash, claim string
		if err := rows.Scan(&hash, &claim); err != nil {
			rows.Close()
			return fmt.Errorf("look up receipts: %w", err)
		}
		used[hash] = claim
	}
	rows.Close()
	v := &fault.Invalid{Reason: "DUPLICATE_RECEIPT"}
	for i, l := range lines {
		claim, ok := used[l.Receipt.SHA256]
		switch {
		case ok && claim != "":
			v.Add(fmt.Sprintf("lines[%d].receipt.sha256", i), fmt.Sprintf("this receipt is already on the claim %s; a receipt is reimbursed once", claim))
		case ok:
			v.Add(fmt.Sprintf("lines[%d].receipt.sha256", i), "this receipt is already on another claim; a receipt is reimbursed once")
		}
	}
	return v.Err()
}

// ShareBudgetStatus reads the status of a claim's budget under a share lock, so that the budget cannot close
// while a decision on the claim commits.
func ShareBudgetStatus(ctx context.Context, tx pgx.Tx, budgetID string) (domain.Status, error) {
	var state domain.Status
	if err := tx.QueryRow(ctx, `SELECT state FROM budgets WHERE id = $1 FOR SHARE`, budgetID).Scan(&state); err != nil {
		return "", record.NotFound(err, "budget", budgetID)
	}
	return state, nil
}

// GetClaim reads a claim the scope may see, with its lines.
func GetClaim(ctx context.Context, q Querier, id, scope string) (Claim, error) {
	c, err := scanClaim(q.QueryRow(ctx, `SELECT `+claimColumns+` FROM claims WHERE `+visible+` AND id = $2`, scope, id))
	if err != nil {
		return Claim{}, record.NotFound(err, "claim", id)
	}
	return c, claimLines(ctx, q, &c)
}

// LockClaim reads a claim FOR UPDATE, refusing a stale etag.
func LockClaim(ctx context.Context, tx pgx.Tx, id, scope, etag string) (Claim, error) {
	c, err := scanClaim(tx.QueryRow(ctx, `SELECT `+claimColumns+` FROM claims WHERE `+visible+` AND id = $2 FOR UPDATE`, scope, id))
	if err != nil {
		return Claim{}, record.NotFound(err, "claim", id)
	}
	if err := record.CheckETag("claim", c.Version, etag); err != nil {
		return Claim{}, err
	}
	return c, claimLines(ctx, tx, &c)
}

func claimLines(ctx context.Context, q Querier, c *Claim) error {
	rows, err := q.Query(ctx, `SELECT line_id, cost_date, category, budget_line_id, description, original_minor,
		original_currency, rate_micros, rate_date, rate_source, sek_minor, receipt_file_name, receipt_size, receipt_sha256,
		approved_minor, decision_reason, COALESCE(receipt_document_id::text, '') FROM claim_lines WHERE claim_id = $1 ORDER BY position`, c.ID)
	if err != nil {
		return fmt.Errorf("read claim lines: %w", err)
	}
	defer rows.Close()
	c.Decisions = map[string]domain.LineDecision{}
	for rows.Next() {
		var l domain.ClaimLine
		var costDate, rateDate time.Time
		var rateMicros, sekMinor int64
		var approved *int64
		var reason string
		if err := rows.Scan(&l.ID, &costDate, &l.Category, &l.BudgetLineID, &l.Description, &l.Cost.Original.Minor,
			&l.Cost.Original.Currency, &rateMicros, &rateDate, &l.Cost.Source, &sekMinor, &l.Receipt.FileName, &l.Receipt.Size,
			&l.Receipt.SHA256, &approved, &reason, &l.Receipt.DocumentID); err != nil {
			return fmt.Errorf("read claim line: %w", err)
		}
		l.Date, l.Cost.RateDate, l.Cost.SEK = nullableDate(&costDate), nullableDate(&rateDate), sek(sekMinor)
		if l.Cost.Rate, err = money.RateFromMicros(rateMicros); err != nil {
			return fmt.Errorf("claim %s line %s: stored rate: %w", c.ID, l.ID, err)
		}
		if approved != nil {
			c.Decisions[l.ID] = domain.LineDecision{LineID: l.ID, Approved: sek(*approved), Reason: reason}
		}
		c.Lines = append(c.Lines, l)
	}
	return rows.Err()
}

// ListClaims returns up to limit claims after the id after, oldest first, without their lines.
func ListClaims(ctx context.Context, q Querier, f ClaimFilter, after string, limit int) ([]Claim, error) {
	rows, err := q.Query(ctx, `SELECT `+claimColumns+` FROM claims WHERE `+visible+`
		  AND ($2 = '' OR id > NULLIF($2, '')::uuid) AND ($3 = '' OR budget_id = NULLIF($3, '')::uuid)
		  AND ($4 = '' OR state = $4)
		ORDER BY id LIMIT $5`, f.VisibleTo, after, f.BudgetID, string(f.State), limit)
	if err != nil {
		return nil, fmt.Errorf("list claims: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Claim, error) { return scanClaim(r) })
}

// saveClaim queues the update of c, changed by a at at, in batch, and advances c's version.
func saveClaim(batch *pgx.Batch, c *Claim, a Actor, at time.Time) {
	c.Version++
	c.UpdateTime, c.Updater = at, a.Subject
	var paymentBatch any
	if c.PaymentBatchID != "" {
		paymentBatch = c.PaymentBatchID
	}
	batch.Queue(`UPDATE claims SET state = $2, approved_minor = $3, submitter = $4, approver = $5,
		payment_batch_id = $6, version = $7, update_time = $8, updater = $9, submit_time = $10 WHERE id = $1`,
		c.ID, c.State, c.ApprovedTotal.Minor, c.Submitter, c.Approver, paymentBatch, c.Version, at, a.Subject, c.SubmitTime)
}

// SubmitClaim records the claim as submitted by a: the claim, its audit row and its event in one round trip.
func SubmitClaim(ctx context.Context, tx pgx.Tx, c Claim, a Actor) (Claim, error) {
	at := record.Now()
	c.State, c.Submitter, c.SubmitTime = domain.StatusSubmitted, a.Subject, &at
	batch := &pgx.Batch{}
	saveClaim(batch, &c, a, at)
	record.QueueAudit(batch, a, at, "submit", "claim", c.ID, "")
	if err := outbox.Queue(batch, a, claimEvent(c, domain.Date{})); err != nil {
		return Claim{}, err
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return Claim{}, fmt.Errorf("submit claim %s: %w", c.ID, err)
	}
	return c, nil
}

// DecideClaim records the decision on every line, the claim's resulting state and approved total, adds what
// was approved to the budget lines' spend (the caller locked those rows and checked the amounts fit), and
// appends ledger transaction ledger, if any. It takes two round trips: the claim's own writes, then the
// ledger's and the event's, after the ledger head is locked; the head stays locked until commit, so no other
// round trip waits while it is held.
func DecideClaim(ctx context.Context, tx pgx.Tx, c Claim, decisions []domain.LineDecision, state domain.Status,
	approved money.Amount, spentByLine map[string]money.Amount, ledger *domain.Transaction, a Actor) (Claim, error) {
	at := record.Now()
	batch := &pgx.Batch{}
	for _, d := range decisions {
		batch.Queue(`UPDATE claim_lines SET approved_minor = $3, decision_reason = $4 WHERE claim_id = $1 AND line_id = $2`,
			c.ID, d.LineID, d.Approved.Minor, d.Reason)
		c.Decisions[d.LineID] = d
	}
	for lineID, amount := range spentByLine {
		if !amount.IsZero() {
			batch.Queue(`UPDATE budget_line_spend SET spent_minor = spent_minor + $3 WHERE budget_id = $1 AND line_id = $2`,
				c.BudgetID, lineID, amount.Minor)
		}
	}
	c.State, c.ApprovedTotal, c.Approver = state, approved, a.Subject
	saveClaim(batch, &c, a, at)
	record.QueueAudit(batch, a, at, string(state), "claim", c.ID, approved.String())
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return Claim{}, fmt.Errorf("decide claim %s: %w", c.ID, err)
	}
	locked := &pgx.Batch{}
	if ledger != nil {
		if _, err := QueueLedger(ctx, tx, locked, *ledger); err != nil {
			return Claim{}, err
		}
	}
	if err := outbox.Queue(locked, a, claimEvent(c, domain.Date{})); err != nil {
		return Claim{}, err
	}
	if err := tx.SendBatch(ctx, locked).Close(); err != nil {
		return Claim{}, fmt.Errorf("decide claim %s: ledger and event: %w", c.ID, err)
	}
	return c, nil
}

// SetClaimReport records the report a draft claim belongs to, and whether it is the final claim.
func SetClaimReport(ctx context.Context, tx pgx.Tx, c Claim, reportID string, final bool, a Actor) (Claim, error) {
	at := record.Now()
	if _, err := tx.Exec(ctx, `UPDATE claims SET report_id = NULLIF($2, '')::uuid, final = $3, version = version + 1, update_time = $4,
		updater = $5 WHERE id = $1`, c.ID, reportID, final, at, a.Subject); err != nil {
		return c, fmt.Errorf("name the report of claim %s: %w", c.ID, err)
	}
	c.ReportID, c.Final, c.Version, c.UpdateTime, c.Updater = reportID, final, c.Version+1, at, a.Subject
	if err := record.Audit(ctx, tx, a, at, "update", "claim", c.ID, "report "+reportID); err != nil {
		return c, err
	}
	return c, claimChanged(ctx, tx, c, domain.Date{}, a)
}

// ClaimReport reads what the approval of a claim the scope may see checks first: its partnership and the
// report it names ("" when none).
func ClaimReport(ctx context.Context, q Querier, id, scope string) (partnershipID, reportID string, err error) {
	err = q.QueryRow(ctx, `SELECT partnership_id::text, COALESCE(report_id::text, '') FROM claims WHERE `+visible+` AND id = $2`, scope, id).
		Scan(&partnershipID, &reportID)
	return partnershipID, reportID, record.NotFound(err, "claim", id)
}
