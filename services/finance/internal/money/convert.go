package money

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// RateDecimals is the number of decimals a rate may have; six is what the Riksbank and the ECB publish.
const RateDecimals = 6

// rateScale is 10^RateDecimals: a Rate holds its value in millionths.
const rateScale = 1_000_000

// maxRateWhole bounds the whole part of a rate so that a typo (a rate per 100 units written as per unit, or
// the wrong way round) of absurd size is refused; no currency costs a million kronor.
const maxRateWhole = 999_999

// Rate is the price in SEK of one whole unit of another currency (1 EUR = 11.234500 SEK is "11.2345"), held
// exactly in millionths.
type Rate struct {
	micros int64
}

// ParseRate reads a rate as a decimal string with at most six decimals, above nought: "11.2345", "0.002913".
// It refuses signs, exponents and separators for the same reason ParseDecimal does.
func ParseRate(s string) (Rate, error) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) || (hasDot && frac == "") {
		return Rate{}, errorf(ReasonBadRate, "%q is not an exchange rate; write SEK per unit with a point, e.g. 11.2345", s)
	}
	if len(frac) > RateDecimals {
		return Rate{}, errorf(ReasonBadRate, "%q has more than %d decimals; round the rate to %d decimals", s, RateDecimals, RateDecimals)
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 6 {
		return Rate{}, errorf(ReasonBadRate, "%q is far too large for a rate in SEK per unit; check which way round it is", s)
	}
	var w, f int64
	if whole != "" {
		w, _ = strconv.ParseInt(whole, 10, 64) // at most 6 digits, checked above
	}
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", RateDecimals-len(frac)), 10, 64)
	}
	r := Rate{micros: w*rateScale + f}
	if r.micros <= 0 {
		return Rate{}, errorf(ReasonBadRate, "the rate is %q; a rate must be above 0", s)
	}
	return r, nil
}

// RateFromMicros returns the rate of micros millionths of a krona per unit, for rates stored as integers.
func RateFromMicros(micros int64) (Rate, error) {
	if micros <= 0 || micros > maxRateWhole*rateScale+rateScale-1 {
		return Rate{}, errorf(ReasonBadRate, "a rate of %d millionths is outside 0.000001 to 999999.999999", micros)
	}
	return Rate{micros: micros}, nil
}

// Micros returns the rate in millionths of a krona per unit, for storage.
func (r Rate) Micros() int64 { return r.micros }

// String writes the rate with exactly six decimals, "11.234500", so that stored and displayed rates agree.
func (r Rate) String() string {
	return strconv.FormatInt(r.micros/rateScale, 10) + "." + leftPad(strconv.FormatInt(r.micros%rateScale, 10), RateDecimals)
}

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// Conversion records how a cost paid in another currency became SEK: everything an auditor needs to recompute
// SEK from Original without asking anyone.
type Conversion struct {
	// Original is the amount as paid, in its own currency.
	Original Amount
	// Rate is SEK per one whole unit of Original's currency.
	Rate Rate
	// RateDate is the day the rate applied.
	RateDate civil.Date
	// Source names where the rate came from, e.g. "Riksbanken" or "ECB".
	Source string
	// SEK is Original at Rate, rounded once (see ToSEK).
	SEK Amount
}

// ToSEK converts original to SEK at rate and records how. The rule, which every SEK amount in the service
// follows:
//
//	SEK öre = original minor units × 10^(2 − minor digits of the currency) × rate, computed exactly, then
//	rounded once to the nearest öre, halves away from zero (0.5 öre becomes 1 öre, −0.5 öre becomes −1 öre).
//
// Rounding happens once, on the converted line, never on intermediate values and never again on sums: a total
// is the sum of rounded lines, so a claim's total equals what its lines show. An amount already in SEK needs
// the rate 1 exactly (anything else is a mistake); it then converts to itself. It refuses an unknown
// currency, a missing rate date or source, and a result past the int64 range.
func ToSEK(original Amount, rate Rate, rateDate civil.Date, source string) (Conversion, error) {
	exp, ok := Exponent(original.Currency)
	switch {
	case !ok:
		return Conversion{}, CheckCurrency(original.Currency)
	case rate.micros <= 0:
		return Conversion{}, errorf(ReasonBadRate, "the rate is missing; give SEK per unit, above 0")
	case original.Currency == SEK && rate.micros != rateScale:
		return Conversion{}, errorf(ReasonBadRate, "an amount in SEK converts at rate 1, not %s", rate)
	case !rateDate.Valid() || rateDate.IsZero():
		return Conversion{}, errorf(ReasonBadRate, "give the date of the exchange rate")
	case strings.TrimSpace(source) == "":
		return Conversion{}, errorf(ReasonBadRate, "say where the exchange rate comes from, e.g. Riksbanken")
	}
	// Exact arithmetic in big integers: the product of two int64 values needs up to 128 bits.
	n := new(big.Int).SetInt64(original.Minor)
	n.Abs(n)
	n.Mul(n, big.NewInt(rate.micros))
	n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(2-exp)), nil))
	q, r := new(big.Int).QuoRem(n, big.NewInt(rateScale), new(big.Int))
	if r.Lsh(r, 1).Cmp(big.NewInt(rateScale)) >= 0 { // remainder ≥ half: round the magnitude up
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return Conversion{}, errorf(ReasonOverflow, "%s at %s is more than this system can count", original, rate)
	}
	ore := q.Int64()
	if original.Minor < 0 {
		ore = -ore
	}
	return Conversion{Original: original, Rate: rate, RateDate: rateDate, Source: source, SEK: SEKOre(ore)}, nil
}
