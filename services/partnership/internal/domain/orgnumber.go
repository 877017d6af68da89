package domain

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// OrgNumber is a Swedish organisation number (organisationsnummer) in normalised form: exactly ten digits,
// no hyphen. Storing one form makes numbers comparable (the store keeps them unique) whatever way a user
// typed them; String gives the form people read. Build one with ParseOrgNumber.
type OrgNumber string

// Series prefixes Skatteverket gives municipalities and regions; they let the programme catch an
// organisation registered under the wrong kind.
const (
	// MunicipalityOrgPrefix begins the number of every Swedish municipality, e.g. 212000-1124 Malmö stad.
	MunicipalityOrgPrefix = "212000"
	// RegionOrgPrefix begins the number of every region but Gotland, e.g. 232100-0016 Region Stockholm.
	RegionOrgPrefix = "232100"
)

// ParseOrgNumber reads an organisation number as people write it: "NNNNNN-NNNN" or "NNNNNNNNNN", with any
// spaces (copied from letterheads: "212000 - 1124"). An en dash is taken as the hyphen because word
// processors turn one into the other. It checks that there are ten digits, that the third is at least 2
// (lower values are personal identity numbers, which are personal data and never an eligible party) and that
// the last is the Luhn check digit of the first nine. Errors are sentences for the person who typed the
// number; the caller names the field, e.g. with fault.InvalidField.
func ParseOrgNumber(s string) (OrgNumber, error) {
	var digits strings.Builder
	hyphenAt := -1
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case unicode.IsSpace(r):
		case r == '-' || r == '–':
			if hyphenAt >= 0 {
				return "", errors.New("an organisation number has only one hyphen, after the sixth digit, as in 212000-1124")
			}
			hyphenAt = digits.Len()
		default:
			return "", fmt.Errorf("%q cannot be part of an organisation number; use digits with an optional hyphen after the sixth, as in 212000-1124", r)
		}
	}
	d := digits.String()
	switch {
	case d == "":
		return "", errors.New("enter an organisation number of 10 digits, as in 212000-1124")
	case len(d) == 12 && strings.HasPrefix(d, "16"):
		return "", fmt.Errorf("leave out the leading 16: an organisation number has 10 digits, here %s-%s", d[2:8], d[8:])
	case len(d) != 10:
		return "", fmt.Errorf("an organisation number has 10 digits, not %d", len(d))
	case hyphenAt >= 0 && hyphenAt != 6:
		return "", errors.New("the hyphen belongs after the sixth digit, as in 212000-1124")
	case d[2] < '2':
		return "", errors.New("the third digit of an organisation number is at least 2; this looks like a personal identity number")
	}
	if want := luhnCheckDigit(d[:9]); d[9] != want {
		return "", fmt.Errorf("the check digit should be %c, not %c", want, d[9])
	}
	return OrgNumber(d), nil
}

// luhnCheckDigit computes the Luhn (mod 10) check digit over the given digits, doubling every other digit
// from the left as Skatteverket does for nine-digit bodies.
func luhnCheckDigit(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		v := int(body[i] - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

// String shows the number as people write it, "NNNNNN-NNNN". A value not built by ParseOrgNumber is shown
// unchanged, so a log line never hides what was actually stored.
func (n OrgNumber) String() string {
	if !n.normalised() {
		return string(n)
	}
	return string(n[:6]) + "-" + string(n[6:])
}

// IATIIdentifier returns the organisation identifier IATI uses for a Swedish organisation: the registration
// agency SE-ON followed by the ten digits, e.g. "SE-ON-2120001124".
func (n OrgNumber) IATIIdentifier() string { return "SE-ON-" + string(n) }

// HasPrefix reports whether the number belongs to a series such as MunicipalityOrgPrefix.
func (n OrgNumber) HasPrefix(series string) bool { return strings.HasPrefix(string(n), series) }

func (n OrgNumber) normalised() bool {
	if len(n) != 10 {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}
