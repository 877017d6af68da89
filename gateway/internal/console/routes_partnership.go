package console

import "net/http"

// partnershipRoutes are the pages of organisations and partnerships, and of what belongs to a partnership
// (applications, steering group, visits, reports).
func (c *Console) partnershipRoutes(mux *http.ServeMux) {
	mux.Handle("GET /console/partnerships", c.page(c.listPartnerships))
	mux.Handle("GET /console/partnerships/new", c.page(c.newPartnership))
	mux.Handle("POST /console/partnerships", c.post(c.createPartnership))
	mux.Handle("GET /console/partnerships/{id}", c.page(c.showPartnership))
	mux.Handle("GET /console/organizations", c.page(c.showOrganizations))
	mux.Handle("GET /console/organizations/{id}", c.page(c.showOrganization))
}

// partnershipMessages are the texts of the partnership area's newer pages (the first ones are in
// coreMessages).
var partnershipMessages = catalogue{
	swedish: {},
	english: {},
}
