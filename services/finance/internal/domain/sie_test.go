package domain

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

func demoBatch() SIEFile {
	day := Date{Year: 2026, Month: 4, Day: 15}
	f := PaymentBatchSIE(`Malmö stad "MKB" \ Södra`, "batch-7", day, []BatchPayment{
		{ClaimID: "claim-1", Date: day, Amount: money.SEKOre(12_345_50)},
		{ClaimID: "claim-2", Date: day, Amount: money.SEKOre(99)},
	})
	return f
}

func TestSIERoundTrip(t *testing.T) {
	f := demoBatch()
	var buf bytes.Buffer
	if err := WriteSIE(&buf, f); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	for _, want := range []string{"#FLAGGA 0\r\n", "#FORMAT PC8\r\n", "#SIETYP 4\r\n", "#GEN 20260415\r\n",
		"#VER \"\" 1 20260415 \"ICLD utbetalning batch-7, ersättningsanspråk claim-1\"\r\n{\r\n   #TRANS 1930 {} 12345.50\r\n   #TRANS 3990 {} -12345.50\r\n}\r\n"} {
		if !strings.Contains(decodePC8(raw), want) {
			t.Errorf("file lacks %q:\n%s", want, decodePC8(raw))
		}
	}
	if !bytes.Contains(raw, []byte{'M', 'a', 'l', 'm', 0x94}) { // ö is 0x94 in code page 437
		t.Error("ö is not written in PC8")
	}
	back, err := ParseSIE(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, f) {
		t.Fatalf("round trip changed the file:\n got %+v\nwant %+v", back, f)
	}
}

func TestSIERefusesUnbalancedVoucher(t *testing.T) {
	f := demoBatch()
	f.Vouchers[0].Trans[1].Amount = money.SEKOre(-1)
	f.Vouchers[1].Trans[0].Account = "9999"
	var inv *fault.Invalid
	if err := WriteSIE(&bytes.Buffer{}, f); !errors.As(err, &inv) || len(inv.Violations) != 2 {
		t.Fatalf("WriteSIE = %v", err)
	}
}

func TestParseSIERefusals(t *testing.T) {
	for _, in := range []string{
		"#FORMAT UTF8\r\n",
		"#VER \"\" 1 20260101\r\n#KONTO 1930 \"x\"\r\n",
		"#VER \"\" 1 20260101\r\n{\r\n#TRANS 1930 {} 1.234\r\n}\r\n",
		"#VER \"\" 1 20261301\r\n",
		"#VER \"\" 1 20260101\r\n{\r\n",
		"}\r\n",
		"#FNAMN \"open\r\n",
		"nonsense\r\n",
	} {
		if _, err := ParseSIE(strings.NewReader(in)); err == nil {
			t.Errorf("ParseSIE(%q) accepted", in)
		}
	}
}

// FuzzParseSIE checks that the parser never panics and that whatever it accepts, written again (when valid),
// reads back the same.
func FuzzParseSIE(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteSIE(&buf, demoBatch()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("#KONTO 1930 \"a\\\"b\"\r\n#UNKNOWN {x y}\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseSIE(bytes.NewReader(data))
		if err != nil || got.Validate() != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteSIE(&out, got); err != nil {
			t.Fatalf("a valid parsed file cannot be written: %v", err)
		}
		again, err := ParseSIE(&out)
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%q", err, out.String())
		}
		if again.Generated != got.Generated || len(again.Vouchers) != len(got.Vouchers) || len(again.Accounts) != len(got.Accounts) {
			t.Fatalf("second round trip differs: %+v vs %+v", again, got)
		}
	})
}
