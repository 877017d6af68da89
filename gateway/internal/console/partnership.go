package console

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typev1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"
)

// partnership is what the console reads of the API's Partnership (lowerCamelCase JSON).
type partnership struct {
	ID                          string          `json:"id"`
	SwedishOrganizationID       string          `json:"swedishOrganizationId"`
	InternationalOrganizationID string          `json:"internationalOrganizationId"`
	ThirdOrganizationID         string          `json:"thirdOrganizationId"`
	Title                       string          `json:"title"`
	Challenge                   string          `json:"challenge"`
	CoreAreas                   []string        `json:"coreAreas"`
	SDGTargets                  []string        `json:"sdgTargets"`
	State                       string          `json:"state"`
	CountryCode                 string          `json:"countryCode"`
	Cluster                     string          `json:"cluster"`
	EligibilityDate             json.RawMessage `json:"eligibilityDate"`
	CreateTime                  string          `json:"createTime"`
	UpdateTime                  string          `json:"updateTime"`
	Creator                     string          `json:"creator"`
	Updater                     string          `json:"updater"`
	// Etag changes whenever the partnership does; a change or step sent with it applies only to the
	// partnership as the person saw it.
	Etag string `json:"etag"`
}

// Eligibility shows the eligibility date, which the API writes as a google.type.Date object.
func (p partnership) Eligibility() string { return formatDay(p.EligibilityDate) }

// formatDay shows a google.type.Date, which the API writes as an object, as ISO 8601 ("2025-03-01"); a
// string is shown as it came, and nothing as "".
func formatDay(raw json.RawMessage) string {
	var d struct{ Year, Month, Day int }
	if len(raw) == 0 || json.Unmarshal(raw, &d) != nil || d.Year == 0 {
		var s string
		_ = json.Unmarshal(raw, &s)
		return s
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// enumNames lists an enum's names in number order, without the zero "unspecified" value. Taken from the
// generated code, so a state added to the proto shows up in the filter (and the catalogue test asks for
// its words).
func enumNames(names map[int32]string) []string {
	out := make([]string, 0, len(names))
	for i := int32(1); i < int32(len(names)); i++ {
		if n, ok := names[i]; ok {
			out = append(out, n)
		}
	}
	return out
}

var (
	partnershipStates = enumNames(partnershipv1.PartnershipState_name)
	coreAreas         = enumNames(partnershipv1.CoreArea_name)
	clusters          = enumNames(typev1.Cluster_name)
)

// lifecycle is the path of a partnership that goes the whole way, as the partnership page shows it;
// terminated leaves it from any open state.
var lifecycle = []string{"PARTNERSHIP_STATE_DRAFT", "PARTNERSHIP_STATE_SUBMITTED", "PARTNERSHIP_STATE_INCEPTION",
	"PARTNERSHIP_STATE_ACTIVE", "PARTNERSHIP_STATE_COMPLETED"}

// partnershipParty is one organisation of a partnership, named for a choice list or a table.
type partnershipParty struct{ ID, Name string }

// Parties are the partnership's parties in the order the API names them (Swedish, international, third),
// each with its name from names (its id when the name is unknown).
func (p partnership) Parties(names map[string]string) []partnershipParty {
	var out []partnershipParty
	for _, id := range []string{p.SwedishOrganizationID, p.InternationalOrganizationID, p.ThirdOrganizationID} {
		if id != "" {
			out = append(out, partnershipParty{ID: id, Name: cmp.Or(names[id], id)})
		}
	}
	return out
}

// partnershipOfRequest reads the partnership of the request's {id} as the person: one they may not see is the
// API's 404, which the caller shows as the console's not-found page.
func (c *Console) partnershipOfRequest(r *http.Request, s *session) (partnership, error) {
	var p partnership
	path := "/v1/partnerships/" + url.PathEscape(r.PathValue("id"))
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: path}, &p)
	return p, err
}

// apiPartnershipPath is the API's address of the request's partnership, with more after it.
func apiPartnershipPath(r *http.Request, more string) string {
	return "/v1/partnerships/" + url.PathEscape(r.PathValue("id")) + more
}

// partnershipPage is the console's address of the request's partnership, with more after it.
func partnershipPage(r *http.Request, more string) string {
	return "/console/partnerships/" + url.PathEscape(r.PathValue("id")) + more
}
