package money

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Amount is a sum of money in minor units (öre for SEK) of an ISO 4217 currency. The zero Amount has no
// currency and is not valid; use Zero(currency) for a nought of a given currency.
type Amount struct {
	// Minor is the amount in the currency's smallest unit: 123450 SEK minor units is 1 234,50 kronor.
	Minor int64
	// Currency is the upper-case ISO 4217 code.
	Currency string
}

// Stable reasons of the errors this package returns; clients may switch on them.
const (
	ReasonUnknownCurrency  = "UNKNOWN_CURRENCY"
	ReasonCurrencyMismatch = "CURRENCY_MISMATCH"
	ReasonOverflow         = "AMOUNT_OVERFLOW"
	ReasonBadAmount        = "INVALID_AMOUNT"
	ReasonBadRate          = "INVALID_RATE"
)

// Error is a refusal by this package: a stable Reason and a plain-words Message. The package does not know
// which request field an amount came from, so callers turn an Error into a *fault.Invalid with Invalid.
type Error struct {
	Reason  string
	Message string
}

// Error returns the plain-words message.
func (e *Error) Error() string { return e.Message }

// Is lets errors.Is(err, ErrOverflow) match any Error with the same Reason, whatever its message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == e.Reason
}

// Sentinels for errors.Is; the errors actually returned carry messages with the amounts involved.
var (
	ErrUnknownCurrency  = &Error{Reason: ReasonUnknownCurrency}
	ErrCurrencyMismatch = &Error{Reason: ReasonCurrencyMismatch}
	ErrOverflow         = &Error{Reason: ReasonOverflow}
	ErrBadAmount        = &Error{Reason: ReasonBadAmount}
	ErrBadRate          = &Error{Reason: ReasonBadRate}
)

// Invalid turns an *Error (possibly wrapped) into a *fault.Invalid naming field, keeping its Reason; any
// other error, and nil, is returned unchanged.
func Invalid(err error, field string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	return &fault.Invalid{Reason: e.Reason, Violations: []fault.FieldViolation{{Field: field, Description: e.Message}}}
}

func errorf(reason, format string, args ...any) error {
	return &Error{Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// CheckCurrency returns nil when code is an accepted currency, and an Error listing the choices otherwise.
func CheckCurrency(code string) error {
	if KnownCurrency(code) {
		return nil
	}
	return errorf(ReasonUnknownCurrency, "%q is not a currency we accept; give an ISO 4217 code such as SEK, EUR or USD (accepted: %s)",
		code, strings.Join(Currencies(), ", "))
}

// New returns minor units of currency, refusing an unknown currency.
func New(minor int64, currency string) (Amount, error) {
	if err := CheckCurrency(currency); err != nil {
		return Amount{}, err
	}
	return Amount{Minor: minor, Currency: currency}, nil
}

// Zero returns nothing of currency; the currency is not checked, so use it with constants such as SEK.
func Zero(currency string) Amount { return Amount{Currency: currency} }

// SEKOre is shorthand for an amount in öre of the programme currency.
func SEKOre(ore int64) Amount { return Amount{Minor: ore, Currency: SEK} }

// Kronor is shorthand for whole kronor, for caps and tests; it panics past the int64 range, which no
// literal in this code base comes near.
func Kronor(kr int64) Amount {
	if kr > math.MaxInt64/100 || kr < math.MinInt64/100 {
		panic("money.Kronor: out of range")
	}
	return Amount{Minor: kr * 100, Currency: SEK}
}

// IsZero reports whether a is nought (in any currency).
func (a Amount) IsZero() bool { return a.Minor == 0 }

// IsPositive reports whether a is more than nought.
func (a Amount) IsPositive() bool { return a.Minor > 0 }

// IsNegative reports whether a is less than nought.
func (a Amount) IsNegative() bool { return a.Minor < 0 }

// Add returns a+b, refusing different currencies and a result past the int64 range: a wrapped total would
// turn a large claim into a negative one.
func (a Amount) Add(b Amount) (Amount, error) {
	if a.Currency != b.Currency {
		return Amount{}, mismatch(a, b)
	}
	s := a.Minor + b.Minor
	// Overflow happened exactly when both operands have the same sign and the sum's sign differs.
	if (a.Minor >= 0) == (b.Minor >= 0) && (s >= 0) != (a.Minor >= 0) {
		return Amount{}, errorf(ReasonOverflow, "%s plus %s is more than this system can count", a, b)
	}
	return Amount{Minor: s, Currency: a.Currency}, nil
}

// Sub returns a-b, refusing different currencies and a result past the int64 range.
func (a Amount) Sub(b Amount) (Amount, error) {
	if a.Currency != b.Currency {
		return Amount{}, mismatch(a, b)
	}
	d := a.Minor - b.Minor
	// Overflow happened exactly when the operands have different signs and the result's sign is b's.
	if (a.Minor >= 0) != (b.Minor >= 0) && (d >= 0) != (a.Minor >= 0) {
		return Amount{}, errorf(ReasonOverflow, "%s minus %s is more than this system can count", a, b)
	}
	return Amount{Minor: d, Currency: a.Currency}, nil
}

// Neg returns -a, refusing the one int64 value without a negation.
func (a Amount) Neg() (Amount, error) {
	if a.Minor == math.MinInt64 {
		return Amount{}, errorf(ReasonOverflow, "the opposite of %s is more than this system can count", a)
	}
	return Amount{Minor: -a.Minor, Currency: a.Currency}, nil
}

// Mul returns a×n (hours × hourly rate), refusing a result past the int64 range.
func (a Amount) Mul(n int64) (Amount, error) {
	if a.Minor == 0 || n == 0 {
		return Amount{Currency: a.Currency}, nil
	}
	p := a.Minor * n
	if p/n != a.Minor || (a.Minor == -1 && n == math.MinInt64) || (n == -1 && a.Minor == math.MinInt64) {
		return Amount{}, errorf(ReasonOverflow, "%s times %d is more than this system can count", a, n)
	}
	return Amount{Minor: p, Currency: a.Currency}, nil
}

// Cmp compares a and b of the same currency: -1, 0 or +1. Different currencies cannot be ordered without a
// rate, so they are an error.
func (a Amount) Cmp(b Amount) (int, error) {
	if a.Currency != b.Currency {
		return 0, mismatch(a, b)
	}
	switch {
	case a.Minor < b.Minor:
		return -1, nil
	case a.Minor > b.Minor:
		return 1, nil
	}
	return 0, nil
}

// Sum adds amounts of currency; an empty list sums to Zero(currency). Naming the currency makes the sum of no
// amounts well defined and catches a stray amount in another currency.
func Sum(currency string, amounts ...Amount) (Amount, error) {
	total := Zero(currency)
	for _, a := range amounts {
		var err error
		if total, err = total.Add(a); err != nil {
			return Amount{}, err
		}
	}
	return total, nil
}

func mismatch(a, b Amount) error {
	return errorf(ReasonCurrencyMismatch, "%s and %s are in different currencies; convert to one currency first", a, b)
}
