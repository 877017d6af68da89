package console

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"
)

// pageNames are the templates under templates/ but the layout and the partials, each rendered inside
// layout.html with partials.html: a page is added by adding its file.
func pageNames() ([]string, error) {
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range files {
		if name := strings.TrimSuffix(path.Base(f), ".html"); name != "layout" && name != "partials" {
			names = append(names, name)
		}
	}
	return names, nil
}

// pageSet holds every page parsed once per language, each with its own t function, so a template says
// {{t "key"}} and gets the text in the page's language.
type pageSet struct {
	byLang map[lang]map[string]*template.Template
}

func parsePages() (*pageSet, error) {
	names, err := pageNames()
	if err != nil {
		return nil, err
	}
	ps := &pageSet{byLang: map[lang]map[string]*template.Template{}}
	for _, l := range languages {
		funcs := template.FuncMap{
			"t":          func(key string) string { return translate(l, key) },
			"date":       formatDate,
			"fieldError": newFieldError,
			"sek":        func(m *money) string { return showSEK(l, m) },
			"problems":   newProblemList,
			"summary":    newInputSummary,
		}
		ps.byLang[l] = map[string]*template.Template{}
		for _, name := range names {
			t, err := template.New("layout.html").Funcs(funcs).
				ParseFS(templateFiles, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("console: parse page %s: %w", name, err)
			}
			ps.byLang[l][name] = t
		}
	}
	return ps, nil
}

// view is what every page's template gets: the layout's needs, and the page's own Data.
type view struct {
	Lang lang
	// Other is the language the switch offers.
	Other lang
	// CSRF is the session's token for the page's forms.
	CSRF string
	// Path is this page's address, where the language form comes back to.
	Path string
	// Session is the visitor's (never nil).
	Session *session
	// Section marks the current navigation entry.
	Section string
	// DevSignIn says whether the sign-in page is offered.
	DevSignIn bool
	Data      any
}

// render writes page name with data, with status. It makes sure the visitor has a session, since every
// page carries at least the language form with its CSRF token.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name, section string, data any) {
	s := c.ensureSession(w, r)
	l := languageOf(r)
	other := english
	if l == english {
		other = swedish
	}
	v := view{Lang: l, Other: other, CSRF: s.CSRF, Path: r.URL.RequestURI(), Session: s, Section: section,
		DevSignIn: c.dev != nil, Data: data}
	var buf bytes.Buffer
	if err := c.pages.byLang[l][name].Execute(&buf, v); err != nil {
		slog.ErrorContext(r.Context(), "console: render page", "page", name, "error", err.Error())
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// problemData is the problem page's content.
type problemData struct {
	Status  int
	Heading string
	Message text
}

// renderProblem shows a page that says what went wrong, with status.
func (c *Console) renderProblem(w http.ResponseWriter, r *http.Request, status int, msg text) {
	heading := "problem.heading"
	switch status {
	case http.StatusNotFound:
		heading = "problem.notFoundHeading"
	case http.StatusForbidden:
		heading = "problem.forbiddenHeading"
	}
	c.render(w, r, status, "problem", "", problemData{Status: status, Heading: translate(languageOf(r), heading), Message: msg})
}

// notFound is the console's page for anything it does not have, or may not show.
func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	c.renderProblem(w, r, http.StatusNotFound, c.text(r, "problem.notFound"))
}

// apiProblem shows a refusal of the API. An unusable token (expired, or signed by a key the services no
// longer have) ends the session and sends the person to sign in again.
func (c *Console) apiProblem(w http.ResponseWriter, r *http.Request, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		slog.ErrorContext(r.Context(), "console: API call failed", "error", err.Error())
		c.renderProblem(w, r, http.StatusBadGateway, c.text(r, "problem.unexpected"))
		return
	}
	switch e.HTTPStatus {
	case http.StatusUnauthorized:
		clearSession(w, r)
		toSignIn(w, r, "/console/sign-in?ended=1")
	case http.StatusNotFound:
		c.notFound(w, r)
	case http.StatusBadRequest:
		// A page's own request refused (a stale page token, a filter the API does not know): nothing is
		// marked for the person to correct, so the page says so, with the API's words as detail.
		l := languageOf(r)
		msg := explainReason(l, e)
		if e.Reason == "INVALID_ARGUMENT" || e.Reason == "" {
			msg = text{Text: translate(l, "problem.badRequest"), Lang: l, Detail: e.Message}
		}
		c.renderProblem(w, r, e.HTTPStatus, msg)
	default:
		c.renderProblem(w, r, e.HTTPStatus, explainReason(languageOf(r), e))
	}
}

// text is a message with the language it is written in, so a page marks an English fallback as English.
type text struct {
	Text string
	Lang lang
	// Detail, when set, is the API's own English words behind a translated Text.
	Detail string
}

// fieldError is what the fieldError template needs: the problem of input ID, on a page in Page.
type fieldError struct {
	Page    lang
	ID      string
	Problem *text
}

func newFieldError(page lang, id string, problem *text) fieldError {
	return fieldError{Page: page, ID: id, Problem: problem}
}

// problemList is what the problemItems template needs: problems shown on a page in Page.
type problemList struct {
	Page     lang
	Problems []text
}

func newProblemList(page lang, problems []text) problemList {
	return problemList{Page: page, Problems: problems}
}

// inputSummary is what the summaryItems template needs: the inputs with a problem, in the form's order,
// each problem in Errors, on a page in Page.
type inputSummary struct {
	Page   lang
	Inputs []string
	Errors map[string]*text
}

func newInputSummary(page lang, inputs []string, errors map[string]*text) inputSummary {
	return inputSummary{Page: page, Inputs: inputs, Errors: errors}
}

// text returns the catalogue's message for key in the request's language.
func (c *Console) text(r *http.Request, key string) text {
	l := languageOf(r)
	return text{Text: translate(l, key), Lang: l}
}

// formatDate shows an RFC 3339 instant as its date (ISO 8601, as Swedish writes dates), or the value as it
// came when it is not one.
func formatDate(v string) string {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return strings.TrimSpace(v)
	}
	return t.UTC().Format(time.DateOnly)
}

// showSEK shows an amount of the API in l's style, or "–" when the API gave none (a line not yet decided).
func showSEK(l lang, m *money) string {
	ore, ok := m.Minor()
	if !ok {
		return "–"
	}
	if m.CurrencyCode != "" && m.CurrencyCode != "SEK" {
		return m.CurrencyCode + noBreak + string(m.AmountMinor) // never shown as kronor; the API sends SEK here
	}
	return formatSEK(l, ore)
}
