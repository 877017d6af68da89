package domain

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
	"pgregory.net/rapid"
)

var (
	accounts   = []string{"budget/line/travel", "budget/line/visa", "approved/malmo", "payable/malmo", "bank/sida"}
	currencies = []string{"SEK", "EUR", "ZMW"}
	epoch      = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
)

// drawTransaction draws random postings, then closes each currency with one balancing posting, so that every
// drawn transaction is a proper double entry by construction; amounts stay far enough from the int64 edge
// that a thousand of them cannot overflow.
func drawTransaction(t *rapid.T, n int) Transaction {
	tx := Transaction{ID: fmt.Sprintf("tx-%d", n), Time: epoch.Add(time.Duration(n) * time.Minute), Actor: "coord", RequestID: fmt.Sprintf("req-%d", n)}
	sums := map[string]int64{}
	for i, k := 0, rapid.IntRange(1, 5).Draw(t, "postings"); i < k; i++ {
		cur := rapid.SampledFrom(currencies).Draw(t, "currency")
		minor := rapid.Int64Range(-1e12, 1e12).Filter(func(m int64) bool { return m != 0 }).Draw(t, "minor")
		tx.Postings = append(tx.Postings, Posting{Account: rapid.SampledFrom(accounts).Draw(t, "account"), Amount: money.Amount{Minor: minor, Currency: cur}})
		sums[cur] += minor
	}
	for _, cur := range currencies {
		if s, ok := sums[cur]; ok {
			if s == 0 { // already balanced in this currency; add a pair so every currency has two sides
				tx.Postings = append(tx.Postings, Posting{"bank/sida", money.Amount{Minor: 1, Currency: cur}})
				s = 1
			}
			tx.Postings = append(tx.Postings, Posting{rapid.SampledFrom(accounts).Draw(t, "against"), money.Amount{Minor: -s, Currency: cur}})
		}
	}
	return tx
}

func TestLedgerProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var chain []Transaction
		var prev *Transaction
		want := map[BalanceKey]int64{}
		for n, k := 0, rapid.IntRange(1, 30).Draw(t, "transactions"); n < k; n++ {
			tx := drawTransaction(t, n)
			if rapid.Bool().Draw(t, "reverse") && len(chain) > 0 {
				var err error
				victim := chain[rapid.IntRange(0, len(chain)-1).Draw(t, "victim")]
				if tx, err = Reverse(victim, fmt.Sprintf("rev-%d", n), "coord", "req", epoch); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Append(prev, tx)
			if err != nil {
				t.Fatalf("a balanced transaction was refused: %v", err)
			}
			if got.Balanced() != nil {
				t.Fatal("Append returned an unbalanced transaction")
			}
			chain = append(chain, got)
			prev = &chain[len(chain)-1]
			for _, p := range tx.Postings {
				want[BalanceKey{p.Account, p.Amount.Currency}] += p.Amount.Minor
			}
		}
		if err := Verify(chain); err != nil {
			t.Fatalf("an untouched chain does not verify: %v", err)
		}
		balances, err := Balances(chain)
		if err != nil {
			t.Fatal(err)
		}
		perCurrency := map[string]int64{}
		for k, b := range balances {
			if b.Minor != want[k] {
				t.Fatalf("%v: balance %d, sum of postings %d", k, b.Minor, want[k])
			}
			perCurrency[k.Currency] += b.Minor
		}
		for cur, s := range perCurrency {
			if s != 0 {
				t.Fatalf("balances in %s sum to %d, not nought", cur, s)
			}
		}

		// Any change to any recorded transaction must be caught.
		i := rapid.IntRange(0, len(chain)-1).Draw(t, "tamper")
		tampered := append([]Transaction(nil), chain...)
		tampered[i].Postings = append([]Posting(nil), tampered[i].Postings...)
		switch rapid.IntRange(0, 3).Draw(t, "how") {
		case 0:
			tampered[i].Postings[0].Amount.Minor++
		case 1:
			tampered[i].Postings[0].Account += "x"
		case 2:
			tampered[i].Actor = "someone else"
		case 3:
			tampered = append(tampered[:i], tampered[i+1:]...)
			if i == len(chain)-1 {
				return // dropping the newest leaves a valid shorter chain; the store guards the head
			}
		}
		if Verify(tampered) == nil {
			t.Fatalf("tampering with transaction %d went unnoticed", i)
		}
	})
}

func TestBalancedRefusals(t *testing.T) {
	sek := money.SEKOre
	tests := []struct {
		name     string
		postings []Posting
	}{
		{"one posting", []Posting{{"a", sek(0)}}},
		{"off by one öre", []Posting{{"a", sek(100)}, {"b", sek(-99)}}},
		{"balanced only across currencies", []Posting{{"a", sek(100)}, {"b", money.Amount{Minor: -100, Currency: "EUR"}}}},
		{"zero posting", []Posting{{"a", sek(0)}, {"b", sek(0)}}},
		{"no account", []Posting{{"", sek(1)}, {"b", sek(-1)}}},
		{"unknown currency", []Posting{{"a", money.Amount{Minor: 1, Currency: "XXX"}}, {"b", money.Amount{Minor: -1, Currency: "XXX"}}}},
		{"overflow", []Posting{{"a", sek(1 << 62)}, {"a", sek(1 << 62)}, {"b", sek(-1)}}},
	}
	for _, tt := range tests {
		var fp *fault.FailedPrecondition
		if err := (Transaction{Postings: tt.postings}).Balanced(); !errors.As(err, &fp) || fp.Reason != ReasonUnbalanced {
			t.Errorf("%s: %v", tt.name, err)
		}
		if _, err := Append(nil, Transaction{Postings: tt.postings}); err == nil {
			t.Errorf("%s: appended", tt.name)
		}
	}
}

func TestReverseCancels(t *testing.T) {
	tx, err := Append(nil, Transaction{ID: "t1", Time: epoch, Postings: []Posting{{"a", money.SEKOre(500)}, {"b", money.SEKOre(-500)}}})
	if err != nil {
		t.Fatal(err)
	}
	rev, _ := Reverse(tx, "t2", "coord", "req-2", epoch)
	rev, err = Append(&tx, rev)
	if err != nil || rev.Reverses != "t1" || rev.Seq != 2 || rev.PrevHash != tx.Hash {
		t.Fatalf("reversal = %+v, %v", rev, err)
	}
	b, _ := Balances([]Transaction{tx, rev})
	for k, v := range b {
		if !v.IsZero() {
			t.Errorf("%v left at %v after reversal", k, v)
		}
	}
	if err := Verify([]Transaction{tx, rev}); err != nil {
		t.Fatal(err)
	}
	var fp *fault.FailedPrecondition
	if err := Verify([]Transaction{rev}); !errors.As(err, &fp) || fp.Violations[0].Subject != "transactions[0]" {
		t.Fatalf("chain without its start verified: %v", err)
	}
}
