package domain

import (
	"fmt"
	"sort"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
)

// Years a budget line may name: wide enough for every real budget, narrow enough to catch "226" for "2026".
const (
	minBudgetYear = 2000
	maxBudgetYear = 2100
	// maxWorkHours bounds hours on one line: a year of full-time work for a large team, no more.
	maxWorkHours = 100_000
)

// Line is one line of a budget: what is planned to be spent on a category in a calendar year.
type Line struct {
	// ID is stable across revisions, so that claims can name the line and revisions can be compared.
	ID       string
	Category Category
	// Year is the calendar year the cost falls in; per-year caps are checked year by year.
	Year        int
	Description string
	// Amount is the planned cost in SEK. For work input it must equal Hours × HourlyRate.
	Amount money.Amount
	// Hours and HourlyRate describe work input; both are empty for other categories.
	Hours      int64
	HourlyRate money.Amount
}

// ValidateLines checks each line on its own: a known category, a plausible year, a positive amount in SEK and,
// for work input, hours and an hourly rate that multiply to the amount. IDs must be unique. It returns a
// *fault.Invalid naming fields "lines[i].<field>", or nil. Ineligible categories are not bad input but a
// programme rule; CheckBudget reports them.
func ValidateLines(lines []Line) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	ids := map[string]int{}
	for i, l := range lines {
		at := fmt.Sprintf("lines[%d]", i)
		if l.ID != "" {
			if j, dup := ids[l.ID]; dup {
				v.Add(at+".id", fmt.Sprintf("lines[%d] already has the id %q", j, l.ID))
			}
			ids[l.ID] = i
		}
		if !l.Category.Valid() {
			v.Add(at+".category", unknownCategory(l.Category))
		}
		if l.Year < minBudgetYear || l.Year > maxBudgetYear {
			v.Add(at+".year", fmt.Sprintf("%d is not a budget year; give a year from %d to %d", l.Year, minBudgetYear, maxBudgetYear))
		}
		if l.Amount.Currency != money.SEK {
			v.Add(at+".amount", fmt.Sprintf("budgets are in SEK, not %q", l.Amount.Currency))
		} else if !l.Amount.IsPositive() {
			v.Add(at+".amount", "give an amount above 0 SEK; leave out lines with nothing planned")
		}
		if l.Category == CategoryWorkInput {
			validateWorkInput(v, l, at)
		} else if l.Hours != 0 || l.HourlyRate != (money.Amount{}) {
			v.Add(at+".hours", fmt.Sprintf("hours and an hourly rate belong to work input only, not to %s", l.Category.Label()))
		}
	}
	return v.Err()
}

func validateWorkInput(v *fault.Invalid, l Line, at string) {
	ok := true
	if l.Hours <= 0 || l.Hours > maxWorkHours {
		v.Add(at+".hours", fmt.Sprintf("give the hours of work input, 1 to %d", maxWorkHours))
		ok = false
	}
	if l.HourlyRate.Currency != money.SEK || !l.HourlyRate.IsPositive() {
		v.Add(at+".hourly_rate", "give the hourly rate in SEK, above 0")
		ok = false
	}
	if !ok || l.Amount.Currency != money.SEK {
		return
	}
	want, err := l.HourlyRate.Mul(l.Hours)
	if err != nil {
		v.Add(at+".hourly_rate", err.Error())
	} else if want != l.Amount {
		v.Add(at+".amount", fmt.Sprintf("work input is hours × hourly rate: %d × %s = %s, not %s", l.Hours, l.HourlyRate, want, l.Amount))
	}
}

// CheckBudget checks lines against the programme's rules for one cap and reports every violation at once, so
// that an applicant can fix the whole budget in one go:
//   - a line in an ineligible category (salaries, per diems, extra days), with the reason;
//   - eligible lines over the cap, per calendar year when the cap is per year, else over the whole phase;
//   - work-input lines over the work-input share, where the cap has one.
//
// Malformed lines give a *fault.Invalid (see ValidateLines); rule violations a *fault.FailedPrecondition with
// Reason BUDGET_RULES and one violation per problem; a budget within the rules gives nil.
func CheckBudget(lines []Line, c Cap) error {
	if err := ValidateLines(lines); err != nil {
		return err
	}
	var vs []fault.PreconditionViolation
	type sums struct{ total, work money.Amount }
	byYear := map[int]*sums{}
	for i, l := range lines {
		if !l.Category.Eligible() {
			vs = append(vs, fault.PreconditionViolation{Type: "ELIGIBILITY", Subject: fmt.Sprintf("lines[%d]", i), Description: l.Category.Refusal()})
			continue
		}
		year := l.Year
		if !c.PerYear {
			year = 0 // one bucket for the whole phase
		}
		s := byYear[year]
		if s == nil {
			s = &sums{money.Zero(money.SEK), money.Zero(money.SEK)}
			byYear[year] = s
		}
		var err error
		if s.total, err = s.total.Add(l.Amount); err != nil {
			return money.Invalid(err, fmt.Sprintf("lines[%d].amount", i))
		}
		if l.Category == CategoryWorkInput {
			if s.work, err = s.work.Add(l.Amount); err != nil {
				return money.Invalid(err, fmt.Sprintf("lines[%d].amount", i))
			}
		}
	}
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	sort.Ints(years) // map order would change the answer between identical requests
	for _, y := range years {
		s := byYear[y]
		scope, subject := "the whole phase", "budget"
		if c.PerYear {
			scope, subject = fmt.Sprintf("%d", y), fmt.Sprintf("year %d", y)
		}
		if s.total.Minor > c.Total.Minor {
			vs = append(vs, fault.PreconditionViolation{Type: "CAP", Subject: subject, Description: fmt.Sprintf(
				"the eligible costs for %s come to %s, over the cap of %s for %s", scope, s.total, c.Total, c.Key)})
		}
		if c.LimitsWorkInput && s.work.Minor > c.WorkInputMax.Minor {
			vs = append(vs, fault.PreconditionViolation{Type: "WORK_INPUT_SHARE", Subject: subject, Description: fmt.Sprintf(
				"work input for %s comes to %s, over the work-input share of %s for %s", scope, s.work, c.WorkInputMax, c.Key)})
		}
	}
	if len(vs) == 0 {
		return nil
	}
	msg := vs[0].Description
	if len(vs) > 1 {
		msg = fmt.Sprintf("the budget breaks %d programme rules; the first: %s", len(vs), msg)
	}
	return &fault.FailedPrecondition{Reason: ReasonBudgetRules, Message: msg, Violations: vs}
}

// CheckLineYears refuses lines whose year the application does not run in: a per-year cap is checked year
// by year, so a line in a year outside the application would add a cap's worth of money. It returns a
// *fault.Invalid naming "lines[i].year", or nil.
func CheckLineYears(lines []Line, app Application) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	for i, l := range lines {
		if l.Year < app.Start.Year || l.Year > app.End.Year {
			v.Add(fmt.Sprintf("lines[%d].year", i), fmt.Sprintf("the application runs %s to %s; a line's year must be one it runs in, %d to %d",
				app.Start, app.End, app.Start.Year, app.End.Year))
		}
	}
	return v.Err()
}

// Total returns the sum of the lines' amounts in SEK, refusing a sum past the int64 range.
func Total(lines []Line) (money.Amount, error) {
	t := money.Zero(money.SEK)
	for _, l := range lines {
		var err error
		if t, err = t.Add(l.Amount); err != nil {
			return money.Amount{}, err
		}
	}
	return t, nil
}
