package page

import (
	"errors"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

func TestSize(t *testing.T) {
	for in, want := range map[int32]int{-1: Default, 0: Default, 1: 1, 500: 500, 501: Max} {
		if got := Size(in); got != want {
			t.Errorf("Size(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestTokenRoundTripAndFilterBinding(t *testing.T) {
	fp := Fingerprint("draft", "")
	tok := Encode("0190c5a2-8c6e-7000-8000-000000000001", fp)
	if got, err := Decode(tok, fp); err != nil || got != "0190c5a2-8c6e-7000-8000-000000000001" {
		t.Fatalf("round trip: %q %v", got, err)
	}
	var invalid *fault.Invalid
	if _, err := Decode(tok, Fingerprint("active", "")); !errors.As(err, &invalid) {
		t.Fatalf("a token for other filters was accepted: %v", err)
	}
	if got, err := Decode("", fp); err != nil || got != "" {
		t.Fatalf("empty token: %q %v", got, err)
	}
}

// FuzzDecode: a page token comes from outside; no input may panic, and whatever is accepted must be exactly
// what Encode would produce for that position.
func FuzzDecode(f *testing.F) {
	fp := Fingerprint("x")
	f.Add(Encode("abc", fp))
	f.Add("e30")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, tok string) {
		after, err := Decode(tok, fp)
		if err == nil && tok != "" && after == "" {
			t.Fatalf("accepted %q without a position", tok)
		}
	})
}
