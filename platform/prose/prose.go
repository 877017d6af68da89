// Package prose builds the plain-words parts of messages that every service's rules share: lists as a
// sentence writes them, user input quoted and cut short, and the checks every free-text field gets. Errors
// are read by municipal officials, so they must read as sentences, the same in every service.
package prose

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// JoinAnd lists items the way a sentence does: "a", "a and b", "a, b and c".
func JoinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// JoinOr is JoinAnd for alternatives: "a, b or c".
func JoinOr(items []string) string {
	if len(items) < 2 {
		return JoinAnd(items)
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// Quote shows user input inside a message, cut short so that a pasted essay does not become the message.
func Quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// CheckText applies the rules every free-text field shares: valid UTF-8, no control characters (they break
// exports to CSV and IATI XML; multiline fields may hold line breaks and tabs), and a length in characters,
// not bytes, so "Växjö" counts as five. It returns "" when the text is acceptable; what names the field in
// the sentence, e.g. "the title".
func CheckText(s, what string, minLen, maxLen int, multiline bool) string {
	if !utf8.ValidString(s) {
		return what + " is not valid UTF-8 text"
	}
	n := utf8.RuneCountInString(s)
	switch {
	case minLen > 0 && n == 0:
		return "enter " + what
	case n < minLen:
		return fmt.Sprintf("%s has %d characters; it needs at least %d", what, n, minLen)
	case n > maxLen:
		return fmt.Sprintf("%s has %d characters; at most %d are allowed", what, n, maxLen)
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return fmt.Sprintf("%s contains a control character (%U); remove it", what, r)
		}
	}
	return ""
}
