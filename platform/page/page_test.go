package page

import (
	"errors"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
)

func TestSize(t *testing.T) {
	for in, want := range map[int32]int{-1: Default, 0: Default, 1: 1, 500: 500, 501: Max} {
		if got := size(in); got != want {
			t.Errorf("size(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestTokenRoundTripAndFilterBinding(t *testing.T) {
	fp := Fingerprint("draft", "")
	tok := Seal("0190c5a2-8c6e-7000-8000-000000000001", fp)
	if got, err := Unseal[string](tok, fp); err != nil || got != "0190c5a2-8c6e-7000-8000-000000000001" {
		t.Fatalf("round trip: %q %v", got, err)
	}
	var invalid *fault.Invalid
	if _, err := Unseal[string](tok, Fingerprint("active", "")); !errors.As(err, &invalid) {
		t.Fatalf("a token for other filters was accepted: %v", err)
	}
	if got, err := Unseal[string]("", fp); err != nil || got != "" {
		t.Fatalf("empty token: %q %v", got, err)
	}
}

// FuzzDecode: a page token comes from outside; no input may panic, and a token Open accepts must carry a
// position.
func FuzzDecode(f *testing.F) {
	f.Add(Seal("abc", Fingerprint("x")))
	f.Add("e30")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := Open(0, tok, "x")
		if err == nil && tok != "" && c.After == "" {
			t.Fatalf("accepted %q without a position", tok)
		}
	})
}

func TestOpenAndClose(t *testing.T) {
	c, err := Open(2, "", "scope")
	if err != nil || c.Limit() != 3 {
		t.Fatalf("open: %+v %v", c, err)
	}
	items, next := Close(c, []string{"a", "b", "c"}, func(s string) string { return s })
	if len(items) != 2 || next == "" {
		t.Fatalf("first page: %v %q", items, next)
	}
	c2, err := Open(2, next, "scope")
	if err != nil || c2.After != "b" {
		t.Fatalf("second page starts after %q (%v)", c2.After, err)
	}
	if _, last := Close(c2, []string{"c"}, func(s string) string { return s }); last != "" {
		t.Fatalf("last page has a next token %q", last)
	}
	if _, err := Open(2, next, "other scope"); err == nil {
		t.Fatal("a token was accepted for another scope")
	}
}

func TestOpenUUIDRefusesForgedPositions(t *testing.T) {
	forged := Seal("not-a-uuid", Fingerprint("x"))
	if _, err := OpenUUID(10, forged, "x"); err == nil {
		t.Fatal("a forged position was accepted")
	}
	good := Seal("0190c5a2-0000-7000-8000-000000000001", Fingerprint("x"))
	if c, err := OpenUUID(10, good, "x"); err != nil || c.After == "" {
		t.Fatalf("a real position: %v, %v", c, err)
	}
}

// A list ordered by day and id reads back the position it gave, and refuses a forged one.
func TestOpenDated(t *testing.T) {
	key := DatedKey("2025-05-12", "01a24a11-9eb9-784b-8b73-7eb60e4e9857")
	c, _, _, err := OpenDated(2, "", "visits-of-p")
	if err != nil {
		t.Fatal(err)
	}
	items, next := Close(c, []string{"a", "b", key}, func(s string) string { return key })
	if len(items) != 2 || next == "" {
		t.Fatalf("Close = %v, %q", items, next)
	}
	_, day, id, err := OpenDated(2, next, "visits-of-p")
	if err != nil || day.Format("2006-01-02") != "2025-05-12" || id != "01a24a11-9eb9-784b-8b73-7eb60e4e9857" {
		t.Fatalf("OpenDated = %v %q %v", day, id, err)
	}
	if _, _, _, err := OpenDated(2, Seal("2025-05-12/not-an-id", Fingerprint("visits-of-p")), "visits-of-p"); err == nil {
		t.Fatal("a forged position was read")
	}
}

// Slice pages a list read whole: each page starts after the last item of the one before, an item added before
// the position does not move the pages after it, and the last page has no token.
func TestSlice(t *testing.T) {
	key := func(s string) string { return s }
	c, _ := Open(2, "", "scope")
	first, next := Slice(c, []string{"a", "c", "e"}, key)
	if len(first) != 2 || first[1] != "c" || next == "" {
		t.Fatalf("first page: %v %q", first, next)
	}
	c, err := Open(2, next, "scope")
	if err != nil {
		t.Fatal(err)
	}
	rest, last := Slice(c, []string{"a", "b", "c", "e"}, key)
	if len(rest) != 1 || rest[0] != "e" || last != "" {
		t.Fatalf("last page: %v %q", rest, last)
	}
}
