package iati

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// maxMinor bounds every amount (SEK 1 000 000 000 000 in öre, some twenty times Sweden's yearly aid): a larger
// value is a typing or unit mistake, and the bound keeps every value exact for readers that parse it into a
// float64 (2^53 is about 9e15).
const maxMinor int64 = 100_000_000_000_000

// Problems is the error Check and CheckHeader return: everything wrong with one activity or header at once, so
// the data can be fixed in one pass rather than one refusal at a time.
type Problems struct {
	// Subject names what was checked: `activity "SE-ON-2021004284-P-17"` or "header".
	Subject string
	// List holds one sentence per problem, in the order of the document's elements.
	List []string
}

func (p *Problems) Error() string {
	return "iati: " + p.Subject + ": " + strings.Join(p.List, "; ")
}

// checker collects problems against the loaded codelists.
type checker struct {
	lists    map[string]codelist
	problems []string
}

func newChecker() (*checker, error) {
	lists, err := codelists()
	if err != nil {
		return nil, err
	}
	return &checker{lists: lists}, nil
}

func (c *checker) addf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// code records a problem unless code is an active item of the named list; what names the field.
func (c *checker) code(what, list, code string) {
	if why := c.lists[list].lookup(list, code); why != "" {
		c.addf("%s %q %s", what, code, why)
	}
}

func (c *checker) intCode(what, list string, code int) { c.code(what, list, strconv.Itoa(code)) }

func (c *checker) result(subject string) error {
	if len(c.problems) == 0 {
		return nil
	}
	return &Problems{Subject: subject, List: c.problems}
}

// CheckHeader returns a *Problems naming everything wrong with h: a missing generation time or name, a
// reporting-org ref whose agency is not in the OrganisationRegistrationAgency codelist, and an organisation
// type, currency or language that is not in its codelist.
func CheckHeader(h Header) error {
	c, err := newChecker()
	if err != nil {
		return err
	}
	if h.GeneratedAt.IsZero() {
		c.addf("the generation time is missing")
	}
	c.orgRef("reporting-org ref", h.ReportingOrgRef)
	if strings.TrimSpace(h.ReportingOrgName) == "" {
		c.addf("the reporting organisation's name is empty")
	}
	c.code("reporting-org type", listOrganisationType, h.ReportingOrgType)
	c.code("default currency", listCurrency, h.DefaultCurrency)
	c.code("language", listLanguage, h.Lang)
	return c.result("header")
}

// Check returns a *Problems naming every code of a that is not an active item of the copied codelists
// (activity status, organisation role and type, country, sector per
// vocabulary, related-activity type, transaction type, currency) and every IATI rule the writer relies on
// that a breaks: an identifier, title and description; a planned or actual start and ends not before starts;
// at least one participating organisation, each with a ref or a name; sector percentages of 1 to 100 adding up
// to exactly 100 per vocabulary; budget periods of at most one year that do not overlap, with values from 0;
// transactions with a date; every amount within ±SEK 1 000 000 000 000.
//
// Rules that need the header (identifier prefix, actual dates not after the generation date) are checked by
// Write.
func Check(a Activity) error {
	c, err := newChecker()
	if err != nil {
		return err
	}
	c.identity(a)
	c.dates(a)
	c.participants(a.Participants)
	if a.RecipientCountry != "" {
		c.code("recipient country", listCountry, a.RecipientCountry)
	}
	c.sectors(a.Sectors)
	c.budgets(a.Budgets)
	c.transactions(a.Transactions)
	c.related(a.Identifier, a.Related)
	c.documents(a.Documents)
	c.results(a.Results)
	return c.result(fmt.Sprintf("activity %q", a.Identifier))
}

// documents checks the document links: a URL, a media type, a title and a DocumentCategory code each.
func (c *checker) documents(ds []DocumentLink) {
	for i, d := range ds {
		if d.URL == "" || d.Format == "" || strings.TrimSpace(d.Title) == "" {
			c.addf("document link %d needs a URL, a format and a title", i+1)
		}
		c.code(fmt.Sprintf("document link %d's category", i+1), listDocumentCategory, d.Category)
	}
}

// results checks the results: a ResultType code and a title each, at least one indicator (the schema asks
// for one), each with a measure of IndicatorMeasure (1 to 5), a title, and periods that end after they start.
func (c *checker) results(rs []Result) {
	for i, r := range rs {
		c.intCode(fmt.Sprintf("result %d's type", i+1), listResultType, r.Type)
		if strings.TrimSpace(r.Title) == "" {
			c.addf("result %d has no title", i+1)
		}
		if len(r.Indicators) == 0 {
			c.addf("result %d has no indicator: IATI needs one", i+1)
		}
		for j, ind := range r.Indicators {
			at := fmt.Sprintf("result %d, indicator %d", i+1, j+1)
			if ind.Measure < 1 || ind.Measure > 5 {
				c.addf("%s: measure %d is not an IndicatorMeasure code (1 to 5)", at, ind.Measure)
			}
			if strings.TrimSpace(ind.Title) == "" {
				c.addf("%s has no title", at)
			}
			for k, p := range ind.Periods {
				if !c.date(fmt.Sprintf("%s, period %d start", at, k+1), p.Start) || !c.date(fmt.Sprintf("%s, period %d end", at, k+1), p.End) || p.End.Before(p.Start) {
					c.addf("%s, period %d: needs a start and an end on or after it", at, k+1)
				}
			}
		}
	}
}

func (c *checker) identity(a Activity) {
	c.identifier("identifier", a.Identifier)
	if a.HierarchyLevel < 1 {
		c.addf("hierarchy level %d is below 1 (1 network, 2 partnership, 3 application)", a.HierarchyLevel)
	}
	if strings.TrimSpace(a.Title) == "" {
		c.addf("the title is empty")
	}
	if strings.TrimSpace(a.Description) == "" {
		c.addf("the description is empty")
	}
	c.intCode("activity status", listActivityStatus, a.Status)
}

// identifier applies IATI's rules for activity identifiers: present, no white space, none of / & | ? (they
// break the URLs that address activities).
func (c *checker) identifier(what, id string) bool {
	switch {
	case id == "":
		c.addf("the %s is empty", what)
	case strings.ContainsAny(id, " \t\r\n"):
		c.addf("the %s %q contains white space", what, id)
	case strings.ContainsAny(id, "/&|?"):
		c.addf("the %s %q contains one of / & | ?, which IATI identifiers may not", what, id)
	default:
		return true
	}
	return false
}

// orgRef checks the publisher's organisation identifier: {agency}-{number}, the agency an active item of the
// OrganisationRegistrationAgency codelist (agencies themselves contain hyphens, e.g. SE-ON, XM-DAC).
func (c *checker) orgRef(what, ref string) {
	if !c.identifier(what, ref) {
		return
	}
	agencies := c.lists[listRegistrationAgency]
	for i := strings.IndexByte(ref, '-'); i > 0 && i < len(ref)-1; {
		if active, known := agencies[ref[:i]]; known {
			if !active {
				c.addf("%s %q: agency %s is withdrawn from the %s codelist", what, ref, ref[:i], listRegistrationAgency)
			}
			return
		}
		next := strings.IndexByte(ref[i+1:], '-')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	c.addf("%s %q does not start with an agency of the %s codelist and a hyphen (e.g. SE-ON-2120001124)",
		what, ref, listRegistrationAgency)
}

// date records a problem when d is set but not a real date within civil's years.
func (c *checker) date(what string, d Date) bool {
	if d.IsZero() {
		return false
	}
	if !d.Valid() || d.Year < civil.MinYear || d.Year > civil.MaxYear {
		c.addf("%s %04d-%02d-%02d is not a date between %d and %d", what, d.Year, int(d.Month), d.Day, civil.MinYear, civil.MaxYear)
		return false
	}
	return true
}

func (c *checker) dates(a Activity) {
	ps := c.date("planned start", a.PlannedStart)
	pe := c.date("planned end", a.PlannedEnd)
	as := c.date("actual start", a.ActualStart)
	ae := c.date("actual end", a.ActualEnd)
	switch {
	case a.PlannedStart.IsZero() && a.ActualStart.IsZero():
		c.addf("neither a planned nor an actual start date: IATI needs one")
	case ps && pe && a.PlannedEnd.Before(a.PlannedStart):
		c.addf("the planned end %s is before the planned start %s", a.PlannedEnd, a.PlannedStart)
	}
	switch {
	case !a.ActualEnd.IsZero() && a.ActualStart.IsZero():
		c.addf("an actual end without an actual start")
	case as && ae && a.ActualEnd.Before(a.ActualStart):
		c.addf("the actual end %s is before the actual start %s", a.ActualEnd, a.ActualStart)
	}
}

func (c *checker) participants(ps []Participant) {
	if len(ps) == 0 {
		c.addf("no participating organisation: IATI needs at least one")
	}
	for i, p := range ps {
		what := fmt.Sprintf("participant %d (%s)", i+1, nameOf(p.Name, p.Ref))
		c.intCode(what+" role", listOrganisationRole, p.Role)
		if p.Type != "" {
			c.code(what+" type", listOrganisationType, p.Type)
		}
		if p.Ref != "" {
			// Only the shape: partners may carry identifiers from before the agency codelist, such as Sida's
			// SE-0, which IATI still accepts.
			c.identifier(what+" ref", p.Ref)
		} else if strings.TrimSpace(p.Name) == "" {
			c.addf("participant %d has neither a ref nor a name", i+1)
		}
	}
}

// nameOf returns the first non-blank string, for naming things in messages.
func nameOf(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return "unnamed"
}

func (c *checker) sectors(ss []Sector) {
	var vocabularies []string // in first-seen order, so messages come out in a stable order
	sums := map[string]int{}
	seen := map[[2]string]bool{}
	for _, s := range ss {
		list, ok := sectorLists[s.Vocabulary]
		switch {
		case c.lists[listSectorVocabulary].lookup(listSectorVocabulary, s.Vocabulary) != "":
			c.code("sector vocabulary", listSectorVocabulary, s.Vocabulary)
			continue
		case !ok:
			c.addf("sector vocabulary %q has no codelist here: use 1 (DAC 5-digit), 7 (SDG goal) or 8 (SDG target)", s.Vocabulary)
			continue
		}
		c.code("sector (vocabulary "+s.Vocabulary+")", list, s.Code)
		if key := [2]string{s.Vocabulary, s.Code}; seen[key] {
			c.addf("sector %s appears twice in vocabulary %s", s.Code, s.Vocabulary)
		} else {
			seen[key] = true
		}
		if s.Percentage < 1 || s.Percentage > 100 {
			c.addf("sector %s (vocabulary %s) has the percentage %d; each must be 1 to 100", s.Code, s.Vocabulary, s.Percentage)
		}
		if _, ok := sums[s.Vocabulary]; !ok {
			vocabularies = append(vocabularies, s.Vocabulary)
		}
		sums[s.Vocabulary] += s.Percentage
	}
	for _, v := range vocabularies {
		if sums[v] != 100 {
			c.addf("the sector percentages of vocabulary %s add up to %d, not 100", v, sums[v])
		}
	}
}

func (c *checker) budgets(bs []Budget) {
	for i, b := range bs {
		what := fmt.Sprintf("budget %d", i+1)
		start, end := c.date(what+" start", b.Start), c.date(what+" end", b.End)
		switch {
		case b.Start.IsZero() || b.End.IsZero():
			c.addf("%s needs both a start and an end", what)
		case start && end && b.End.Before(b.Start):
			c.addf("%s ends (%s) before it starts (%s)", what, b.End, b.Start)
		case start && end && !b.End.Before(b.Start.AddMonths(12)):
			c.addf("%s runs from %s to %s, longer than a year: split it by calendar year", what, b.Start, b.End)
		}
		if b.ValueMinor < 0 {
			c.addf("%s is negative (%s)", what, formatMinor(b.ValueMinor))
		}
		c.amount(what, b.ValueMinor, b.Currency, b.ValueDate)
	}
	c.budgetOverlaps(bs)
}

// budgetOverlaps refuses periods that share a day: IATI adds budgets up per period, so an overlap counts
// money twice.
func (c *checker) budgetOverlaps(bs []Budget) {
	order := make([]int, 0, len(bs))
	for i, b := range bs {
		if !b.Start.IsZero() && !b.End.IsZero() {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(x, y int) int { return bs[x].Start.Compare(bs[y].Start) })
	for k := 1; k < len(order); k++ {
		prev, cur := order[k-1], order[k]
		if !bs[cur].Start.After(bs[prev].End) {
			c.addf("budget %d (%s to %s) overlaps budget %d (%s to %s)", cur+1, bs[cur].Start, bs[cur].End,
				prev+1, bs[prev].Start, bs[prev].End)
		}
	}
}

func (c *checker) transactions(ts []Transaction) {
	for i, t := range ts {
		what := fmt.Sprintf("transaction %d", i+1)
		c.intCode(what+" type", listTransactionType, t.Type)
		if t.Date.IsZero() {
			c.addf("%s has no date", what)
		}
		c.date(what+" date", t.Date)
		c.amount(what, t.ValueMinor, t.Currency, t.ValueDate)
	}
}

// amount checks what budgets and transactions share: the size bound, the currency and the value date.
func (c *checker) amount(what string, minor int64, currency string, valueDate Date) {
	if minor > maxMinor || minor < -maxMinor {
		c.addf("%s value %s is beyond ±%s", what, formatMinor(minor), formatMinor(maxMinor))
	}
	if currency != "" {
		c.code(what+" currency", listCurrency, currency)
	}
	c.date(what+" value date", valueDate)
}

func (c *checker) related(self string, rs []Related) {
	for i, r := range rs {
		what := fmt.Sprintf("related activity %d", i+1)
		c.intCode(what+" type", listRelatedActivityType, r.Type)
		c.identifier(what+" ref", r.Ref)
		if r.Ref != "" && r.Ref == self {
			c.addf("%s points at the activity itself", what)
		}
	}
}

// checkAgainstHeader applies the rules that need both: the identifier starts with the reporting
// organisation's ref, and nothing happened "actually" after the day the document was made (in Sweden).
func checkAgainstHeader(h Header, a Activity) []string {
	var problems []string
	if !strings.HasPrefix(a.Identifier, h.ReportingOrgRef+"-") || len(a.Identifier) == len(h.ReportingOrgRef)+1 {
		problems = append(problems, fmt.Sprintf("the identifier does not start with the reporting-org ref %s and a hyphen, followed by the local id", h.ReportingOrgRef))
	}
	today := civil.DateOf(h.GeneratedAt)
	for _, d := range []struct {
		what string
		date Date
	}{{"actual start", a.ActualStart}, {"actual end", a.ActualEnd}} {
		if d.date.After(today) {
			problems = append(problems, fmt.Sprintf("the %s %s is after the document's date %s", d.what, d.date, today))
		}
	}
	return problems
}
