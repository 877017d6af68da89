package money

import (
	"math"
	"strconv"
	"strings"
)

// Sign says which amounts a parser accepts; the caller asks for what its field means (a claimed cost is
// Positive, an adjustment may be AnySign).
type Sign int

// The signs a caller may ask for.
const (
	// Positive accepts amounts above nought: costs, caps, budget lines.
	Positive Sign = iota
	// NonNegative also accepts nought: an approved amount of a claim line, a balance.
	NonNegative
	// AnySign accepts negative amounts too: corrections.
	AnySign
)

// ParseDecimal reads a decimal amount of currency as people and APIs write it: digits, optionally a leading
// "-", optionally a "." and at most as many decimals as the currency has minor digits ("1234.50" SEK is 123450
// öre; "1234.505" SEK is refused, since nobody can pay half an öre). It does not accept thousands separators,
// a "+", exponents or spaces: the API form is strict so that one string means one amount. It refuses an unknown
// currency, amounts past the int64 range of minor units and amounts sign does not allow.
func ParseDecimal(s, currency string, sign Sign) (Amount, error) {
	exp, ok := Exponent(currency)
	if !ok {
		return Amount{}, CheckCurrency(currency)
	}
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(body, ".")
	switch {
	case whole == "" || !allDigits(whole) || !allDigits(frac) || (hasDot && frac == ""):
		return Amount{}, errorf(ReasonBadAmount, "%q is not an amount; write digits with an optional point, e.g. 1234.50", s)
	case len(frac) > exp && exp == 0:
		return Amount{}, errorf(ReasonBadAmount, "%q has decimals, but %s has no smaller unit; give a whole number", s, currency)
	case len(frac) > exp:
		return Amount{}, errorf(ReasonBadAmount, "%q has more than %d decimals; %s cannot be paid in fractions of its smallest unit", s, exp, currency)
	}
	digits := strings.TrimLeft(whole, "0") + frac + strings.Repeat("0", exp-len(frac))
	digits = strings.TrimLeft(digits, "0")
	var minor int64
	if digits != "" {
		// ParseUint of at most 19 digits cannot be fooled by signs or spaces: allDigits ran above.
		u, err := strconv.ParseUint(digits, 10, 64)
		limit := uint64(math.MaxInt64)
		if neg {
			limit++ // the int64 range has one more negative value
		}
		if err != nil || u > limit {
			return Amount{}, errorf(ReasonOverflow, "%s %s is more than this system can count", s, currency)
		}
		if neg {
			minor = int64(-u) // two's complement: -(1<<63) comes out right
		} else {
			minor = int64(u)
		}
	}
	a := Amount{Minor: minor, Currency: currency}
	return a, a.checkSign(sign)
}

// checkSign refuses a when sign does not allow it.
func (a Amount) checkSign(sign Sign) error {
	switch {
	case sign == Positive && a.Minor == 0:
		return errorf(ReasonBadAmount, "the amount is nought; give an amount above 0 %s", a.Currency)
	case sign != AnySign && a.Minor < 0:
		return errorf(ReasonBadAmount, "%s is negative; give an amount of 0 %s or more", a, a.Currency)
	}
	return nil
}

// Check refuses an amount with an unknown currency or one that sign does not allow, so that amounts arriving
// as integers (the API carries minor units) meet the same rules as parsed ones.
func (a Amount) Check(sign Sign) error {
	if err := CheckCurrency(a.Currency); err != nil {
		return err
	}
	return a.checkSign(sign)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Decimal writes a in the API's decimal form, the inverse of ParseDecimal: "-1234.50". An unknown currency is
// written with two decimals, so that the string is still readable in a log.
func (a Amount) Decimal() string {
	whole, frac := a.split()
	if frac != "" {
		return whole + "." + frac
	}
	return whole
}

// Format writes a the Swedish way, for people: "1 234,50 SEK", "-12,00 EUR", "1 000 UGX". The thousands
// separator is a plain space, not a no-break space, so that the text survives every mail client and CSV reader.
func (a Amount) Format() string {
	whole, frac := a.split()
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(whole); i++ {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(whole[i])
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	b.WriteByte(' ')
	b.WriteString(a.Currency)
	return b.String()
}

// String is Format, so that amounts read well in messages.
func (a Amount) String() string { return a.Format() }

// split writes a's minor units as a signed whole part and a fraction of exactly the currency's digits.
func (a Amount) split() (whole, frac string) {
	exp, ok := Exponent(a.Currency)
	if !ok {
		exp = 2
	}
	// Via uint64 so that math.MinInt64 has an absolute value.
	u := uint64(a.Minor)
	sign := ""
	if a.Minor < 0 {
		u = -u
		sign = "-"
	}
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-exp], digits[len(digits)-exp:]
}
