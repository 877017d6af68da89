package console

import "net/http"

// programmeRoutes are the pages of the programme as a whole: networks, the portfolio, the IATI export.
func (c *Console) programmeRoutes(mux *http.ServeMux) {
	_ = mux
}

// programmeMessages are the texts of the programme area's pages.
var programmeMessages = catalogue{
	swedish: {},
	english: {},
}
