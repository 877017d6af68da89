package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// apiError is a refusal of the API: the google.rpc.Status body the gateway answers with, read for what a
// page shows.
type apiError struct {
	// HTTPStatus is the answer's status.
	HTTPStatus int
	// Message is the API's own message, in English.
	Message string
	// Reason is ErrorInfo's machine-readable reason, e.g. INVALID_ARGUMENT or COUNTRY_NOT_ELIGIBLE.
	Reason string
	// Fields are the BadRequest field violations, named as the console wrote the fields.
	Fields []fieldViolation
	// Rules are the PreconditionFailure descriptions, in English.
	Rules []string
}

type fieldViolation struct{ Field, Description string }

func (e *apiError) Error() string {
	return fmt.Sprintf("API answered %d %s: %s", e.HTTPStatus, e.Reason, e.Message)
}

// statusBody is the JSON of a google.rpc.Status with the details the services send.
type statusBody struct {
	Message string `json:"message"`
	Details []struct {
		Type            string           `json:"@type"`
		Reason          string           `json:"reason"`
		FieldViolations []fieldViolation `json:"fieldViolations"`
		Violations      []struct {
			Description string `json:"description"`
		} `json:"violations"`
	} `json:"details"`
}

// decodeAPIError reads a refusal; a body that is not a Status still gives an error with the status.
func decodeAPIError(status int, body []byte) *apiError {
	e := &apiError{HTTPStatus: status}
	var st statusBody
	if json.Unmarshal(body, &st) != nil {
		e.Message = http.StatusText(status)
		return e
	}
	e.Message = st.Message
	for _, d := range st.Details {
		switch {
		case strings.HasSuffix(d.Type, "google.rpc.ErrorInfo"):
			e.Reason = d.Reason
		case strings.HasSuffix(d.Type, "google.rpc.BadRequest"):
			e.Fields = append(e.Fields, d.FieldViolations...)
		case strings.HasSuffix(d.Type, "google.rpc.PreconditionFailure"):
			for _, v := range d.Violations {
				e.Rules = append(e.Rules, v.Description)
			}
		}
	}
	return e
}

// explainReason says what went wrong in l: the catalogue's sentence for the reason when it has one, else the
// API's own English message (marked as English, so a screen reader reads it as such).
func explainReason(l lang, e *apiError) text {
	if msg, ok := lookup(l, "reason."+e.Reason); ok {
		return text{Text: msg, Lang: l}
	}
	if e.Message != "" {
		return text{Text: e.Message, Lang: english}
	}
	return text{Text: translate(l, "problem.unexpected"), Lang: l}
}

// fieldIndex matches a list index in a field path ("sdgTargets[2]"): the console's inputs take whole lists.
var fieldIndex = regexp.MustCompile(`\[\d+\]`)

// inputOf names the form input a field violation belongs to: "partnership.sdgTargets[1]" -> "sdgTargets".
// prefix is the resource's name in the API's paths ("partnership").
func inputOf(field, prefix string) string {
	field = strings.TrimPrefix(field, prefix+".")
	return fieldIndex.ReplaceAllString(field, "")
}

// explainField says what is wrong with one input in l. In English the API's description is the most
// exact; in Swedish the catalogue's sentence for the input says what it needs, and an input the catalogue
// does not know keeps the API's English words.
func explainField(l lang, input, description string) text {
	if l == english && description != "" {
		return text{Text: description, Lang: english}
	}
	if msg, ok := lookup(l, "field."+input); ok {
		return text{Text: msg, Lang: l, Detail: description}
	}
	if description != "" {
		return text{Text: description, Lang: english}
	}
	return text{Text: translate(l, "problem.badRequest"), Lang: l}
}

// ruleTexts are the broken rules of a PreconditionFailure, in the API's English words: shown in English,
// or in Swedish when the catalogue has no sentence for the refusal's reason.
func ruleTexts(l lang, e *apiError) []text {
	var out []text
	for _, rule := range e.Rules {
		if l == english || e.Reason == "" {
			out = append(out, text{Text: rule, Lang: english})
		}
	}
	return out
}
