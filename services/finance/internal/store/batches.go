package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// Batch states.
const (
	BatchOpen = "open"
	BatchPaid = "paid"
)

// Payment is one claim's money in a batch.
type Payment struct {
	ClaimID string
	OrgID   string
	Amount  money.Amount
}

// Batch is a stored payment batch.
type Batch struct {
	ID       string
	State    string
	Payments []Payment
	Total    money.Amount
	PayDate  domain.Date
	Payer    string
	Meta
}

const batchColumns = `id, state, total_minor, pay_date, payer, version, create_time, update_time, creator`

func scanBatch(r pgx.Row) (Batch, error) {
	var b Batch
	var total int64
	var pay *time.Time
	err := r.Scan(&b.ID, &b.State, &total, &pay, &b.Payer, &b.Version, &b.CreateTime, &b.UpdateTime, &b.Creator)
	b.Total, b.PayDate = sek(total), nullableDate(pay)
	return b, err
}

// CreateBatch gathers claims into a new open batch. It locks the claims in id order and refuses, naming each,
// a claim that is not approved (in full or in part) or is already in a batch. Nothing is written on refusal.
func CreateBatch(ctx context.Context, tx pgx.Tx, claimIDs []string, a Actor) (Batch, error) {
	rows, err := tx.Query(ctx, `SELECT id, state, approved_minor, swedish_organization_id, COALESCE(payment_batch_id::text, '')
		FROM claims WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, claimIDs)
	if err != nil {
		return Batch{}, fmt.Errorf("lock claims: %w", err)
	}
	type row struct {
		id, state, org, batch string
		approved              int64
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.id, &x.state, &x.approved, &x.org, &x.batch)
		return x, err
	})
	if err != nil {
		return Batch{}, fmt.Errorf("lock claims: %w", err)
	}
	byID := map[string]row{}
	for _, r := range found {
		byID[r.id] = r
	}
	var vs []fault.PreconditionViolation
	b := Batch{ID: record.NewID(), State: BatchOpen}
	var amounts []money.Amount
	for i, id := range claimIDs {
		r, ok := byID[id]
		subject := fmt.Sprintf("claim_ids[%d]", i)
		switch {
		case !ok:
			return Batch{}, &fault.NotFound{Kind: "claim", ID: id}
		case r.state == string(domain.StatusPaid):
			vs = append(vs, fault.PreconditionViolation{Type: "CLAIM_ALREADY_PAID", Subject: subject,
				Description: fmt.Sprintf("the claim %s is already paid; a claim is paid once", id)})
		case r.batch != "":
			vs = append(vs, fault.PreconditionViolation{Type: "CLAIM_IN_BATCH", Subject: subject,
				Description: fmt.Sprintf("the claim %s is already in the payment batch %s", id, r.batch)})
		case !slices.Contains(domain.PayableStatuses(), domain.Status(r.state)):
			vs = append(vs, fault.PreconditionViolation{Type: "CLAIM_NOT_APPROVED", Subject: subject,
				Description: fmt.Sprintf("the claim %s is %s; only approved claims are paid", id, r.state)})
		default:
			b.Payments = append(b.Payments, Payment{ClaimID: id, OrgID: r.org, Amount: sek(r.approved)})
			amounts = append(amounts, sek(r.approved))
		}
	}
	if len(vs) > 0 {
		return Batch{}, &fault.FailedPrecondition{Reason: vs[0].Type, Message: vs[0].Description, Violations: vs}
	}
	if b.Total, err = money.Sum(money.SEK, amounts...); err != nil {
		return Batch{}, money.Invalid(err, "batch.claim_ids")
	}
	at := record.Now()
	b.Meta = Meta{Version: 1, CreateTime: at, UpdateTime: at, Creator: a.Subject}
	if _, err := tx.Exec(ctx, `INSERT INTO payment_batches (id, state, total_minor, create_time, update_time, creator)
		VALUES ($1, 'open', $2, $3, $3, $4)`, b.ID, b.Total.Minor, at, a.Subject); err != nil {
		return Batch{}, fmt.Errorf("insert payment batch: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE claims SET payment_batch_id = $1, version = version + 1, update_time = $2, updater = $3
		WHERE id = ANY($4::uuid[])`, b.ID, at, a.Subject, claimIDs); err != nil {
		return Batch{}, fmt.Errorf("put claims in batch: %w", err)
	}
	return b, record.Audit(ctx, tx, a, at, "create", "payment_batch", b.ID, b.Total.String())
}

// GetBatch reads a batch with its payments.
func GetBatch(ctx context.Context, q Querier, id string) (Batch, error) {
	b, err := scanBatch(q.QueryRow(ctx, `SELECT `+batchColumns+` FROM payment_batches WHERE id = $1`, id))
	if err != nil {
		return Batch{}, record.NotFound(err, "payment batch", id)
	}
	return b, batchPayments(ctx, q, &b)
}

// LockBatch reads a batch FOR UPDATE, refusing a stale etag.
func LockBatch(ctx context.Context, tx pgx.Tx, id, etag string) (Batch, error) {
	b, err := scanBatch(tx.QueryRow(ctx, `SELECT `+batchColumns+` FROM payment_batches WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return Batch{}, record.NotFound(err, "payment batch", id)
	}
	if err := record.CheckETag("payment batch", b.Version, etag); err != nil {
		return Batch{}, err
	}
	return b, batchPayments(ctx, tx, &b)
}

func batchPayments(ctx context.Context, q Querier, b *Batch) error {
	rows, err := q.Query(ctx, `SELECT id, swedish_organization_id, approved_minor FROM claims WHERE payment_batch_id = $1 ORDER BY id`, b.ID)
	if err != nil {
		return fmt.Errorf("read batch payments: %w", err)
	}
	b.Payments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Payment, error) {
		var p Payment
		var minor int64
		err := r.Scan(&p.ClaimID, &p.OrgID, &minor)
		p.Amount = sek(minor)
		return p, err
	})
	return err
}

// ListBatches returns up to limit batches after the id after, oldest first.
func ListBatches(ctx context.Context, q Querier, after string, limit int) ([]Batch, error) {
	rows, err := q.Query(ctx, `SELECT `+batchColumns+` FROM payment_batches WHERE ($1 = '' OR id > NULLIF($1, '')::uuid)
		ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list payment batches: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Batch, error) { return scanBatch(r) })
	if err != nil {
		return nil, err
	}
	for i := range list {
		if err := batchPayments(ctx, q, &list[i]); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// PayBatch records an open batch as paid on day: every claim in it becomes paid, and ledger (the payment's
// transaction) is appended. The claims are locked first; a claim that is no longer approved refuses the
// whole payment.
func PayBatch(ctx context.Context, tx pgx.Tx, b Batch, day domain.Date, ledger domain.Transaction, a Actor) (Batch, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT id FROM claims WHERE payment_batch_id = $1 ORDER BY id FOR UPDATE) c`, b.ID).Scan(&n); err != nil {
		return Batch{}, fmt.Errorf("lock batch claims: %w", err)
	}
	at := record.Now()
	payable := make([]string, 0, 2)
	for _, s := range domain.PayableStatuses() {
		payable = append(payable, string(s))
	}
	tag, err := tx.Exec(ctx, `UPDATE claims SET state = $4, version = version + 1, update_time = $2, updater = $3
		WHERE payment_batch_id = $1 AND state = ANY($5)`, b.ID, at, a.Subject, string(domain.StatusPaid), payable)
	if err != nil {
		return Batch{}, fmt.Errorf("mark claims paid: %w", err)
	}
	if int(tag.RowsAffected()) != n {
		return Batch{}, &fault.FailedPrecondition{Reason: "CLAIM_NOT_APPROVED", Message: "a claim in the batch is no longer approved; nothing was paid"}
	}
	b.State, b.PayDate, b.Payer = BatchPaid, day, a.Subject
	b.Version++
	b.UpdateTime = at
	if _, err := tx.Exec(ctx, `UPDATE payment_batches SET state = 'paid', pay_date = $2, payer = $3, version = $4, update_time = $5 WHERE id = $1`,
		b.ID, day.Time(), a.Subject, b.Version, at); err != nil {
		return Batch{}, fmt.Errorf("mark batch paid: %w", err)
	}
	if _, err := AppendLedger(ctx, tx, ledger); err != nil {
		return Batch{}, err
	}
	if err := record.Audit(ctx, tx, a, at, "pay", "payment_batch", b.ID, b.Total.String()); err != nil {
		return Batch{}, err
	}
	for _, p := range b.Payments {
		c, err := GetClaim(ctx, tx, p.ClaimID, "")
		if err != nil {
			return Batch{}, err
		}
		if err := claimChanged(ctx, tx, c, day, a); err != nil {
			return Batch{}, err
		}
	}
	return b, nil
}
