package console

import "net/http"

// applicationRoutes are the pages of the programme's loop within one partnership: its applications (the
// results they promise) and its reports on them.
func (c *Console) applicationRoutes(mux *http.ServeMux) {
	_ = mux
}

// applicationMessages are the texts of the applications and reports pages.
var applicationMessages = catalogue{
	swedish: {},
	english: {},
}
