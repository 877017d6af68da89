// Package enumword maps protobuf enum values to the lower-case words the services store and reason with, and
// back: BUDGET_STATE_APPROVED is "approved", COST_ZONE_AFRICA_ASIA_LATIN_AMERICA is "africa_asia_latin_america".
// The prefix is derived from the enum's type name, as buf's ENUM_VALUE_PREFIX rule requires it to be, so a new
// enum value needs no new mapping code.
package enumword

import (
	"strings"
	"unicode"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// prefix returns the value prefix of an enum type: "BudgetState" gives "BUDGET_STATE_".
func prefix(d protoreflect.EnumDescriptor) string {
	var b strings.Builder
	for i, r := range string(d.Name()) {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String() + "_"
}

// Word returns e's word; the unspecified value (and any number the enum does not define) gives "".
func Word(e protoreflect.Enum) string {
	if e.Number() == 0 {
		return ""
	}
	v := e.Descriptor().Values().ByNumber(e.Number())
	if v == nil {
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(string(v.Name()), prefix(e.Descriptor())))
}

// Of returns the value of E whose word is word, or the unspecified value when there is none.
func Of[E protoreflect.Enum](word string) E {
	var zero E
	d := zero.Descriptor()
	v := d.Values().ByName(protoreflect.Name(prefix(d) + strings.ToUpper(word)))
	if word == "" || v == nil {
		return zero
	}
	return zero.Type().New(v.Number()).(E)
}

// Unmatched returns the words that do not round-trip through E: no value of E has the word, or its value's
// word differs. A service checks its domain's words against the API's enum with it, since a word without a
// value would reach clients as UNSPECIFIED.
func Unmatched[E protoreflect.Enum, W ~string](words []W) []string {
	var out []string
	for _, w := range words {
		if v := Of[E](string(w)); v.Number() == 0 || Word(v) != string(w) {
			out = append(out, string(w))
		}
	}
	return out
}
