package console

import (
	"net/http"
	"net/url"
	"strings"
)

// organization is what the console reads of the API's Organization.
type organization struct {
	ID            string `json:"id"`
	Kind          string `json:"kind"`
	DisplayName   string `json:"displayName"`
	International *struct {
		CountryCode string `json:"countryCode"`
	} `json:"international"`
}

// Swedish reports whether the organisation may be a partnership's Swedish party.
func (o organization) Swedish() bool {
	return o.Kind != "" && o.Kind != "ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT" && o.Kind != "ORGANIZATION_KIND_UNSPECIFIED"
}

// Label names the organisation in a list: its name, with its country when it is abroad.
func (o organization) Label() string {
	if o.International != nil && o.International.CountryCode != "" {
		return o.DisplayName + " (" + strings.ToUpper(o.International.CountryCode) + ")"
	}
	return o.DisplayName
}

// maxOrganizationPages bounds the pages read for a choice list (500 a page): the programme has a few
// hundred organisations, so this is far above need and still keeps one page view from reading forever.
const maxOrganizationPages = 20

// listOrganizations reads every organisation, oldest first, as the bearer of token.
func (c *Console) listOrganizations(r *http.Request, token string) ([]organization, error) {
	var all []organization
	pageToken := ""
	for range maxOrganizationPages {
		q := url.Values{"page_size": {"500"}}
		if pageToken != "" {
			q.Set("page_token", pageToken)
		}
		var page struct {
			Organizations []organization `json:"organizations"`
			NextPageToken string         `json:"nextPageToken"`
		}
		if err := c.api.call(r.Context(), r, token, apiRequest{method: http.MethodGet, path: "/v1/organizations", query: q}, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Organizations...)
		if page.NextPageToken == "" {
			break
		}
		pageToken = page.NextPageToken
	}
	return all, nil
}

// organizationNames maps ids to names, for pages that show parties by name.
func organizationNames(orgs []organization) map[string]string {
	names := make(map[string]string, len(orgs))
	for _, o := range orgs {
		names[o.ID] = o.Label()
	}
	return names
}
