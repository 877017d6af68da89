package domain

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// SIE 4 is the Swedish accounting interchange format (SIE-Gruppen, "SIE filformat ver 4B"). The writer emits
// the subset a payment batch needs: #FLAGGA, #PROGRAM, #FORMAT PC8, #GEN, #SIETYP 4, #FNAMN, #KONTO and #VER
// with #TRANS lines. PC8 means code page 437, which every Swedish bookkeeping program reads.

// cp437High holds the characters of code page 437 from byte 0x80 to 0xFF, in byte order.
const cp437High = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0"

var (
	cp437Decode [128]rune
	cp437Encode = map[rune]byte{}
)

func init() {
	i := 0
	for _, r := range cp437High {
		cp437Decode[i] = r
		cp437Encode[r] = byte(0x80 + i)
		i++
	}
}

// encodePC8 writes s in code page 437. Characters the code page lacks (ł, č, Cyrillic) become '?': a name
// with one wrong letter is better than a file the bookkeeping program refuses.
func encodePC8(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch b, ok := cp437Encode[r]; {
		case r >= 0x20 && r < 0x7f:
			out = append(out, byte(r))
		case ok:
			out = append(out, b)
		default:
			out = append(out, '?')
		}
	}
	return out
}

// decodePC8 reads code page 437 bytes into a string.
func decodePC8(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c < 0x80 {
			sb.WriteByte(c)
		} else {
			sb.WriteRune(cp437Decode[c-0x80])
		}
	}
	return sb.String()
}

// SIEAccount is an account of the receiving municipality's chart (BAS), four digits and a name.
type SIEAccount struct {
	Number string
	Name   string
}

// SIETrans is one #TRANS line: an amount in SEK on an account, debit positive and credit negative.
type SIETrans struct {
	Account string
	Amount  money.Amount
}

// SIEVoucher is one #VER: a balanced voucher of the batch.
type SIEVoucher struct {
	// Series is the voucher series; empty lets the receiving program choose.
	Series string
	Number int
	Date   Date
	Text   string
	Trans  []SIETrans
}

// SIEFile is what the writer writes and the parser reads back.
type SIEFile struct {
	Program, Version string
	Generated        Date
	CompanyName      string
	Accounts         []SIEAccount
	Vouchers         []SIEVoucher
}

// Default accounts of a payment, in the receiving municipality's BAS chart: the money arrives in the bank and
// is income from a contribution. A municipality with another chart changes them when importing.
const (
	SIEBankAccount   = "1930"
	SIEIncomeAccount = "3990"
)

// BatchPayment is one claim paid in a payment batch, as the receiving municipality books it.
type BatchPayment struct {
	ClaimID string
	Date    Date
	Amount  money.Amount
}

// PaymentBatchSIE builds the SIE file of a payment batch for one municipality: one voucher per paid claim,
// debiting the bank and crediting income.
func PaymentBatchSIE(municipality, batchID string, generated Date, payments []BatchPayment) SIEFile {
	f := SIEFile{Program: "Partnerskap", Version: "1.0", Generated: generated, CompanyName: municipality,
		Accounts: []SIEAccount{{SIEBankAccount, "Företagskonto"}, {SIEIncomeAccount, "Övriga ersättningar och intäkter"}}}
	for i, p := range payments {
		neg := money.Amount{Minor: -p.Amount.Minor, Currency: p.Amount.Currency}
		f.Vouchers = append(f.Vouchers, SIEVoucher{Series: "", Number: i + 1, Date: p.Date,
			Text:  fmt.Sprintf("ICLD utbetalning %s, ersättningsanspråk %s", batchID, p.ClaimID),
			Trans: []SIETrans{{SIEBankAccount, p.Amount}, {SIEIncomeAccount, neg}}})
	}
	return f
}

// Validate checks what a bookkeeping program would otherwise reject on import: four-digit declared accounts,
// amounts in SEK, valid dates and vouchers that balance. It returns a *fault.Invalid naming fields.
func (f SIEFile) Validate() error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	declared := map[string]bool{}
	for i, a := range f.Accounts {
		if len(a.Number) != 4 || !allDigits(a.Number) {
			v.Add(fmt.Sprintf("accounts[%d].number", i), fmt.Sprintf("%q is not a four-digit account number", a.Number))
		}
		declared[a.Number] = true
	}
	if !f.Generated.Valid() || f.Generated.IsZero() {
		v.Add("generated", "give the day the file is made")
	}
	for i, ver := range f.Vouchers {
		at := fmt.Sprintf("vouchers[%d]", i)
		if !ver.Date.Valid() || ver.Date.IsZero() {
			v.Add(at+".date", "give the voucher's date")
		}
		sum := money.Zero(money.SEK)
		for j, t := range ver.Trans {
			at := fmt.Sprintf("%s.trans[%d]", at, j)
			if !declared[t.Account] {
				v.Add(at+".account", fmt.Sprintf("the account %q is not in the file's #KONTO list", t.Account))
			}
			s, err := sum.Add(t.Amount)
			if err != nil {
				v.Add(at+".amount", "give an amount in SEK; the voucher's amounts must sum within the range this system counts")
				continue
			}
			sum = s
		}
		if !sum.IsZero() {
			v.Add(at+".trans", fmt.Sprintf("the voucher does not balance: it is off by %s", sum))
		}
	}
	return v.Err()
}

// WriteSIE writes f as an SIE 4 file in PC8 with CRLF line ends, after Validate.
func WriteSIE(w io.Writer, f SIEFile) error {
	if err := f.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	line := func(parts ...string) { bw.Write(encodePC8(strings.Join(parts, " "))); bw.WriteString("\r\n") }
	line("#FLAGGA", "0")
	line("#PROGRAM", quoteSIE(f.Program), quoteSIE(f.Version))
	line("#FORMAT", "PC8")
	line("#GEN", sieDate(f.Generated))
	line("#SIETYP", "4")
	line("#FNAMN", quoteSIE(f.CompanyName))
	for _, a := range f.Accounts {
		line("#KONTO", a.Number, quoteSIE(a.Name))
	}
	for _, ver := range f.Vouchers {
		line("#VER", quoteSIE(ver.Series), fmt.Sprint(ver.Number), sieDate(ver.Date), quoteSIE(ver.Text))
		line("{")
		for _, t := range ver.Trans {
			line("   #TRANS", t.Account, "{}", t.Amount.Decimal())
		}
		line("}")
	}
	return bw.Flush()
}

// quoteSIE quotes a text field; quotes and backslashes are escaped with a backslash, and control characters,
// which would break the line structure, become spaces.
func quoteSIE(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func sieDate(d Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
