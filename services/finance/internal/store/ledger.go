package store

import (
	"context"
	"fmt"
	"math"
	"math/big"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// AppendLedger chains t after the newest transaction and stores it. It locks the ledger head row, so appends
// are serialised and every transaction has exactly one parent; callers append last in their transaction, after
// their other locks, which keeps the lock order the same everywhere.
func AppendLedger(ctx context.Context, tx pgx.Tx, t domain.Transaction) (domain.Transaction, error) {
	batch := &pgx.Batch{}
	chained, err := QueueLedger(ctx, tx, batch, t)
	if err != nil {
		return domain.Transaction{}, err
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return domain.Transaction{}, fmt.Errorf("append ledger transaction: %w", err)
	}
	return chained, nil
}

// QueueLedger locks the ledger head, chains t after it and queues its writes in batch, for the caller to send
// with the rest of its last writes (its event) in one round trip: the head stays locked until commit, so
// every round trip after the lock is one in which no other posting can be made.
func QueueLedger(ctx context.Context, tx pgx.Tx, batch *pgx.Batch, t domain.Transaction) (domain.Transaction, error) {
	prev, err := LockLedgerHead(ctx, tx)
	if err != nil {
		return domain.Transaction{}, err
	}
	if t.ID == "" {
		t.ID = record.NewID()
	}
	parent := &prev
	if prev.Seq == 0 {
		parent = nil
	}
	chained, err := domain.Append(parent, t)
	if err != nil {
		return domain.Transaction{}, err
	}
	var reverses any
	if chained.Reverses != "" {
		reverses = chained.Reverses
	}
	batch.Queue(`INSERT INTO ledger_transactions (seq, id, time, actor, request_id, description, reverses, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, chained.Seq, chained.ID, chained.Time, chained.Actor, chained.RequestID,
		chained.Description, reverses, chained.PrevHash, chained.Hash)
	for i, p := range chained.Postings {
		batch.Queue(`INSERT INTO ledger_postings (seq, position, account, currency, amount_minor) VALUES ($1, $2, $3, $4, $5)`,
			chained.Seq, i, p.Account, p.Amount.Currency, p.Amount.Minor)
	}
	batch.Queue(`UPDATE ledger_head SET seq = $1, hash = $2`, chained.Seq, chained.Hash)
	return chained, nil
}

// LockLedgerHead locks and returns the newest transaction's seq and hash (0 and GenesisHash before any).
func LockLedgerHead(ctx context.Context, tx pgx.Tx) (domain.Transaction, error) {
	var head domain.Transaction
	if err := tx.QueryRow(ctx, `SELECT seq, hash FROM ledger_head FOR UPDATE`).Scan(&head.Seq, &head.Hash); err != nil {
		return domain.Transaction{}, fmt.Errorf("lock ledger head: %w", err)
	}
	return head, nil
}

// ReadLedgerHead returns the head without locking it.
func ReadLedgerHead(ctx context.Context, q Querier) (domain.Transaction, error) {
	var head domain.Transaction
	if err := q.QueryRow(ctx, `SELECT seq, hash FROM ledger_head`).Scan(&head.Seq, &head.Hash); err != nil {
		return domain.Transaction{}, fmt.Errorf("read ledger head: %w", err)
	}
	return head, nil
}

// ListLedger returns up to limit transactions after the sequence number after, in ledger order.
func ListLedger(ctx context.Context, q Querier, after int64, limit int) ([]domain.Transaction, error) {
	rows, err := q.Query(ctx, `SELECT seq, id, time, actor, request_id, description, COALESCE(reverses::text, ''), prev_hash, hash
		FROM ledger_transactions WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list ledger: %w", err)
	}
	txs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Transaction, error) {
		var t domain.Transaction
		err := r.Scan(&t.Seq, &t.ID, &t.Time, &t.Actor, &t.RequestID, &t.Description, &t.Reverses, &t.PrevHash, &t.Hash)
		t.Time = t.Time.UTC()
		return t, err
	})
	if err != nil || len(txs) == 0 {
		return txs, err
	}
	rows, err = q.Query(ctx, `SELECT seq, account, currency, amount_minor FROM ledger_postings
		WHERE seq BETWEEN $1 AND $2 ORDER BY seq, position`, txs[0].Seq, txs[len(txs)-1].Seq)
	if err != nil {
		return nil, fmt.Errorf("list ledger postings: %w", err)
	}
	defer rows.Close()
	bySeq := make(map[int64]int, len(txs))
	for i, t := range txs {
		bySeq[t.Seq] = i
	}
	for rows.Next() {
		var seq int64
		var p domain.Posting
		if err := rows.Scan(&seq, &p.Account, &p.Amount.Currency, &p.Amount.Minor); err != nil {
			return nil, fmt.Errorf("read ledger posting: %w", err)
		}
		if i, ok := bySeq[seq]; ok {
			txs[i].Postings = append(txs[i].Postings, p)
		}
	}
	return txs, rows.Err()
}

// GetLedgerTransaction reads one transaction by id.
func GetLedgerTransaction(ctx context.Context, q Querier, id string) (domain.Transaction, error) {
	var seq int64
	if err := q.QueryRow(ctx, `SELECT seq FROM ledger_transactions WHERE id = $1`, id).Scan(&seq); err != nil {
		return domain.Transaction{}, record.NotFound(err, "ledger transaction", id)
	}
	txs, err := ListLedger(ctx, q, seq-1, 1)
	if err != nil {
		return domain.Transaction{}, err
	}
	return txs[0], nil
}

// IsReversed reports whether a reversal of the transaction id exists.
func IsReversed(ctx context.Context, q Querier, id string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM ledger_transactions WHERE reverses = $1`, id).Scan(&n)
	return n > 0, err
}

// ScanLedger calls fn with every transaction in ledger order, reading a page at a time so memory stays flat
// however long the ledger grows.
func ScanLedger(ctx context.Context, q Querier, fn func([]domain.Transaction) error) error {
	const pageSize = 1000
	var after int64
	for {
		page, err := ListLedger(ctx, q, after, pageSize)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page); err != nil {
			return err
		}
		after = page[len(page)-1].Seq
	}
}

// Balance is an account's balance in one currency.
type Balance struct {
	Account string
	Amount  money.Amount
}

// Balances derives the balance of every account whose name starts with prefix from the postings, by account
// and currency in byte order (whatever the database's collation, so that pages can be cut by name). PostgreSQL sums bigints exactly (as numeric); a balance past the int64 range is refused.
func Balances(ctx context.Context, q Querier, prefix string) ([]Balance, error) {
	rows, err := q.Query(ctx, `SELECT account, currency, sum(amount_minor)::text FROM ledger_postings
		WHERE starts_with(account, $1) GROUP BY account, currency
		ORDER BY account COLLATE "C", currency COLLATE "C"`, prefix)
	if err != nil {
		return nil, fmt.Errorf("ledger balances: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Balance, error) {
		var b Balance
		var sum string
		if err := r.Scan(&b.Account, &b.Amount.Currency, &sum); err != nil {
			return b, err
		}
		n, ok := new(big.Int).SetString(sum, 10)
		if !ok || !n.IsInt64() || n.Int64() == math.MinInt64 {
			return b, fmt.Errorf("the balance of %s in %s (%s) is outside what this service can count", b.Account, b.Amount.Currency, sum)
		}
		b.Amount.Minor = n.Int64()
		return b, nil
	})
}
