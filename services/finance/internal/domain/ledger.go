package domain

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// GenesisHash is the "previous hash" of the first transaction: 64 zeros, so every transaction has one.
var GenesisHash = strings.Repeat("0", 64)

// Posting moves an amount into (positive, debit) or out of (negative, credit) one account.
type Posting struct {
	// Account names a ledger account, e.g. "budget/0190…/travel-2026" or "payable/0190…" (see postings.go).
	Account string
	Amount  money.Amount
}

// Transaction is one balanced, append-only entry of the ledger. Mistakes are never edited: they are corrected
// by a reversing transaction (see Reverse), so that the chain of hashes proves nothing was changed.
type Transaction struct {
	ID string
	// Seq is the position in the ledger, from 1, without gaps; the chain is checked in this order.
	Seq int64
	// Time is when it was recorded; it is hashed to the microsecond, the precision PostgreSQL keeps.
	Time        time.Time
	Actor       string
	RequestID   string
	Description string
	// Reverses is the ID of the transaction this one cancels; empty for an ordinary transaction.
	Reverses string
	Postings []Posting
	// PrevHash is the Hash of the transaction before, GenesisHash for the first one.
	PrevHash string
	// Hash is the lower-case hex SHA-256 of the canonical encoding of this transaction and PrevHash.
	Hash string
}

// Balanced returns nil when t is a proper double entry: at least two postings, each to a named account with a
// non-zero amount in a known currency, whose amounts sum to zero in every currency. Otherwise it returns a
// *fault.FailedPrecondition saying, per currency, by how much the postings are off.
func (t Transaction) Balanced() error {
	var vs []fault.PreconditionViolation
	add := func(subject, format string, args ...any) {
		vs = append(vs, fault.PreconditionViolation{Type: "BALANCE", Subject: subject, Description: fmt.Sprintf(format, args...)})
	}
	if len(t.Postings) < 2 {
		add("postings", "a transaction needs at least two postings, one taking and one giving")
	}
	sums := map[string]money.Amount{}
	for i, p := range t.Postings {
		at := fmt.Sprintf("postings[%d]", i)
		if !validAccount(p.Account) {
			add(at+".account", "name the account: 1 to 200 printable characters")
		}
		if err := p.Amount.Check(money.AnySign); err != nil {
			add(at+".amount", "%s", err.Error())
			continue
		}
		if p.Amount.IsZero() {
			add(at+".amount", "a posting of nothing says nothing; leave it out")
		}
		s, ok := sums[p.Amount.Currency]
		if !ok {
			s = money.Zero(p.Amount.Currency)
		}
		var err error
		if sums[p.Amount.Currency], err = s.Add(p.Amount); err != nil {
			add(at+".amount", "%s", err.Error())
			return &fault.FailedPrecondition{Reason: ReasonUnbalanced, Message: vs[len(vs)-1].Description, Violations: vs}
		}
	}
	currencies := make([]string, 0, len(sums))
	for c := range sums {
		currencies = append(currencies, c)
	}
	sort.Strings(currencies)
	for _, c := range currencies {
		if s := sums[c]; !s.IsZero() {
			add(c, "the postings in %s sum to %s, not to nought", c, s)
		}
	}
	if len(vs) == 0 {
		return nil
	}
	return &fault.FailedPrecondition{Reason: ReasonUnbalanced, Message: vs[0].Description, Violations: vs}
}

func validAccount(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// canonical is the byte string the hash covers: a version tag, then every field that carries meaning, each
// length-prefixed so that no two different transactions encode alike ("ab"+"c" versus "a"+"bc"). Hash itself is
// left out, since it is what is computed.
func (t Transaction) canonical() []byte {
	var b []byte
	str := func(s string) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	num := func(n int64) { b = binary.BigEndian.AppendUint64(b, uint64(n)) }
	str("partnerskap-ledger-v1")
	str(t.PrevHash)
	str(t.ID)
	num(t.Seq)
	num(t.Time.UnixMicro())
	str(t.Actor)
	str(t.RequestID)
	str(t.Description)
	str(t.Reverses)
	num(int64(len(t.Postings)))
	for _, p := range t.Postings {
		str(p.Account)
		str(p.Amount.Currency)
		num(p.Amount.Minor)
	}
	return b
}

// ComputeHash returns the hash t should carry given its PrevHash.
func (t Transaction) ComputeHash() string {
	sum := sha256.Sum256(t.canonical())
	return hex.EncodeToString(sum[:])
}

// Append checks that t balances and returns it chained after prev: Seq one past prev's (1 for the first, when
// prev is nil), PrevHash set to prev's Hash (GenesisHash for the first) and Hash computed. The caller stores
// the result in the same transaction that reads prev, so that two appends cannot both chain to one parent.
func Append(prev *Transaction, t Transaction) (Transaction, error) {
	if err := t.Balanced(); err != nil {
		return Transaction{}, err
	}
	t.Seq, t.PrevHash = 1, GenesisHash
	if prev != nil {
		t.Seq, t.PrevHash = prev.Seq+1, prev.Hash
	}
	t.Time = t.Time.UTC().Truncate(time.Microsecond)
	t.Hash = t.ComputeHash()
	return t, nil
}

// Verify proves that chain, in Seq order from the first transaction, was not altered: each transaction
// balances, numbers follow without gaps, each PrevHash is its predecessor's Hash and each Hash matches its
// content. It returns a *fault.FailedPrecondition naming the first transaction that breaks the chain.
func Verify(chain []Transaction) error {
	var v ChainVerifier
	for _, t := range chain {
		if err := v.Next(t); err != nil {
			return err
		}
	}
	return nil
}

// ChainVerifier verifies a chain one transaction at a time, so that a ledger of any length is checked in
// pages with flat memory. Its zero value expects the first transaction.
type ChainVerifier struct {
	prevHash string
	prevSeq  int64
	// Count is how many transactions have passed.
	Count int64
}

// Head returns the hash of the last transaction that passed, GenesisHash before any.
func (v *ChainVerifier) Head() string {
	if v.prevHash == "" {
		return GenesisHash
	}
	return v.prevHash
}

// Next checks t as the transaction after the ones already passed; see Verify.
func (v *ChainVerifier) Next(t Transaction) error {
	var problem string
	switch {
	case t.Seq != v.prevSeq+1:
		problem = fmt.Sprintf("comes as number %d after number %d", t.Seq, v.prevSeq)
	case t.PrevHash != v.Head():
		problem = "does not carry the hash of the transaction before it"
	case t.Hash != t.ComputeHash():
		problem = "was changed after it was recorded: its hash does not match its content"
	case t.Balanced() != nil:
		problem = "does not balance"
	}
	if problem != "" {
		msg := fmt.Sprintf("ledger transaction %d (%s) %s", t.Seq, t.ID, problem)
		return &fault.FailedPrecondition{Reason: ReasonChainBroken, Message: msg, Violations: []fault.PreconditionViolation{
			{Type: "CHAIN", Subject: fmt.Sprintf("transactions[%d]", v.Count), Description: msg}}}
	}
	v.prevHash, v.prevSeq = t.Hash, t.Seq
	v.Count++
	return nil
}

// Reverse returns the transaction that cancels t: the same accounts with opposite amounts, marked as reversing
// t. It is not yet chained; pass it to Append.
func Reverse(t Transaction, id, actor, requestID string, at time.Time) (Transaction, error) {
	r := Transaction{ID: id, Time: at, Actor: actor, RequestID: requestID, Reverses: t.ID,
		Description: "reversal of " + t.ID, Postings: make([]Posting, len(t.Postings))}
	for i, p := range t.Postings {
		neg, err := p.Amount.Neg()
		if err != nil {
			return Transaction{}, money.Invalid(err, fmt.Sprintf("postings[%d].amount", i))
		}
		r.Postings[i] = Posting{Account: p.Account, Amount: neg}
	}
	return r, nil
}

// BalanceKey is an account in one currency: balances are never added across currencies.
type BalanceKey struct {
	Account  string
	Currency string
}

// Balances derives every account's balance from the postings of txs. It refuses a balance past the int64
// range rather than wrapping it.
func Balances(txs []Transaction) (map[BalanceKey]money.Amount, error) {
	out := map[BalanceKey]money.Amount{}
	for _, t := range txs {
		for _, p := range t.Postings {
			k := BalanceKey{p.Account, p.Amount.Currency}
			b, ok := out[k]
			if !ok {
				b = money.Zero(k.Currency)
			}
			var err error
			if out[k], err = b.Add(p.Amount); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
