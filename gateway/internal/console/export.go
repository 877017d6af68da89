package console

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// exportData is the export page's content.
type exportData struct {
	Year string
	// YearProblem, when set, is what is wrong with the year asked for; nothing was exported.
	YearProblem *text
}

// showExports explains the IATI export and offers it for a year. The form downloads the file as a plain
// link does; with JavaScript (assets/export.js) the page fetches it itself and shows its progress.
func (c *Console) showExports(w http.ResponseWriter, r *http.Request, _ *session) {
	c.render(w, r, http.StatusOK, "exports", "exports", exportData{Year: strconv.Itoa(time.Now().In(stockholm).Year())})
}

// streamIATI sends the year's IATI document as the API writes it. The API decides who may have it
// (coordinators, admins and auditors); anyone else gets its refusal as the console's problem page.
func (c *Console) streamIATI(w http.ResponseWriter, r *http.Request, s *session) {
	raw := r.URL.Query().Get("year")
	year, problem := readYear(languageOf(r), raw)
	if problem != nil {
		c.render(w, r, http.StatusBadRequest, "exports", "exports", exportData{Year: raw, YearProblem: problem})
		return
	}
	y := strconv.Itoa(year)
	c.streamFromAPI(w, r, s.Token, apiStream{path: "/v1/exports/iati", query: url.Values{"year": {y}}, accept: "application/xml",
		fileName: "iati-activities-" + y + ".xml"})
}
