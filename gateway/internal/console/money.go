package console

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Money is shown and read in kronor, but held and sent as integer öre, as the API does: no float ever
// touches an amount, so 0.1 + 0.2 kronor is 30 öre and nothing else.

// noBreak keeps "1 234,50 kr" on one line: Swedish writes thousands apart with a space that must not wrap.
const noBreak = "\u00a0"

// money is the API's Money in JSON: amountMinor is an int64, which protojson writes as a string.
type money struct {
	CurrencyCode string      `json:"currencyCode"`
	AmountMinor  json.Number `json:"amountMinor"`
}

// Minor is the amount in minor units, and whether the API gave one.
func (m *money) Minor() (int64, bool) {
	if m == nil || m.AmountMinor == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(string(m.AmountMinor), 10, 64)
	return n, err == nil
}

// formatSEK writes öre as kronor in l's style: "1 234,50 kr" in Swedish, "SEK 1,234.50" in English.
func formatSEK(l lang, ore int64) string {
	sign := ""
	// Work on the magnitude as unsigned, so the most negative int64 has one too.
	mag := uint64(ore)
	if ore < 0 {
		sign, mag = "-", uint64(-(ore+1))+1
	}
	kronor, rest := mag/100, mag%100
	group, decimal := noBreak, ","
	if l == english {
		group, decimal = ",", "."
	}
	amount := groupThousands(strconv.FormatUint(kronor, 10), group) + decimal + twoDigits(rest)
	if l == english {
		return sign + "SEK" + noBreak + amount
	}
	return sign + amount + noBreak + "kr"
}

// formatKronorInput writes öre as an input's value: kronor with two decimals and l's decimal sign, without
// thousands separators, so the person can edit it and parseKronor reads it back exactly.
func formatKronorInput(l lang, ore int64) string {
	decimal := ","
	if l == english {
		decimal = "."
	}
	if ore < 0 {
		return "" // the API never asks a decision on a negative cost; an empty input is a field error
	}
	return strconv.FormatInt(ore/100, 10) + decimal + twoDigits(uint64(ore%100))
}

func twoDigits(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}

// groupThousands puts sep between every three digits from the right.
func groupThousands(digits, sep string) string {
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return b.String()
}

// maxKronorDigits bounds the whole kronor a person may type: far above any claim, far below int64's öre.
const maxKronorDigits = 13

// parseKronor reads an amount in kronor as a person types it, in either language: "1234", "1 234,5",
// "1234.50", "1 234,50 kr". At most two decimals after one decimal sign (a comma or a point), never a sign,
// never a thousands separator other than a space: "1,234" is refused rather than guessed at.
func parseKronor(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "kr"))
	s = strings.TrimSpace(strings.TrimPrefix(s, "SEK"))
	s = strings.NewReplacer(" ", "", noBreak, "", "\u202f", "").Replace(s)
	whole, frac, hasDecimals := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if whole == "" || len(whole) > maxKronorDigits || !allDigits(whole) {
		return 0, false
	}
	if hasDecimals && (frac == "" || len(frac) > 2 || !allDigits(frac)) {
		return 0, false
	}
	kronor, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	ore := int64(0)
	if frac != "" {
		frac += strings.Repeat("0", 2-len(frac))
		ore, _ = strconv.ParseInt(frac, 10, 64)
	}
	return kronor*100 + ore, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
