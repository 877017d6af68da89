package console

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The application's content as its edit form holds it: every value as the text the person typed (numbers
// too, never floats), rows of each repeating group in order. Input names are the API's field paths under
// "application." with the form's row numbers ("objectives[0].results[1].indicators[0].target.value"), so a
// field violation of a sent row names the input it came from once empty rows are gone (see compact).

// appForm is the edit form as read or typed.
type appForm struct {
	Etag, StartDate, EndDate                             string
	Purpose, Problem, GenderAndInclusion, AntiCorruption string
	Objectives                                           []objectiveRow
	Activities                                           []activityRow
	Risks                                                []riskRow
	// RevisionReason is why ICLD changes an approved application; sent beside it, never part of it.
	RevisionReason string
}

type objectiveRow struct {
	ID, Statement string
	Results       []resultRow
}

type resultRow struct {
	ID, Level, Statement string
	Indicators           []indicatorRow
}

type indicatorRow struct {
	ID, Name, Measure, Unit, Measurement string
	Baseline, Target                     valueRow
}

// valueRow is an indicator value: the number as typed, its day as year-month-day, a comment.
type valueRow struct{ Value, Date, Comment string }

type activityRow struct{ ID, Year, ObjectiveID, Description string }

type riskRow struct{ Description, Mitigation string }

// appFormOf fills the form from the application as the API gave it.
func appFormOf(a application) appForm {
	f := appForm{Etag: a.Etag, StartDate: formatDay(a.StartDate), EndDate: formatDay(a.EndDate), Purpose: a.Purpose, Problem: a.Problem,
		GenderAndInclusion: a.GenderAndInclusion, AntiCorruption: a.AntiCorruption}
	for _, o := range a.Objectives {
		or := objectiveRow{ID: o.ID, Statement: o.Statement}
		for _, r := range o.Results {
			rr := resultRow{ID: r.ID, Level: r.Level, Statement: r.Statement}
			for _, ind := range r.Indicators {
				rr.Indicators = append(rr.Indicators, indicatorRow{ID: ind.ID, Name: ind.Name, Measure: ind.Measure, Unit: ind.Unit,
					Measurement: ind.Measurement, Baseline: valueRowOf(ind.Baseline), Target: valueRowOf(ind.Target)})
			}
			or.Results = append(or.Results, rr)
		}
		f.Objectives = append(f.Objectives, or)
	}
	for _, act := range a.PlannedActivities {
		year := ""
		if act.Year != 0 {
			year = strconv.Itoa(act.Year)
		}
		f.Activities = append(f.Activities, activityRow{ID: act.ID, Year: year, ObjectiveID: act.ObjectiveID, Description: act.Description})
	}
	for _, r := range a.Risks {
		f.Risks = append(f.Risks, riskRow(r))
	}
	return f
}

func valueRowOf(v *indicatorValue) valueRow {
	if v == nil {
		return valueRow{}
	}
	return valueRow{Value: v.Value, Date: v.Day(), Comment: v.Comment}
}

// maxRows bounds how many rows of one group the form reads, a little over the API's largest limit (200
// planned activities), so a crafted form cannot make the console loop long.
const maxRows = 210

// appFormFrom reads the posted form. Rows are read from 0 up while any input of the row was sent.
func appFormFrom(v url.Values) appForm {
	get := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	has := func(prefix string) bool {
		for name := range v {
			if strings.HasPrefix(name, prefix) {
				return true
			}
		}
		return false
	}
	// A browser sends a text area's line breaks as CRLF; the API keeps LF, and an unchanged text is not a change.
	prose := func(name string) string { return strings.ReplaceAll(v.Get(name), "\r\n", "\n") }
	f := appForm{Etag: v.Get("etag"), StartDate: get("startDate"), EndDate: get("endDate"), Purpose: prose("purpose"), Problem: prose("problem"),
		GenderAndInclusion: prose("genderAndInclusion"), AntiCorruption: prose("antiCorruption"), RevisionReason: prose("revisionReason")}
	for i := 0; i < maxRows && has(fmt.Sprintf("objectives[%d].", i)); i++ {
		o := fmt.Sprintf("objectives[%d].", i)
		or := objectiveRow{ID: get(o + "id"), Statement: get(o + "statement")}
		for j := 0; j < maxRows && has(fmt.Sprintf("%sresults[%d].", o, j)); j++ {
			r := fmt.Sprintf("%sresults[%d].", o, j)
			rr := resultRow{ID: get(r + "id"), Level: get(r + "level"), Statement: get(r + "statement")}
			for k := 0; k < maxRows && has(fmt.Sprintf("%sindicators[%d].", r, k)); k++ {
				n := fmt.Sprintf("%sindicators[%d].", r, k)
				rr.Indicators = append(rr.Indicators, indicatorRow{ID: get(n + "id"), Name: get(n + "name"), Measure: get(n + "measure"),
					Unit: get(n + "unit"), Measurement: get(n + "measurement"),
					Baseline: valueRow{Value: get(n + "baseline.value"), Date: get(n + "baseline.date"), Comment: get(n + "baseline.comment")},
					Target:   valueRow{Value: get(n + "target.value"), Date: get(n + "target.date"), Comment: get(n + "target.comment")}})
			}
			or.Results = append(or.Results, rr)
		}
		f.Objectives = append(f.Objectives, or)
	}
	for i := 0; i < maxRows && has(fmt.Sprintf("plannedActivities[%d].", i)); i++ {
		a := fmt.Sprintf("plannedActivities[%d].", i)
		f.Activities = append(f.Activities, activityRow{ID: get(a + "id"), Year: get(a + "year"), ObjectiveID: get(a + "objectiveId"), Description: get(a + "description")})
	}
	for i := 0; i < maxRows && has(fmt.Sprintf("risks[%d].", i)); i++ {
		r := fmt.Sprintf("risks[%d].", i)
		f.Risks = append(f.Risks, riskRow{Description: get(r + "description"), Mitigation: get(r + "mitigation")})
	}
	return f
}

// compact drops the rows the person left empty (the form always offers one empty row of each kind), so
// the rows sent are the rows shown again, and a field violation's index names the row on the page.
func (f appForm) compact() appForm {
	out := f
	out.Objectives = nil
	for _, o := range f.Objectives {
		var results []resultRow
		for _, r := range o.Results {
			var inds []indicatorRow
			for _, ind := range r.Indicators {
				if (ind != indicatorRow{}) {
					inds = append(inds, ind)
				}
			}
			r.Indicators = inds
			if r.ID != "" || r.Level != "" || r.Statement != "" || len(inds) > 0 {
				results = append(results, r)
			}
		}
		o.Results = results
		if o.ID != "" || o.Statement != "" || len(results) > 0 {
			out.Objectives = append(out.Objectives, o)
		}
	}
	out.Activities, out.Risks = nil, nil
	for _, a := range f.Activities {
		if (a != activityRow{}) {
			out.Activities = append(out.Activities, a)
		}
	}
	for _, r := range f.Risks {
		if strings.TrimSpace(r.Description) != "" || strings.TrimSpace(r.Mitigation) != "" {
			out.Risks = append(out.Risks, r)
		}
	}
	return out
}

// withEmptyRows is the form with one empty row to fill in at the end of each repeating group.
func (f appForm) withEmptyRows() appForm {
	out := f
	out.Objectives = make([]objectiveRow, 0, len(f.Objectives)+1)
	for _, o := range append(append([]objectiveRow{}, f.Objectives...), objectiveRow{}) {
		results := make([]resultRow, 0, len(o.Results)+1)
		for _, r := range append(append([]resultRow{}, o.Results...), resultRow{}) {
			r.Indicators = append(append([]indicatorRow{}, r.Indicators...), indicatorRow{})
			results = append(results, r)
		}
		o.Results = results
		out.Objectives = append(out.Objectives, o)
	}
	out.Activities = append(append([]activityRow{}, f.Activities...), activityRow{})
	out.Risks = append(append([]riskRow{}, f.Risks...), riskRow{})
	return out
}

// appFields are the fields of the update mask in the form's order, with the JSON name each has in a body.
var appFields = []struct{ mask, json string }{
	{"start_date", "startDate"}, {"end_date", "endDate"}, {"purpose", "purpose"}, {"problem", "problem"},
	{"objectives", "objectives"}, {"planned_activities", "plannedActivities"}, {"risks", "risks"},
	{"gender_and_inclusion", "genderAndInclusion"}, {"anti_corruption", "antiCorruption"},
}

// body is the (compacted) form as the API's Application JSON, by field; bad are the inputs the console
// could not read (a date or a year that is none), by input name, with nothing sent for them.
func (f appForm) body() (fields map[string]any, bad []string) {
	day := func(input, s string) any {
		if s == "" {
			return nil
		}
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			bad = append(bad, input)
			return nil
		}
		return map[string]int{"year": d.Year(), "month": int(d.Month()), "day": d.Day()}
	}
	value := func(input string, v valueRow) any {
		if (v == valueRow{}) {
			return nil
		}
		// The number goes as typed, a decimal comma read as the point the API writes: never a float.
		out := map[string]any{"value": strings.Replace(v.Value, ",", ".", 1), "comment": v.Comment}
		if d := day(input+".date", v.Date); d != nil {
			out["date"] = d
		}
		return out
	}
	objectives := []any{}
	for i, o := range f.Objectives {
		results := []any{}
		for j, r := range o.Results {
			inds := []any{}
			for k, ind := range r.Indicators {
				at := fmt.Sprintf("objectives[%d].results[%d].indicators[%d]", i, j, k)
				m := map[string]any{"id": ind.ID, "name": ind.Name, "measure": enumOrUnset(ind.Measure), "unit": ind.Unit, "measurement": ind.Measurement}
				if b := value(at+".baseline", ind.Baseline); b != nil {
					m["baseline"] = b
				}
				if t := value(at+".target", ind.Target); t != nil {
					m["target"] = t
				}
				inds = append(inds, m)
			}
			results = append(results, map[string]any{"id": r.ID, "level": enumOrUnset(r.Level), "statement": r.Statement, "indicators": inds})
		}
		objectives = append(objectives, map[string]any{"id": o.ID, "statement": o.Statement, "results": results})
	}
	activities := []any{}
	for i, a := range f.Activities {
		year := 0
		if a.Year != "" {
			n, err := strconv.Atoi(a.Year)
			if err != nil {
				bad = append(bad, fmt.Sprintf("plannedActivities[%d].year", i))
			}
			year = n
		}
		activities = append(activities, map[string]any{"id": a.ID, "year": year, "objectiveId": a.ObjectiveID, "description": a.Description})
	}
	risks := []any{}
	for _, r := range f.Risks {
		risks = append(risks, map[string]any{"description": r.Description, "mitigation": r.Mitigation})
	}
	fields = map[string]any{"startDate": day("startDate", f.StartDate), "endDate": day("endDate", f.EndDate), "purpose": f.Purpose,
		"problem": f.Problem, "objectives": objectives, "plannedActivities": activities, "risks": risks,
		"genderAndInclusion": f.GenderAndInclusion, "antiCorruption": f.AntiCorruption}
	return fields, bad
}

// enumOrUnset sends an enum left unchosen as the API's unspecified value (0), which it refuses beside the input.
func enumOrUnset(s string) any {
	if s == "" {
		return 0
	}
	return s
}

// changedBody is the PATCH body and update mask of what differs between the typed form and the
// application as it is now, each compared as the API would receive it.
func changedBody(typed, now appForm) (map[string]any, []string, []string) {
	sent, bad := typed.body()
	stored, _ := now.body()
	body, mask := map[string]any{}, []string{}
	for _, fld := range appFields {
		a, _ := json.Marshal(sent[fld.json])
		b, _ := json.Marshal(stored[fld.json])
		if string(a) != string(b) {
			body[fld.json], mask = sent[fld.json], append(mask, fld.mask)
		}
	}
	return body, mask, bad
}
