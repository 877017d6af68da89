package console

import (
	"fmt"
	"strconv"
	"strings"
)

// How the application edit form is drawn: sections of fieldsets, a fieldset per row of each repeating
// group (nested: an objective holds its results, a result its indicators), each input with its label, hint
// and problem. Built here rather than in the template so the template stays one recursive frame, and so
// the form's inputs (which a refusal's field paths are matched against) are listed in one place.

// editInput is one input of the form.
type editInput struct {
	Lang lang
	// Name is the input's name: the API's field path under "application." with the row numbers; ID is
	// the same with the brackets as dots, so a link to it needs no escaping ("objectives.0.statement").
	Name, ID, Label, Hint, Value string
	// Kind is text, number (typed as text, read exactly), date, textarea or select.
	Kind    string
	Options []editOption
	Error   *text
	// Where says which row the input belongs to, for the error summary ("Mål 1, Resultat 2").
	Where string
}

// editOption is a choice of a select.
type editOption struct{ Value, Label string }

// editGroup is a fieldset: a section or one row of a repeating group.
type editGroup struct {
	Legend string
	// New marks the empty row offered to add one more of its kind.
	New    bool
	Inputs []editInput
	Groups []editGroup
}

// summaryLine is an input with a problem, linked from the summary above the form.
type summaryLine struct {
	ID, Label string
	Problem   *text
}

// formView draws f in l with the problems in errs (nil for none).
type formView struct {
	l    lang
	errs map[string]*text
}

func (v formView) input(name, labelKey, kind, value, where string) editInput {
	in := editInput{Lang: v.l, Name: name, ID: inputID(name), Label: translate(v.l, "application.edit.input."+labelKey), Kind: kind, Value: value, Where: where, Error: v.errs[name]}
	switch {
	case kind == "date":
		in.Hint = translate(v.l, "applications.dateHint")
	case labelKey == "id":
		in.Hint = translate(v.l, "application.edit.idHint")
	case kind == "number":
		in.Hint = translate(v.l, "application.edit.valueHint")
	}
	return in
}

func (v formView) choice(name, labelKey, value, where, prefix string, values []string) editInput {
	in := v.input(name, labelKey, "select", value, where)
	in.Options = []editOption{{Value: "", Label: translate(v.l, "application.edit.choose")}}
	for _, val := range values {
		in.Options = append(in.Options, editOption{Value: val, Label: translate(v.l, prefix+val)})
	}
	return in
}

// row is a row's legend: "Mål 2", or "Nytt mål" for the empty row at the end.
func (v formView) row(kind string, i, n int) (string, bool) {
	if i == n-1 {
		return translate(v.l, "application.edit.new."+kind), true
	}
	return translate(v.l, "application.edit.row."+kind) + " " + strconv.Itoa(i+1), false
}

// sections are the form's fieldsets. f is drawn as it is: withEmptyRows has added the rows to fill in,
// which are the last of each group.
func (f appForm) sections(l lang, errs map[string]*text) []editGroup {
	v := formView{l: l, errs: errs}
	basics := editGroup{Legend: translate(l, "application.edit.basics"), Inputs: []editInput{
		v.input("startDate", "startDate", "date", f.StartDate, ""), v.input("endDate", "endDate", "date", f.EndDate, ""),
		v.input("purpose", "purpose", "textarea", f.Purpose, ""), v.input("problem", "problem", "textarea", f.Problem, "")}}
	framework := editGroup{Legend: translate(l, "application.results")}
	for i, o := range f.Objectives {
		at := fmt.Sprintf("objectives[%d]", i)
		legend, isNew := v.row("objectives", i, len(f.Objectives))
		og := editGroup{Legend: legend, New: isNew, Inputs: []editInput{v.input(at+".id", "id", "text", o.ID, legend), v.input(at+".statement", "statement", "textarea", o.Statement, legend)}}
		for j, r := range o.Results {
			rat := fmt.Sprintf("%s.results[%d]", at, j)
			rl, rNew := v.row("results", j, len(o.Results))
			where := legend + ", " + rl
			rg := editGroup{Legend: rl, New: rNew, Inputs: []editInput{v.input(rat+".id", "id", "text", r.ID, where),
				v.choice(rat+".level", "level", r.Level, where, "applications.level.", resultLevels), v.input(rat+".statement", "statement", "textarea", r.Statement, where)}}
			for k, ind := range r.Indicators {
				iat := fmt.Sprintf("%s.indicators[%d]", rat, k)
				il, iNew := v.row("indicators", k, len(r.Indicators))
				iw := where + ", " + il
				rg.Groups = append(rg.Groups, editGroup{Legend: il, New: iNew, Inputs: []editInput{
					v.input(iat+".id", "id", "text", ind.ID, iw), v.input(iat+".name", "name", "text", ind.Name, iw),
					v.choice(iat+".measure", "measure", ind.Measure, iw, "applications.measure.", indicatorMeasures),
					v.input(iat+".unit", "unit", "text", ind.Unit, iw),
					v.input(iat+".baseline.value", "baseline.value", "number", ind.Baseline.Value, iw),
					v.input(iat+".baseline.date", "baseline.date", "date", ind.Baseline.Date, iw),
					v.input(iat+".baseline.comment", "baseline.comment", "text", ind.Baseline.Comment, iw),
					v.input(iat+".target.value", "target.value", "number", ind.Target.Value, iw),
					v.input(iat+".target.date", "target.date", "date", ind.Target.Date, iw),
					v.input(iat+".target.comment", "target.comment", "text", ind.Target.Comment, iw),
					v.input(iat+".measurement", "measurement", "textarea", ind.Measurement, iw)}})
			}
			og.Groups = append(og.Groups, rg)
		}
		framework.Groups = append(framework.Groups, og)
	}
	activities := editGroup{Legend: translate(l, "application.activities")}
	for i, a := range f.Activities {
		at := fmt.Sprintf("plannedActivities[%d]", i)
		legend, isNew := v.row("plannedActivities", i, len(f.Activities))
		activities.Groups = append(activities.Groups, editGroup{Legend: legend, New: isNew, Inputs: []editInput{
			v.input(at+".id", "id", "text", a.ID, legend), v.input(at+".year", "year", "number", a.Year, legend),
			v.input(at+".objectiveId", "objectiveId", "text", a.ObjectiveID, legend), v.input(at+".description", "description", "textarea", a.Description, legend)}})
	}
	risks := editGroup{Legend: translate(l, "application.risks")}
	for i, r := range f.Risks {
		at := fmt.Sprintf("risks[%d]", i)
		legend, isNew := v.row("risks", i, len(f.Risks))
		risks.Groups = append(risks.Groups, editGroup{Legend: legend, New: isNew, Inputs: []editInput{
			v.input(at+".description", "description", "textarea", r.Description, legend), v.input(at+".mitigation", "mitigation", "textarea", r.Mitigation, legend)}})
	}
	considerations := editGroup{Legend: translate(l, "application.edit.considerations"), Inputs: []editInput{
		v.input("genderAndInclusion", "genderAndInclusion", "textarea", f.GenderAndInclusion, ""),
		v.input("antiCorruption", "antiCorruption", "textarea", f.AntiCorruption, "")}}
	return []editGroup{basics, framework, activities, risks, considerations}
}

// flatten lists every input of the groups, in the form's order.
func flatten(groups []editGroup) []editInput {
	var out []editInput
	for _, g := range groups {
		out = append(out, g.Inputs...)
		out = append(out, flatten(g.Groups)...)
	}
	return out
}

// inputs are the names of the form's inputs, in order.
func (f appForm) inputs() []string {
	var out []string
	for _, in := range flatten(f.sections(english, nil)) {
		out = append(out, in.Name)
	}
	return out
}

// summary lists the inputs with a problem, in the form's order, each named by its row and label.
func summaryOf(groups []editGroup) []summaryLine {
	var out []summaryLine
	for _, in := range flatten(groups) {
		if in.Error != nil {
			label := in.Label
			if in.Where != "" {
				label = in.Where + ": " + label
			}
			out = append(out, summaryLine{ID: in.ID, Label: label, Problem: in.Error})
		}
	}
	return out
}

// inputID is an input's id: its name with brackets as dots.
func inputID(name string) string { return idBrackets.Replace(name) }

var idBrackets = strings.NewReplacer("[", ".", "]", "")
