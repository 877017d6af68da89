package domain

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// maxSIELine bounds one line of an SIE file, so that a hostile file cannot make the parser hold gigabytes.
const maxSIELine = 64 << 10

// ParseSIE reads an SIE 4 file in PC8 as WriteSIE writes it: the labels WriteSIE uses, with unknown labels
// skipped, as the format asks of readers. It is meant for checking exported files (a round trip, the
// end-to-end test), not for importing other programs' books. Errors are a *fault.Invalid naming the line.
func ParseSIE(r io.Reader) (SIEFile, error) {
	var f SIEFile
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxSIELine)
	var ver *SIEVoucher
	inBlock := false
	n := 0
	fail := func(format string, args ...any) (SIEFile, error) {
		return SIEFile{}, fault.InvalidField(fmt.Sprintf("line %d", n), fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		n++
		toks, err := tokenizeSIE(strings.TrimRight(decodePC8(sc.Bytes()), "\r"))
		if err != nil {
			return fail("%v", err)
		}
		if len(toks) == 0 {
			continue
		}
		label, args := toks[0], toks[1:]
		switch {
		case label == "{":
			if ver == nil || inBlock {
				return fail("a { that does not open the transactions of a #VER")
			}
			inBlock = true
		case label == "}":
			if !inBlock {
				return fail("a } without a {")
			}
			f.Vouchers = append(f.Vouchers, *ver)
			ver, inBlock = nil, false
		case label == "#TRANS":
			if !inBlock || len(args) < 3 || args[1] != "{}" {
				return fail("#TRANS needs an account, {} and an amount, inside the { } of a #VER")
			}
			a, err := money.ParseDecimal(args[2], money.SEK, money.AnySign)
			if err != nil {
				return fail("the amount %q: %v", args[2], err)
			}
			ver.Trans = append(ver.Trans, SIETrans{Account: args[0], Amount: a})
		case inBlock:
			return fail("%s inside the transactions of a #VER", label)
		case label == "#VER":
			if len(args) < 3 {
				return fail("#VER needs a series, a number and a date")
			}
			num, err := strconv.Atoi(args[1])
			if err != nil {
				return fail("the voucher number %q is not a number", args[1])
			}
			d, err := parseSIEDate(args[2])
			if err != nil {
				return fail("%v", err)
			}
			ver = &SIEVoucher{Series: args[0], Number: num, Date: d}
			if len(args) > 3 {
				ver.Text = args[3]
			}
		case ver != nil:
			return fail("a #VER must be followed by {")
		case label == "#PROGRAM" && len(args) >= 2:
			f.Program, f.Version = args[0], args[1]
		case label == "#FORMAT" && (len(args) != 1 || args[0] != "PC8"):
			return fail("only #FORMAT PC8 is read")
		case label == "#SIETYP" && (len(args) != 1 || args[0] != "4"):
			return fail("only #SIETYP 4 is read")
		case label == "#GEN" && len(args) >= 1:
			if f.Generated, err = parseSIEDate(args[0]); err != nil {
				return fail("%v", err)
			}
		case label == "#FNAMN" && len(args) >= 1:
			f.CompanyName = args[0]
		case label == "#KONTO" && len(args) >= 2:
			f.Accounts = append(f.Accounts, SIEAccount{Number: args[0], Name: args[1]})
		case !strings.HasPrefix(label, "#"):
			return fail("%q is not an SIE label", label)
		}
	}
	if err := sc.Err(); err != nil {
		return fail("%v", err)
	}
	if ver != nil || inBlock {
		return fail("the file ends inside a #VER")
	}
	return f, nil
}

// tokenizeSIE splits a line into fields: quoted strings (with \" and \\ escapes) lose their quotes, {…}
// object lists stay one field, anything else splits at spaces and tabs.
func tokenizeSIE(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '"':
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("a quoted text is not closed")
				}
				if s[i] == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '"' {
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			toks = append(toks, b.String())
		case c == '{' && len(toks) > 0:
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("a { is not closed")
			}
			toks = append(toks, s[i:i+end+1])
			i += end + 1
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func parseSIEDate(s string) (Date, error) {
	if len(s) != 8 {
		return Date{}, fmt.Errorf("%q is not a date written YYYYMMDD", s)
	}
	return civil.ParseDate(s[:4] + "-" + s[4:6] + "-" + s[6:])
}
