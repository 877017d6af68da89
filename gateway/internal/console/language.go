package console

import (
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// lang is a language the console speaks: "sv" or "en", also the value of <html lang>.
type lang string

const (
	swedish lang = "sv"
	english lang = "en"
)

// languages are the console's languages; the first is the default.
var languages = []lang{swedish, english}

// langCookie remembers the language a person chose.
const langCookie = "lang"

// matcher picks from Accept-Language; its first tag, Swedish, is what it answers when nothing matches.
var matcher = language.NewMatcher([]language.Tag{language.Swedish, language.English})

// languageOf is the language of a request: the one the person chose (the lang cookie), else the browser's
// preference (Accept-Language), else Swedish.
func languageOf(r *http.Request) lang {
	if ck, err := r.Cookie(langCookie); err == nil {
		if l, ok := parseLang(ck.Value); ok {
			return l
		}
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return swedish
	}
	_, index, confidence := matcher.Match(tags...)
	if confidence == language.No {
		return swedish
	}
	return languages[index]
}

func parseLang(s string) (lang, bool) {
	for _, l := range languages {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// setLanguage remembers the chosen language for a year and goes back to the page the form was on.
func (c *Console) setLanguage(w http.ResponseWriter, r *http.Request) {
	l, ok := parseLang(r.PostForm.Get("lang"))
	if !ok {
		c.renderProblem(w, r, http.StatusBadRequest, c.text(r, "problem.badRequest"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: overTLS(r)})
	http.Redirect(w, r, localPath(r.PostForm.Get("return")), http.StatusSeeOther)
}

// localPath returns p when it is a path on this site, else the console's home: a form's return address
// must never send anyone to another site (an open redirect).
func localPath(p string) string {
	// A browser drops tabs and line breaks from a Location and reads a backslash as a slash, so "/\t/x" and
	// "/\\x" lead to the site x; no control character belongs in a path of ours at all.
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsFunc(p, func(r rune) bool {
		return r == '\\' || r < 0x20 || r == 0x7f
	}) {
		return "/"
	}
	return p
}
