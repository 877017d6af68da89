package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// ListLedgerTransactions pages through the ledger in its own order.
func (s *Server) ListLedgerTransactions(ctx context.Context, req *pb.ListLedgerTransactionsRequest) (*pb.ListLedgerTransactionsResponse, error) {
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	var after int64
	if cursor.After != "" {
		if after, err = strconv.ParseInt(cursor.After, 10, 64); err != nil {
			return nil, fault.InvalidField("page_token", "the page token does not belong to this list")
		}
	}
	list, err := store.ListLedger(ctx, s.pool, after, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListLedgerTransactionsResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(t domain.Transaction) string { return strconv.FormatInt(t.Seq, 10) })
	for _, t := range list {
		resp.Transactions = append(resp.Transactions, ledgerToProto(t))
	}
	return resp, nil
}

// ReverseLedgerTransaction appends the transaction that cancels another. It corrects the ledger only: the
// budget, claim or batch that caused the original keeps its state, so an admin uses it for postings that were
// wrong, not to undo a decision.
func (s *Server) ReverseLedgerTransaction(ctx context.Context, req *pb.ReverseLedgerTransactionRequest) (*pb.LedgerTransaction, error) {
	return idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.LedgerTransaction, error) {
		// The head first: two reversals of one transaction queue here, and the second sees the first.
		if _, err := store.LockLedgerHead(ctx, tx); err != nil {
			return nil, err
		}
		t, err := store.GetLedgerTransaction(ctx, tx, req.GetId())
		if err != nil {
			return nil, err
		}
		if t.Reverses != "" {
			return nil, &fault.FailedPrecondition{Reason: "IS_A_REVERSAL", Message: fmt.Sprintf("transaction %d is itself a reversal; post the correct transaction instead", t.Seq)}
		}
		reversed, err := store.IsReversed(ctx, tx, t.ID)
		if err != nil {
			return nil, err
		}
		if reversed {
			return nil, &fault.Conflict{Reason: "ALREADY_REVERSED", Message: fmt.Sprintf("transaction %d is already reversed", t.Seq)}
		}
		a := actor(ctx)
		r, err := domain.Reverse(t, "", a.Subject, a.RequestID, time.Now())
		if err != nil {
			return nil, err
		}
		r.Description = fmt.Sprintf("reversal of transaction %d: %s", t.Seq, req.GetReason())
		stored, err := store.AppendLedger(ctx, tx, r)
		return ledgerToProto(stored), err
	})
}

// ListLedgerBalances derives balances from the postings.
func (s *Server) ListLedgerBalances(ctx context.Context, req *pb.ListLedgerBalancesRequest) (*pb.ListLedgerBalancesResponse, error) {
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), req.GetAccountPrefix())
	if err != nil {
		return nil, err
	}
	list, err := store.Balances(ctx, s.pool, req.GetAccountPrefix())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListLedgerBalancesResponse{}
	// The store orders balances by account and currency in byte order; NUL sorts before every character of a
	// name, so an account comes before the longer names it starts.
	list, resp.NextPageToken = page.Slice(cursor, list, func(b store.Balance) string { return b.Account + "\x00" + b.Amount.Currency })
	for _, b := range list {
		resp.Balances = append(resp.Balances, &pb.Balance{Account: b.Account, Amount: moneyToProto(b.Amount)})
	}
	return resp, nil
}

// VerifyLedger checks the whole chain, a page at a time. A broken chain is an answer, not an error: intact is
// false and problem names the first transaction that breaks it.
func (s *Server) VerifyLedger(ctx context.Context, _ *pb.VerifyLedgerRequest) (*pb.VerifyLedgerResponse, error) {
	var v domain.ChainVerifier
	var broken *fault.FailedPrecondition
	err := store.ScanLedger(ctx, s.pool, func(page []domain.Transaction) error {
		for _, t := range page {
			if err := v.Next(t); err != nil {
				if errors.As(err, &broken) {
					return errStop
				}
				return err
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	resp := &pb.VerifyLedgerResponse{Intact: broken == nil, Transactions: v.Count, HeadHash: v.Head()}
	if broken != nil {
		resp.Problem = broken.Message
		return resp, nil
	}
	// The chain must end where the head says it does: rows cut from the end leave an intact but short chain.
	head, err := store.ReadLedgerHead(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	if head.Seq != v.Count || head.Hash != v.Head() {
		resp.Intact = false
		resp.Problem = fmt.Sprintf("the ledger holds %d transactions ending in %s, but its head records %d ending in %s", v.Count, v.Head(), head.Seq, head.Hash)
	}
	return resp, nil
}

var errStop = errors.New("stop")
