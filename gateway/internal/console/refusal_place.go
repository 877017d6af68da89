package console

import (
	"slices"
	"strings"
)

// refusalPlacement is how a form shows an API refusal: each field violation beside the input it names,
// a reason that is about one input beside that input, everything else above the form. Every form places a
// refusal this way; what differs between areas is only how a field path names an input and whose
// sentences explain fields and reasons, which each area keeps in its own catalogue.
type refusalPlacement struct {
	// inputs are the form's inputs that can show a problem beside them.
	inputs []string
	// input names the input a field path belongs to ("partnership.sdgTargets[1]" -> "sdgTargets").
	input func(field string) string
	// field says what is wrong with one input; reason says why the API refused.
	field  func(l lang, input, description string) text
	reason func(lang, *apiError) text
	// reasonInputs are the reasons without field violations that are still about one input.
	reasonInputs map[string]string
	// unreadBody shows a refusal that names neither a field nor a reason as the console's "the form could
	// not be read", with the API's words as detail.
	unreadBody bool
}

// place answers the problems beside inputs and those above the form (the reason first, then each field
// violation of no input of the form, then the broken rules).
func (p refusalPlacement) place(l lang, e *apiError) (map[string]*text, []text) {
	byInput := map[string]*text{}
	var general []text
	if p.unreadBody && len(e.Fields) == 0 && (e.Reason == "" || e.Reason == "INVALID_ARGUMENT") {
		return byInput, []text{{Text: translate(l, "problem.badRequest"), Lang: l, Detail: e.Message}}
	}
	if input, ok := p.reasonInputs[e.Reason]; ok {
		msg := p.reason(l, e) // listed above the form with a link to its input, as field violations are
		byInput[input] = &msg
	} else {
		general = append(general, p.reason(l, e))
	}
	for _, v := range e.Fields {
		input := p.input(v.Field)
		msg := p.field(l, input, v.Description)
		switch existing := byInput[input]; {
		case !slices.Contains(p.inputs, input):
			general = append(general, msg)
		case existing == nil:
			byInput[input] = &msg
		default:
			// One input, several violations (two bad SDG targets): one message that says all of it.
			existing.Text = joinOnce(existing.Text, msg.Text)
			existing.Detail = joinOnce(existing.Detail, msg.Detail)
		}
	}
	return byInput, append(general, ruleTexts(l, e)...)
}

// underResource names inputs by the API's field paths under the resource prefix, without list indexes:
// "application.startDate" -> "startDate".
func underResource(prefix string) func(string) string {
	return func(field string) string { return inputOf(field, prefix) }
}

// aliased names inputs by whole field paths without list indexes ("member.displayName"); alias folds a path
// and everything under it into one input ("visit.participants[0].name" -> "visit.travellers").
func aliased(alias map[string]string) func(string) string {
	return func(field string) string {
		input := fieldIndex.ReplaceAllString(field, "")
		for from, to := range alias {
			if input == from || strings.HasPrefix(input, from+".") {
				input = to
			}
		}
		return input
	}
}

// refusedInputs lists the inputs that have a problem, in the form's order, for the summary above it.
func refusedInputs(inputs []string, errs map[string]*text) []string {
	var out []string
	for _, in := range inputs {
		if errs[in] != nil {
			out = append(out, in)
		}
	}
	return out
}
