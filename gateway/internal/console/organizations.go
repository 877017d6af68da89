package console

import (
	"cmp"
	"net/http"
	"net/url"
	"strings"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

// organization is what the console reads of the API's Organization (lowerCamelCase JSON).
type organization struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	DisplayName string `json:"displayName"`
	// Domestic is the API's "swedish" details (the name Swedish is the method below); one of the two is set.
	Domestic      *swedishDetails       `json:"swedish"`
	International *internationalDetails `json:"international"`
	CreateTime    string                `json:"createTime"`
	UpdateTime    string                `json:"updateTime"`
	// Etag is the version the change form sends back; Updater who changed it last.
	Etag    string `json:"etag"`
	Updater string `json:"updater"`
}

// swedishDetails identify a Swedish municipal body; the names are SCB's, as the API adds them.
type swedishDetails struct {
	OrgNumber        string `json:"orgNumber"`
	MunicipalityCode string `json:"municipalityCode"`
	MunicipalityName string `json:"municipalityName"`
	CountyCode       string `json:"countyCode"`
	CountyName       string `json:"countyName"`
}

// internationalDetails identify a local government abroad.
type internationalDetails struct {
	CountryCode    string `json:"countryCode"`
	CountryName    string `json:"countryName"`
	GovernmentKind string `json:"governmentKind"`
}

// organizationKinds are the kinds the API can answer, for the catalogue test.
var organizationKinds = enumNames(partnershipv1.OrganizationKind_name)

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

// Place says where the organisation is, as the API names it: a Swedish body's municipality and county, or
// the country abroad. A name the API did not give falls back to its code, so nothing known is hidden.
func (o organization) Place() string {
	var parts []string
	add := func(name, code string) {
		if v := cmp.Or(name, code); v != "" {
			parts = append(parts, v)
		}
	}
	if d := o.Domestic; d != nil {
		add(d.MunicipalityName, d.MunicipalityCode)
		add(d.CountyName, d.CountyCode)
	}
	if i := o.International; i != nil {
		add(i.CountryName, i.CountryCode)
	}
	return strings.Join(parts, ", ")
}

// OrgNumber is a Swedish body's organisationsnummer exactly as the API formats it; "" abroad.
func (o organization) OrgNumber() string {
	if o.Domestic == nil {
		return ""
	}
	return o.Domestic.OrgNumber
}
