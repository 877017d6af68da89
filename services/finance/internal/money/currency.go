// Package money is exact money arithmetic for the finance service: integer minor units with an ISO 4217
// currency, sums that refuse to wrap around, parsing of decimal strings typed by people, Swedish formatting
// and the one written-down rule for converting a foreign cost to SEK.
//
// Floating point appears nowhere: 0.1 öre errors accumulate across thousands of claims, and an auditor must be
// able to recompute every krona by hand.
package money

import "sort"

// SEK is the programme currency: budgets, caps and payments are in SEK; other currencies appear only as the
// original amount of a cost paid abroad.
const SEK = "SEK"

// currencies maps each accepted ISO 4217 code to its number of minor-unit digits (2 for öre and cents, 0 for
// currencies such as UGX and RWF that have no minor unit in ISO 4217). The list is short on purpose: the
// currencies of Sweden, of the common reference currencies and of the programme's partner countries. An
// unknown code is refused rather than guessed, because a wrong exponent is a factor-100 error. No exponent
// exceeds 2 (the öre); ToSEK relies on that, so a three-decimal currency (KWD, BHD) needs ToSEK changed first.
var currencies = map[string]int{
	"SEK": 2, "EUR": 2, "USD": 2, "GBP": 2, "NOK": 2, "DKK": 2,
	"KES": 2, "UGX": 0, "TZS": 2, "ZMW": 2, "ZAR": 2, "BWP": 2,
	"ZWL": 2, "ZWG": 2, "RWF": 0, "MZN": 2, "NAD": 2, "ETB": 2,
	"COP": 2, "GTQ": 2, "BOB": 2, "PEN": 2,
	"BAM": 2, "RSD": 2, "UAH": 2, "MDL": 2, "GEL": 2, "ALL": 2, "MKD": 2,
	"IDR": 2, "VND": 0, "KHR": 2, "LKR": 2,
}

// KnownCurrency reports whether code is an accepted ISO 4217 currency code (upper case, e.g. "SEK").
func KnownCurrency(code string) bool {
	_, ok := currencies[code]
	return ok
}

// Exponent returns the number of minor-unit digits of code (2 for SEK: 100 öre to the krona) and whether the
// code is known.
func Exponent(code string) (int, bool) {
	e, ok := currencies[code]
	return e, ok
}

// Currencies returns the accepted codes in alphabetical order, for messages and for clients offering a choice.
func Currencies() []string {
	out := make([]string, 0, len(currencies))
	for c := range currencies {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
